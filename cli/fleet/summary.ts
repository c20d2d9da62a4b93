// A failed CLI run's reason as one line for the fleet's table, journal and report: the reason the
// engine's event log names (pulumi.ts), or, when the engine never ran, the most telling line of the
// CLI's output.
import { ENGINE_FRAME } from "./event-log";
import { CliError } from "./pulumi";

/** Lines that carry a reason (an FK error, a policy violation, a missing setting), not the engine's frame. */
const REASON = /\[FK_[A-Z_]+\]|error: |mandatory policy violation|Missing required|\bis "[^"]*": /;

/**
 * The reason of a failed CLI run: from the engine's event log when it has one; else the most
 * telling error line of its output: an FK error first, then a mandatory policy
 * violation, then any reason; the engine's progress text before it is cut off, and so is anything
 * past 1,000 characters.
 */
export function errorSummary(err: unknown): string {
    if (err instanceof CliError && err.reason) return err.reason.slice(0, 1000);
    const text = err instanceof Error ? err.message : String(err);
    const lines = text.split("\n").map((l) => l.trim());
    const useful = lines.filter((l) => REASON.test(l) && !ENGINE_FRAME.test(l));
    const picked =
        useful.find((l) => /\[FK_/.test(l)) ??
        useful.find((l) => /mandatory/.test(l)) ??
        useful[0] ??
        lines.find((l) => l) ??
        "failed";
    // The engine's progress lines carry the reason after its own text ("+  pulumi-nodejs:... creating (0s)
    // error: ..."): the reason only.
    return picked.replace(/^.*?\berror:\s*/, "").slice(0, 1000);
}
