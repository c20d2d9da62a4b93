// Several subscriptions of one municipality, declared in stack config as a list:
//
//   config:
//     several-subscriptions:subscriptions:
//       - { name: borgerblikket-opus, sortiment: Borgerblikket, itSystemInstans: 362ebac2-761b-4a44-abc6-679f2d5615ce }
//       - { name: borgerblikket-other, sortiment: Borgerblikket, itSystemInstans: <uuid of another debtor system> }
//       - { name: other-sortiment-opus, sortiment: <another sortiment>, itSystemInstans: 362ebac2-... , skemaversion: "1.1" }
//
// Each entry becomes one SortimentSubscription; the policy pack refuses two entries with the same
// sortiment and system. Removing an entry ends that subscription (onDestroy defaults to endDate).
import * as pulumi from "@pulumi/pulumi";
import { REQUIRED_SKEMAVERSION, SortimentSubscription } from "@fk-iac/klassifikation";

interface Entry {
    name: string;
    sortiment: string;
    itSystemInstans: string;
    skemaversion?: string;
}

const entries = new pulumi.Config().requireObject<Entry[]>("subscriptions");
const names = new Set<string>();
for (const e of entries) {
    if (!e.name || names.has(e.name)) {
        throw new pulumi.RunError(`subscriptions: every entry needs a unique name; "${e.name}" is missing or repeated`);
    }
    names.add(e.name);
}

const subscriptions = entries.map(
    (e) =>
        new SortimentSubscription(e.name, {
            sortiment: e.sortiment,
            itSystemInstans: e.itSystemInstans,
            skemaversion: e.skemaversion ?? REQUIRED_SKEMAVERSION,
        }),
);

export const abonnementer = Object.fromEntries(
    subscriptions.map((s, i) => [
        entries[i].name,
        {
            uuid: s.abonnementUuid,
            sortiment: s.sortimentNavn,
            system: s.itSystemInstansNavn,
            skemaversion: s.skemaversion,
            levering: s.leveringStatus,
        },
    ]),
);
