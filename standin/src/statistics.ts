// The stand-in's request counts, per operation and status, since start or the last reset: what tests
// and the benchmarks read to count API calls.

/** Counts of requests per operation and status. */
export interface OperationStats {
    total: number;
    byStatus: Record<string, number>;
}

/** Counts requests per operation and status. */
export class Statistics {
    private counts: Record<string, OperationStats> = {};
    count(operation: string, status: number | "dropped"): void {
        const s = (this.counts[operation] ??= { total: 0, byStatus: {} });
        s.total++;
        s.byStatus[String(status)] = (s.byStatus[String(status)] ?? 0) + 1;
    }
    current(): Record<string, OperationStats> {
        return structuredClone(this.counts);
    }
    reset(): void {
        this.counts = {};
    }
}
