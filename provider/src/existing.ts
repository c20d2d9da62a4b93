// What already exists in the classification system, judged against what a program declares: the one
// rule for "the same subscription" that create, check (preview), status and the fleet's survey share.
// What to do about it is decided in decision.ts; who manages one, in ownership.ts.
// Task GB1.0's recommended end date was 15 August 2023, so most municipalities made the subscription
// by hand long before any stack: adopting what is right, and refusing (or, when asked, repairing) what
// is wrong, is the normal case, not an edge case.
import { ownerOf } from "./ownership";
import type { Abonnement } from "./wire";

/** The values of a declaration that an existing subscription must have to be adopted. */
export interface Declared {
    skemaversion: string;
    validFrom: string;
    /** True when validFrom was left to its default: then any Gyldig fra of an existing one is accepted. */
    validFromDefaulted: boolean;
    validTo?: string;
}

/** One value in which an existing subscription differs from the declaration. */
export interface Mismatch {
    /** The resource input, as the program names it. */
    field: "skemaversion" | "validFrom" | "validTo";
    found: string | null;
    wanted: string | null;
}

/**
 * An existing subscription as messages, outputs and reports name it: its uuid, values, and who made it
 * and when (the registration).
 */
export interface ExistingSubscription {
    uuid: string;
    skemaversion: string;
    validFrom: string;
    validTo: string | null;
    livscyklus: string;
    /** When it was created. */
    oprettet: string;
    /** Who created it: a person in the web UI, or a system. */
    oprettetAf: string;
    note: string | null;
    /** The Pulumi resource (`<project>/<stack>/<name>`) its note names as owner; null when none does. */
    owner: string | null;
}

/** How an existing subscription differs from the declaration; empty when it can be adopted. */
export function mismatches(a: Abonnement, d: Declared): Mismatch[] {
    const out: Mismatch[] = [];
    if (a.skemaversion !== d.skemaversion)
        out.push({ field: "skemaversion", found: a.skemaversion, wanted: d.skemaversion });
    if (!d.validFromDefaulted && a.virkning.from !== d.validFrom)
        out.push({ field: "validFrom", found: a.virkning.from, wanted: d.validFrom });
    const to = d.validTo ?? null;
    if (a.virkning.to !== to) out.push({ field: "validTo", found: a.virkning.to, wanted: to });
    return out;
}

export function describeExisting(a: Abonnement): ExistingSubscription {
    return {
        uuid: a.uuid,
        skemaversion: a.skemaversion,
        validFrom: a.virkning.from,
        validTo: a.virkning.to,
        livscyklus: a.livscyklus,
        oprettet: a.registrering.oprettet,
        oprettetAf: a.registrering.oprettetAf ?? a.registrering.aktoer,
        note: a.note ?? null,
        owner: ownerOf(a.note) ?? null,
    };
}
