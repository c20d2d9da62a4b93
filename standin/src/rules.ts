// The stand-in's own rules for the values it stores: it keeps them apart from the provider's on
// purpose (the provider is tested against it, so the two must not share a mistake), and defines each
// once, here.

/** A uuid as the contract writes it: lower case. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A subscription's life cycle states (OIO livscykluskode). */
export const LIVSCYKLUSSER = ["Opstaaet", "Rettet", "Passiv", "Slettet"] as const;

export type Livscyklus = (typeof LIVSCYKLUSSER)[number];

/**
 * Two virkning intervals [from, to) overlap; a null `to` is open-ended. An empty interval (to = from:
 * created and ended the same day) is never in force, so it overlaps nothing.
 */
export function overlaps(a: { from: string; to: string | null }, b: { from: string; to: string | null }): boolean {
    if ((a.to !== null && a.to <= a.from) || (b.to !== null && b.to <= b.from)) return false;
    const aEndsAfterBStarts = a.to === null || a.to > b.from;
    const bEndsAfterAStarts = b.to === null || b.to > a.from;
    return aEndsAfterBStarts && bEndsAfterAStarts;
}
