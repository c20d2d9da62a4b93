// Synthetic it-systeminstanser for tests that need many subscribers (shared with the benchmarks).
export { syntheticSystem, syntheticSystemSeed } from "../../bench/common";
