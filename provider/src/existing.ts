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
    /** The Pulumi resource (`<project>/<stack>/<name>`) its note names as owner; null when none does. */
    owner: string | null;
}

/**
 * What `pulumi up` does about what exists, decided before any write:
 *
 * - `create`: nothing active with this sortiment and system; a new subscription is created.
 * - `adopt`: an active one has the declared values; it is taken over as it is. Its values and dates are
 *   never written; only its note, once, when it does not yet name this resource as its owner.
 * - `repair`: an active one made by hand has other values and repair was asked for; it is ended
 *   (Gyldig til = today, history kept) and the declared one created.
 * - `replace`: the active one with other values is this resource's own (its note names it): the program
 *   changed a value that needs a new subscription. It is ended (history kept) and the declared one
 *   created, as any replacement; no repairExisting is needed for one's own.
 *
 * @example
 * const plan: Plan = "adopt";
 */
export type Plan = "create" | "adopt" | "repair" | "replace";

/** What a note starts with when a Pulumi resource manages the subscription. */
const OWNER_NOTE_PREFIX = "managed by pulumi: ";

/**
 * The note that records the owner: `managed by pulumi: <project>/<stack>/<name>`. Opret writes it, and
 * an adoption writes it once (a Ret of the note alone), so everyone reads the owner on the subscription.
 *
 * @example
 * ownNote("fk-klassifikation/kobenhavn/borgerblikket") // "managed by pulumi: fk-klassifikation/kobenhavn/borgerblikket"
 */
export function ownNote(managedBy: string): string {
    return `${OWNER_NOTE_PREFIX}${managedBy}`;
}

/**
 * The Pulumi resource (`<project>/<stack>/<name>`) a note says manages the subscription; undefined for
 * a note that names none (made by hand and not yet under code, or the note cleared by hand).
 *
 * @example
 * ownerOf("managed by pulumi: p/kobenhavn/sub") // "p/kobenhavn/sub"
 * ownerOf(null) // undefined
 */
export function ownerOf(note: string | null | undefined): string | undefined {
    if (typeof note !== "string" || !note.startsWith(OWNER_NOTE_PREFIX)) return undefined;
    const owner = note.slice(OWNER_NOTE_PREFIX.length).trim();
    return owner.length > 0 ? owner : undefined;
}

/** True when a note says a Pulumi stack manages the subscription. */
export function madeByPulumi(note: string | null | undefined): boolean {
    return ownerOf(note) !== undefined;
}

/**
 * The stack of an owner `<project>/<stack>/<name>`, as messages name it: `<project>/<stack>`.
 *
 * @example
 * ownerStack("fk-klassifikation/kobenhavn/borgerblikket") // "fk-klassifikation/kobenhavn"
 */
export function ownerStack(owner: string): string {
    const parts = owner.split("/");
    return parts.length >= 3 ? parts.slice(0, -1).join("/") : owner;
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

/** Who asks: the resource that would own the subscription, and what it allows itself. */
export interface Claimant {
    /** `<project>/<stack>/<name>` of the resource (its `managedBy`). */
    managedBy: string;
    /** End a wrong one made by hand and create the declared one (repairExisting). @default false */
    repair?: boolean;
    /** Take over one that another stack manages (takeOver). @default false */
    takeOver?: boolean;
}

/** The decision on the active subscriptions with the declared sortiment and system. */
export interface Decision {
    /** `refuse`: a wrong one made by hand, no repair asked; `owned`: another stack manages one, no take-over asked. */
    plan: Plan | "refuse" | "owned";
    /** The one to adopt (plan `adopt`). */
    match?: Abonnement;
    /** True when adopting writes the note (the match does not yet name this resource as its owner). */
    claim: boolean;
    /** The ones that differ: refused, or ended by a repair or replacement; for `owned`, the one owned. */
    wrong: Abonnement[];
    /** For `owned`: the resource that owns it (`<project>/<stack>/<name>`). */
    owner?: string;
}

/**
 * Decides what to do about the active subscriptions found for the declared key. One another stack
 * manages is never touched without `takeOver`; one this resource manages may be replaced by it.
 *
 * @example
 * const d = decide(await api.searchAbonnementer({ ...key, aktiv: true }), inputs, { managedBy: inputs.managedBy });
 * if (d.plan === "owned") throw errors.ownedElsewhere(describeExisting(d.wrong[0]), d.owner!);
 */
export function decide(active: readonly Abonnement[], declared: Declared, who: Claimant): Decision {
    const foreign = active.find((a) => {
        const owner = ownerOf(a.note);
        return owner !== undefined && owner !== who.managedBy;
    });
    if (foreign && who.takeOver !== true) {
        return { plan: "owned", claim: false, wrong: [foreign], owner: ownerOf(foreign.note) };
    }
    const match = active.find((a) => mismatches(a, declared).length === 0);
    if (match) return { plan: "adopt", match, claim: match.note !== ownNote(who.managedBy), wrong: [] };
    if (active.length === 0) return { plan: "create", claim: false, wrong: [] };
    const own = active.every((a) => ownerOf(a.note) === who.managedBy);
    if (own) return { plan: "replace", claim: false, wrong: [...active] };
    return { plan: who.repair === true ? "repair" : "refuse", claim: false, wrong: [...active] };
}
