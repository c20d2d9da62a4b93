// Subscriptions that existed before the stand-in started (a seed), added with their own dates and
// actors, each under a uuid derived from its entry when it names none, so a seed always gives the same.
import * as crypto from "node:crypto";
import type { z } from "zod";
import type { abonnementSeedSchema } from "./seed";
import type { Store } from "./store";

/** A seeded subscription, as the seed's schema gives it. */
export type SeededAbonnement = z.output<typeof abonnementSeedSchema>;

/** A uuid (version 4 form) derived from a text, so the same seed entry always gets the same uuid. */
function uuidFrom(text: string): string {
    const h = crypto.createHash("sha256").update(text).digest("hex");
    const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Adds a subscription that existed before (a seed), with its own dates and actors; an entry already
 * there (same uuid) is left as it is.
 */
export function importAbonnement(store: Store, seed: SeededAbonnement): void {
    const sortiment = store.getSortiment(seed.sortiment) ?? store.searchSortimenter(seed.sortiment)[0];
    if (!sortiment) throw new Error(`seeded abonnement: no sortiment ${seed.sortiment}`);
    if (!store.getItSystemInstans(seed.itSystemInstans))
        throw new Error(`seeded abonnement: no it-systeminstans ${seed.itSystemInstans}`);
    const uuid = seed.uuid ?? uuidFrom(JSON.stringify(seed));
    if (store.getAbonnement(uuid)) return;
    store.insert({
        uuid,
        version: seed.aendret ? 2 : 1,
        kommunekode: seed.kommunekode,
        sortiment: sortiment.uuid,
        itSystemInstans: seed.itSystemInstans,
        skemaversion: seed.skemaversion,
        from: seed.virkning.from,
        to: seed.virkning.to,
        livscyklus: seed.livscyklus,
        note: seed.note,
        oprettet: new Date(seed.oprettet).toISOString(),
        oprettetAf: seed.oprettetAf,
        tidspunkt: new Date(seed.aendret?.tidspunkt ?? seed.oprettet).toISOString(),
        aktoer: seed.aendret?.aktoer ?? seed.oprettetAf,
    });
}
