// The final table and the machine-readable report of a fleet run.
import * as fs from "node:fs";
import type { SurveyState } from "@fk-iac/klassifikation";
import type { FleetOperation, StackResult } from "./types";

export interface FleetReport {
    operation: FleetOperation;
    startedAt: string;
    finishedAt: string;
    concurrency: number;
    inventory: string;
    totals: { succeeded: number; failed: number; skipped: number };
    /** For status: how many municipalities are in each state (the figures its page shows). */
    counts?: Record<SurveyState, number>;
    stacks: StackResult[];
}

export function makeReport(
    operation: FleetOperation,
    inventory: string,
    concurrency: number,
    startedAt: Date,
    stacks: StackResult[],
): FleetReport {
    const count = (r: StackResult["result"]) => stacks.filter((s) => s.result === r).length;
    return {
        operation,
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        concurrency,
        inventory,
        totals: { succeeded: count("succeeded"), failed: count("failed"), skipped: count("skipped") },
        stacks,
    };
}

export function writeReport(file: string, report: FleetReport): void {
    fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}

/** A fixed-width table, one row per municipality. */
export function table(report: FleetReport): string {
    const rows = report.stacks.map((s) => [
        s.kommunekode,
        s.navn,
        s.result + (s.task ? `/${s.task}` : ""),
        `${(s.durationMs / 1000).toFixed(1)}s`,
        s.message,
    ]);
    const head = ["kode", "kommune", "result", "time", "details"];
    const widths = head.map((h, i) =>
        Math.min(i === 4 ? 200 : 40, Math.max(h.length, ...rows.map((r) => r[i].length))),
    );
    const fmt = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
    const { succeeded, failed, skipped } = report.totals;
    return [
        fmt(head),
        fmt(widths.map((w) => "-".repeat(w))),
        ...rows.map(fmt),
        "",
        `${report.operation}: ${succeeded} succeeded, ${failed} failed, ${skipped} skipped (${report.stacks.length} municipalities, concurrency ${report.concurrency})`,
    ].join("\n");
}
