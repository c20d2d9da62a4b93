// What the provider stores in state for one subscription: the checked inputs plus what the
// classification system says, built in one place for create, read and update alike.
import { ownerOf } from "./ownership";
import type { CheckedInputs } from "./inputs";
import { PROVIDER_VERSION } from "./version";
import type { Abonnement } from "./wire";

/**
 * Shape version of the outputs this code writes: 1 (0.1.0), 2 (0.2.0: `providerVersion`), 3 (0.3.0:
 * `owner`). Each new
 * shape has its step in MIGRATIONS (migrations.ts) and its key list in
 * test/fixtures/upgrade/state-shapes.json.
 */
export const STATE_VERSION = 3;

/** Outputs stored in state: the checked inputs plus what the classification system says. */
export interface SubscriptionOutputs extends CheckedInputs {
    stateVersion: number;
    /** The version of this provider that last wrote these outputs (create, read or update), e.g. "0.2.0". */
    providerVersion: string;
    /** The subscription's uuid (also the resource id). */
    abonnementUuid: string;
    sortimentUuid: string;
    /** The sortiment's brugervendtnoegle, e.g. "Borgerblikket". */
    sortimentNavn: string;
    /** The subscribing system's name, e.g. "KMD Opus Debitor". */
    itSystemInstansNavn: string;
    kommunekode: string;
    livscyklus: string;
    /** When the subscription was created (registration time). */
    oprettet: string;
    /** Who created it: a person in the web UI (adopted), or this provider. */
    oprettetAf?: string;
    /** Subscriptions with other values that this resource's create ended to repair them (repairExisting). */
    endedAbonnementer?: string[];
    /** When the create ended them. */
    repairedAt?: string;
    /** Time of the latest registration. */
    registreringstid: string;
    /** Version for If-Match. */
    version: number;
    /** Delivery to the subscribing system: Afventer, Leveret or Stoppet. */
    leveringStatus: string;
    leveretTidspunkt?: string;
    /** When delivery is expected (the wire's `levering.forventetTidspunkt`). */
    forventetLevering?: string;
    /** True when create adopted a subscription that already existed. */
    adopted: boolean;
    /** When this resource adopted it (only when `adopted`): a program can tell an adoption in this run. */
    adoptedAt?: string;
    /**
     * The Pulumi resource (`<project>/<stack>/<name>`) the subscription's note names as its owner, as last
     * read; absent when the note names none (cleared by hand, or adopted before owners were recorded).
     * Another resource than this one (`managedBy`) means another stack took it over.
     */
    owner?: string;
}

/** How the subscription came under this resource: kept from create through every read and update. */
export type History = Pick<SubscriptionOutputs, "adopted" | "adoptedAt" | "endedAbonnementer" | "repairedAt">;

/** The history recorded in earlier outputs (or none: not adopted, nothing repaired). */
export function historyOf(previous: Partial<SubscriptionOutputs>): History {
    return {
        adopted: previous.adopted ?? false,
        ...(previous.adoptedAt ? { adoptedAt: previous.adoptedAt } : {}),
        ...(previous.endedAbonnementer ? { endedAbonnementer: previous.endedAbonnementer } : {}),
        ...(previous.repairedAt ? { repairedAt: previous.repairedAt } : {}),
    };
}

/** The sortiment as outputs name it. */
export interface SortimentRef {
    uuid: string;
    brugervendtnoegle: string;
}

/**
 * The outputs for a subscription as the API returned it: its values win over the inputs (the
 * schema version and Gyldig fra it really has), optional keys present only when they have a value.
 */
export function outputsOf(
    inputs: CheckedInputs,
    a: Abonnement,
    sortiment: SortimentRef,
    systemName: string,
    history: History,
): SubscriptionOutputs {
    const out: SubscriptionOutputs = {
        ...inputs,
        skemaversion: a.skemaversion,
        validFrom: a.virkning.from,
        stateVersion: STATE_VERSION,
        providerVersion: PROVIDER_VERSION,
        abonnementUuid: a.uuid,
        sortimentUuid: sortiment.uuid,
        sortimentNavn: sortiment.brugervendtnoegle,
        itSystemInstansNavn: systemName,
        kommunekode: a.kommunekode,
        livscyklus: a.livscyklus,
        oprettet: a.registrering.oprettet,
        oprettetAf: a.registrering.oprettetAf ?? a.registrering.aktoer,
        registreringstid: a.registrering.tidspunkt,
        version: a.version,
        leveringStatus: a.levering.status,
        adopted: history.adopted,
    };
    // takeOver is an intent for the one write that moves ownership, not a property of the subscription.
    delete out.takeOver;
    const owner = ownerOf(a.note);
    if (owner !== undefined) out.owner = owner;
    else delete out.owner;
    if (history.adoptedAt) out.adoptedAt = history.adoptedAt;
    else delete out.adoptedAt;
    if (history.endedAbonnementer?.length) {
        out.endedAbonnementer = history.endedAbonnementer;
        if (history.repairedAt) out.repairedAt = history.repairedAt;
    } else {
        delete out.endedAbonnementer;
        delete out.repairedAt;
    }
    if (a.virkning.to !== null) out.validTo = a.virkning.to;
    else delete out.validTo;
    if (a.levering.leveretTidspunkt) out.leveretTidspunkt = a.levering.leveretTidspunkt;
    if (a.levering.forventetTidspunkt) out.forventetLevering = a.levering.forventetTidspunkt;
    return out;
}
