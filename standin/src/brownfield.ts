// The world the project meets: task GB1.0's recommended end date was 15 August 2023, so most
// municipalities made the subscription by hand in the web UI long ago. This module makes that world for
// the stand-in, deterministically: for a list of municipalities, the subscriptions they made, with
// their history, in a fixed mix of states (most correct, some with skemaversion 1.2 or an end date,
// some ended or passivated since, some never made).
import { AbonnementSeed, KMD_OPUS_DEBITOR_UUID } from "./seed";
import { addDays } from "./time";

/**
 * What a municipality did by hand, as the seed makes it.
 *
 * - `by-hand`: the task's values, made in the web UI in 2023 (some also have an older, ended one).
 * - `wrong-skemaversion`: active, but with skemaversion 1.2.
 * - `wrong-gyldig-til`: active, but with an end date (Gyldig til) the task leaves empty.
 * - `ended`: made, then ended (Gyldig til in the past).
 * - `passive`: made, then passivated.
 * - `missing`: never made.
 */
export type BrownfieldCase = "by-hand" | "wrong-skemaversion" | "wrong-gyldig-til" | "ended" | "passive" | "missing";

/** Of every 14 municipalities in order: 10 by hand, one 1.2, one ended, one missing, one of the rarer cases. */
const CYCLE: BrownfieldCase[] = [
    ...Array<BrownfieldCase>(10).fill("by-hand"),
    "wrong-skemaversion",
    "ended",
    "missing",
];
const RARE: BrownfieldCase[] = ["passive", "wrong-gyldig-til", "wrong-skemaversion"];

/**
 * The case of each municipality, by its position in the list (the same list gives the same cases).
 *
 * @example
 * brownfieldCases(["0101", "0147"]); // [{ kommunekode: "0101", case: "by-hand" }, ...]
 */
export function brownfieldCases(kommunekoder: readonly string[]): { kommunekode: string; case: BrownfieldCase }[] {
    return kommunekoder.map((kommunekode, i) => {
        const inCycle = i % 14;
        const kind = inCycle < CYCLE.length ? CYCLE[inCycle] : RARE[Math.floor(i / 14) % RARE.length];
        return { kommunekode, case: kind };
    });
}

export interface BrownfieldOptions {
    /** @default "Borgerblikket" */
    sortiment?: string;
    /** @default KMD Opus Debitor */
    itSystemInstans?: string;
}

/**
 * The subscriptions the municipalities made by hand, as stand-in seed entries: made in the web UI by a
 * named administrator between May and August 2023, delivered long since, some changed later.
 *
 * @example
 * startStandin({ seed: { tenants, abonnementer: brownfieldSubscriptions(tenants) } });
 */
export function brownfieldSubscriptions(
    tenants: readonly { kommunekode: string; navn: string }[],
    opts: BrownfieldOptions = {},
): AbonnementSeed[] {
    const sortiment = opts.sortiment ?? "Borgerblikket";
    const itSystemInstans = opts.itSystemInstans ?? KMD_OPUS_DEBITOR_UUID;
    const navn = new Map(tenants.map((t) => [t.kommunekode, t.navn]));
    return brownfieldCases(tenants.map((t) => t.kommunekode)).flatMap(({ kommunekode, case: kind }, i) => {
        if (kind === "missing") return [];
        const from = addDays("2023-05-15", (i * 7) % 90);
        const admin = `bruger:klassifikationsadministrator (${navn.get(kommunekode)}, web-UI)`;
        const made = {
            kommunekode,
            sortiment,
            itSystemInstans,
            virkning: { from, to: null as string | null },
            oprettet: `${from}T08:${String(10 + (i % 50)).padStart(2, "0")}:00Z`,
            oprettetAf: admin,
        };
        const changed = (day: string) => ({ tidspunkt: `${day}T12:00:00Z`, aktoer: admin });
        switch (kind) {
            case "by-hand": {
                const current: AbonnementSeed = { ...made, skemaversion: "1.3" };
                if (i % 5 !== 0) return [current];
                // History kept: an earlier 1.2 subscription, ended the day the 1.3 one began.
                const earlierFrom = addDays(from, -60);
                const earlier: AbonnementSeed = {
                    ...made,
                    skemaversion: "1.2",
                    virkning: { from: earlierFrom, to: from },
                    livscyklus: "Rettet",
                    oprettet: `${earlierFrom}T09:00:00Z`,
                    aendret: changed(from),
                };
                return [earlier, current];
            }
            case "wrong-skemaversion":
                return [{ ...made, skemaversion: "1.2" }];
            case "wrong-gyldig-til":
                return [{ ...made, skemaversion: "1.3", virkning: { from, to: "2031-12-31" } }];
            case "ended":
                return [
                    {
                        ...made,
                        skemaversion: "1.3",
                        virkning: { from, to: "2024-03-01" },
                        livscyklus: "Rettet",
                        aendret: changed("2024-02-20"),
                    },
                ];
            case "passive":
                return [{ ...made, skemaversion: "1.3", livscyklus: "Passiv", aendret: changed("2024-09-02") }];
        }
    });
}
