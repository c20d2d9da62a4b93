// What to do about the active subscriptions found for a declaration: adopt the one that is right,
// create when there is none, replace this resource's own, repair (when asked) or refuse one made by hand
// with other values, and never touch one another stack manages without takeOver.
import { type Declared, mismatches } from "./existing";
import { ownerOf, ownNote } from "./ownership";
import type { Abonnement } from "./wire";

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
