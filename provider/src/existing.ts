// What already exists in the classification system, judged against what a program declares: the one
// rule for "the same subscription" that create, check (preview), status and the fleet's survey share.
// Task GB1.0's recommended end date was 15 August 2023, so most municipalities made the subscription
// by hand long before any stack: adopting what is right, and refusing (or, when asked, repairing) what
// is wrong, is the normal case, not an edge case.
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
}

/**
 * What `pulumi up` does about what exists, decided before any write:
 *
 * - `create`: nothing active with this sortiment and system; a new subscription is created.
 * - `adopt`: an active one has the declared values; it is taken over as it is, with no write.
 * - `repair`: an active one has other values and repair was asked for; it is ended (Gyldig til = today,
 *   history kept) and the declared one created.
 */
export type Plan = "create" | "adopt" | "repair";

/** The note our own creates carry: `managed by pulumi: <project>/<stack>/<name>`. */
export function ownNote(managedBy: string): string {
    return `managed by pulumi: ${managedBy}`;
}

/** True when a note says a Pulumi stack created the subscription. */
export function madeByPulumi(note: string | null | undefined): boolean {
    return typeof note === "string" && note.startsWith("managed by pulumi: ");
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
    };
}

/** The decision on the active subscriptions with the declared sortiment and system. */
export interface Decision {
    plan: Plan | "refuse";
    /** The one to adopt (plan `adopt`). */
    match?: Abonnement;
    /** The ones that differ: refused, or ended by a repair. */
    wrong: Abonnement[];
}

/**
 * Decides what to do about the active subscriptions found for the declared key.
 *
 * @example
 * const d = decide(await api.searchAbonnementer({ ...key, aktiv: true }), inputs, inputs.repairExisting);
 * if (d.plan === "refuse") throw errors.existingDiffers(...);
 */
export function decide(active: readonly Abonnement[], declared: Declared, repair: boolean): Decision {
    const match = active.find((a) => mismatches(a, declared).length === 0);
    if (match) return { plan: "adopt", match, wrong: [] };
    if (active.length === 0) return { plan: "create", wrong: [] };
    return { plan: repair ? "repair" : "refuse", wrong: [...active] };
}
