// Task GB1.0 ("Opret abonnement til Borgerblikkets sortiment for KMD Opus Debitor") as a function: the
// resources of one municipality's stack and the stack's outputs. index.ts runs it as the program of
// `pulumi up`; the fleet runs the same function inline, once per municipality, in its own process.
//
// What it needs comes from the stack's config: kommune:kode and kommune:navn name the municipality,
// fk:endpoint the classification API (else the resource falls back to FK_KLASSIFIKATION_ENDPOINT, which
// an inline program would share with every stack in the process: the fleet always sets fk:endpoint),
// `debtorSystem` the subscribing it-systeminstans, and `repairExisting` whether a subscription made by
// hand with other values is ended and made anew (default: refused, naming it), and `takeOver` whether one
// another stack manages moves to this stack (default: refused, naming that stack).
import * as pulumi from "@pulumi/pulumi";
import { gb10Subscription, KMD_OPUS_DEBITOR, SortimentSubscription } from "@fk-iac/klassifikation";

/** Creates the stack's subscription and returns the stack's outputs. */
export function gb10Program() {
    // Anything the provider adopted or ended after this moment happened in this run, and is said once.
    const runStarted = new Date().toISOString();
    // The stack's municipality. The provider refuses a kommunekode that is not one of the 98 (so does the
    // policy pack), and refuses to write when the credentials act for another municipality.
    const kommune = new pulumi.Config("kommune");
    const kode = kommune.require("kode");
    const navn = kommune.require("navn");

    // Sortiment Borgerblikket, Abonnerende It-systeminstans KMD Opus Debitor, Skemaversion 1.3,
    // Gyldig fra today (Danish time, fixed at creation), Gyldig til empty. A municipality with another
    // debtor system sets `debtorSystem` to its it-systeminstans uuid (the policy pack warns about it).
    // A subscription made by hand with these values is adopted: its values untouched, one write of its
    // note records this stack as its owner. One with other values
    // (say skemaversion 1.2) is refused unless `pulumi config set repairExisting true`: then it is ended
    // (Gyldig til today, history kept) and the task's one created, in the same `up`.
    const config = new pulumi.Config();
    const debtorSystem = config.get("debtorSystem") ?? KMD_OPUS_DEBITOR;
    const subscription = new SortimentSubscription("borgerblikket-debitorsystem", {
        ...gb10Subscription,
        itSystemInstans: debtorSystem,
        kommunekode: kode,
        repairExisting: config.getBoolean("repairExisting") ?? false,
        // One another stack manages is refused unless `pulumi config set takeOver true` moves it here.
        takeOver: config.getBoolean("takeOver") ?? false,
    });
    sayWhatWasFound(subscription, runStarted);

    return {
        kommuneInfo: { kode, navn },
        abonnementUuid: subscription.abonnementUuid,
        endpoint: subscription.endpoint,
        abonnement: {
            sortiment: subscription.sortimentNavn,
            abonnerendeItSysteminstans: pulumi.interpolate`${subscription.itSystemInstansNavn} (${subscription.itSystemInstans})`,
            skemaversion: subscription.skemaversion,
            gyldigFra: subscription.validFrom,
            gyldigTil: subscription.validTo.apply((to) => to ?? "(empty)"),
            livscyklus: subscription.livscyklus,
            oprettet: subscription.oprettet,
            oprettetAf: subscription.oprettetAf,
            kommunekode: subscription.kommunekode,
            /** True when the stack adopted one made by hand, rather than creating it. */
            adopted: subscription.adopted,
        },
        /** Delivery to the debtor system at the time of the last `pulumi up`; `npm run status` checks it live. */
        levering: {
            status: subscription.leveringStatus,
            forventet: subscription.forventetLevering,
            leveret: subscription.leveretTidspunkt,
        },
    };
}

/** Says once, in the run that did it, what the provider adopted or repaired. */
function sayWhatWasFound(subscription: SortimentSubscription, runStarted: string): void {
    pulumi
        .all([
            subscription.abonnementUuid,
            subscription.adoptedAt,
            subscription.repairedAt,
            subscription.endedAbonnementer,
            subscription.oprettetAf,
            subscription.oprettet,
            subscription.validFrom,
        ])
        .apply(([uuid, adoptedAt, repairedAt, ended, by, on, from]) => {
            if (adoptedAt && adoptedAt >= runStarted) {
                const made = `made by ${by ?? "?"} on ${on.slice(0, 10)}`;
                void pulumi.log.info(
                    `adopted subscription ${uuid} (${made}, Gyldig fra ${from}): its values are untouched; its note now names this stack as its owner`,
                    subscription,
                );
            }
            if (repairedAt && repairedAt >= runStarted) {
                const list = (ended ?? []).join(", ");
                void pulumi.log.info(
                    `repaired: ended ${list} (Gyldig til today, history kept) and created ${uuid}`,
                    subscription,
                );
            }
        });
}
