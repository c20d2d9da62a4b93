// Progress of a fleet run: a live board on a terminal, plain lines otherwise (CI logs, pipes).
import type { InventoryRow } from "./inventory";
import type { FleetEvent, StackResult } from "./types";

export interface Progress {
    event(e: FleetEvent): void;
    close(): void;
}

const label = (row: InventoryRow) => `${row.kommunekode} ${row.navn}`;

function outcome(r: StackResult): string {
    return `${r.result}${r.task ? ` (${r.task})` : ""} in ${(r.durationMs / 1000).toFixed(1)}s: ${r.message}`;
}

/** One line per start and finish; the engine's own output only with verbose. */
export function plainProgress(total: number, write: (s: string) => void, verbose: boolean): Progress {
    let finished = 0;
    return {
        event(e) {
            if (e.kind === "start") write(`[${label(e.row)}] started`);
            else if (e.kind === "output") {
                if (verbose) write(`[${label(e.row)}] ${e.line}`);
            } else {
                finished++;
                write(`[${label(e.row)}] ${outcome(e.result)} (${finished}/${total})`);
            }
        },
        close() {},
    };
}

/** A board redrawn in place: counts, then each running stack with its latest engine line. */
export function liveProgress(total: number, stream: NodeJS.WriteStream): Progress {
    const running = new Map<string, { row: InventoryRow; line: string; since: number }>();
    let done = 0;
    let failed = 0;
    let skipped = 0;
    let drawn = 0;
    const width = () => Math.max(40, (stream.columns ?? 100) - 1);
    const draw = () => {
        const lines = [
            `fleet: ${running.size} running, ${done} done, ${failed} failed, ${skipped} skipped, ${total - done - failed - skipped - running.size} queued`,
            ...[...running.values()].map(
                (r) => `  ${label(r.row)} (${((Date.now() - r.since) / 1000).toFixed(0)}s) ${r.line}`,
            ),
        ].map((l) => l.slice(0, width()));
        stream.write(`${drawn ? `\x1b[${drawn}A` : ""}${lines.map((l) => `\x1b[2K${l}`).join("\n")}\n\x1b[J`);
        drawn = lines.length;
    };
    const timer = setInterval(draw, 250);
    return {
        event(e) {
            const key = e.row.kommunekode;
            if (e.kind === "start") running.set(key, { row: e.row, line: "starting", since: Date.now() });
            else if (e.kind === "output") {
                const r = running.get(key);
                if (r) r.line = e.line.trim();
            } else {
                running.delete(key);
                if (e.result.result === "failed") failed++;
                else if (e.result.result === "skipped") skipped++;
                else done++;
                // Finished stacks scroll above the board.
                stream.write(`${drawn ? `\x1b[${drawn}A\x1b[J` : ""}[${label(e.row)}] ${outcome(e.result)}\n`);
                drawn = 0;
                draw();
            }
        },
        close() {
            clearInterval(timer);
            draw();
        },
    };
}
