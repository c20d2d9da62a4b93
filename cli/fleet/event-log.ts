// What one CLI call came to, read from the engine's event log (`--event-log`, one JSON event per
// line): the changes, the stack's outputs, and why it failed.
import * as fs from "node:fs";
import type { EngineEvent } from "@pulumi/pulumi/automation";

/** The outcome of one call: resource changes by kind, and the stack's outputs (after up). */
export interface CliOutcome {
    changes: Record<string, number>;
    outputs: Record<string, unknown>;
    /**
     * Why the call failed, from the engine's event log: a resource's error, else a mandatory policy
     * violation, else the first error. @default none (the call succeeded, or the engine never ran)
     */
    failure?: string;
}

/** The engine's closing line ("error: update failed"), which says nothing of why. */
export const ENGINE_FRAME = /^(?:error:\s*)?(?:update|preview|refresh|destroy) failed$/;

/** A message of the engine as one line: whitespace collapsed, the "error: " the engine prefixes dropped. */
const oneLine = (message: string) =>
    message
        .replace(/\s+/g, " ")
        .replace(/^\s*error:\s*/, "")
        .trim();

/**
 * The changes, the stack's outputs and the reason of a failure, read from the engine's event log of
 * one call (one JSON event per line). A log cut short by a kill keeps what it has.
 */
export function readEventLog(file: string): CliOutcome {
    const outcome: CliOutcome = { changes: {}, outputs: {} };
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        return outcome;
    }
    const errors: { resource: boolean; message: string }[] = [];
    let policy: string | undefined;
    for (const line of text.split("\n")) {
        let event: EngineEvent;
        try {
            event = JSON.parse(line) as EngineEvent;
        } catch {
            continue;
        }
        if (event.summaryEvent) outcome.changes = event.summaryEvent.resourceChanges ?? {};
        const res = event.resOutputsEvent?.metadata;
        if (res?.type === "pulumi:pulumi:Stack") outcome.outputs = (res.new?.outputs ?? {}) as Record<string, unknown>;
        const diag = event.diagnosticEvent;
        const message = diag ? oneLine(diag.message) : "";
        if (diag?.severity === "error" && message && !ENGINE_FRAME.test(message)) {
            errors.push({
                resource: Boolean(diag.urn && !diag.urn.includes("::pulumi:pulumi:Stack::")),
                message,
            });
        }
        const violation = event.policyEvent;
        if (violation?.enforcementLevel === "mandatory" && policy === undefined)
            policy = `mandatory policy violation ${violation.policyName}: ${oneLine(violation.message)}`;
    }
    const failure = errors.find((e) => e.resource)?.message ?? policy ?? errors[0]?.message;
    if (failure) outcome.failure = failure;
    return outcome;
}
