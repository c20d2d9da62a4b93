// The stand-in's own rules for the values it stores: it keeps them apart from the provider's on
// purpose (the provider is tested against it, so the two must not share a mistake), and defines each
// once, here.

/** A uuid as the contract writes it: lower case. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A subscription's life cycle states (OIO livscykluskode). */
export const LIVSCYKLUSSER = ["Opstaaet", "Rettet", "Passiv", "Slettet"] as const;

export type Livscyklus = (typeof LIVSCYKLUSSER)[number];
