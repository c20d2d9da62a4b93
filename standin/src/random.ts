// A small, fast generator of repeatable random numbers: the stand-in's fault injection draws from
// it, and so do tests that need random points they can replay (a fixed seed).

/**
 * mulberry32: numbers in [0, 1), the same sequence for the same seed.
 *
 * @example
 * const next = seededRandom(42);
 * next(); // always the same first number for seed 42
 */
export function seededRandom(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
