// Synthetic it-systeminstanser for tests that need many subscribers (shared with the benchmarks,
// which import it from here: nothing in test/ imports from bench/).
import { KMD_OPUS_DEBITOR } from "@fk-iac/klassifikation/rules";

/** The uuid of subscriber i: KMD Opus Debitor for 0, a synthetic one otherwise. */
export function syntheticSystem(i: number): string {
    return i === 0 ? KMD_OPUS_DEBITOR : `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
}

/** Seed entries for subscribers 1..n-1 (KMD Opus Debitor is always seeded). */
export function syntheticSystemSeed(n: number): Array<{ uuid: string; navn: string }> {
    return Array.from({ length: n }, (_, i) => ({ uuid: syntheticSystem(i), navn: `System ${i}` })).slice(1);
}
