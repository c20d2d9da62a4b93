// Runs one operation on every municipality's stack with bounded concurrency, over the real Pulumi CLI.
// Each municipality is a stack of the task's program, `gb10Program` from the repository's program.ts
// (which the root index.ts runs too), run inline in this process: no program process per stack, and
// the provider is serialized once for the whole fleet. One CLI call per stack and operation
// (./pulumi.ts, ./operations.ts). The fleet's project folder holds the stacks' settings files; the
// stack's config is written there (no CLI call), credentials stay in the environment of the stack's
// CLI calls (./stacks.ts). The journal (./journal.ts) lets a re-run skip what has not changed.
import * as fs from "node:fs";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import type { InventoryRow } from "./inventory";
import { fingerprint, Journal, lastUpOf, programFingerprint, unchangedSince } from "./journal";
import { RunRecords, withDeadLocksCleared } from "./locks";
import { isNoStack, Outcome, perform } from "./operations";
import { cancelStack, CliContext } from "./pulumi";
import { ensureProject, stackEnv, stackName } from "./stacks";
import { errorSummary } from "./summary";
import type { FleetOptions, StackResult } from "./types";

export * from "./types";

/** What one run shares among its rows. */
interface Run {
    opts: FleetOptions;
    projectDir: string;
    journal: Journal;
    /** The pulumi command found once for the run. */
    command: string;
    /** The program's fingerprint, hashed once for the run. */
    program: string;
    /** The CLI runs under way per stack, so a lock a killed run left can be told from a live one. */
    records: RunRecords;
}

/** The outcome of the row's operation: skipped when unchanged, else performed, any failure as a value. */
async function outcomeOf(row: InventoryRow, run: Run, ctx: CliContext | Error): Promise<Outcome> {
    const { opts, journal } = run;
    const name = stackName(row);
    const fp = fingerprint(row, run.program);
    const unchanged = unchangedSince(journal.get(name), fp, opts);
    if (unchanged) {
        const message = `unchanged since the last successful up (${unchanged}); --force re-runs it`;
        return { result: "skipped", message, changes: {} };
    }
    if (ctx instanceof Error) return { result: "failed", message: ctx.message, changes: {} };
    const at = () => new Date().toISOString();
    try {
        const outcome = await withDeadLocksCleared(
            ctx,
            run.records,
            opts.clearDeadLocks === true,
            () => perform(ctx, row, opts),
            () => cancelStack(ctx),
        );
        if (opts.operation === "up")
            journal.set(name, { fingerprint: fp, operation: "up", result: "succeeded", at: at() });
        if (opts.operation === "refresh" || opts.operation === "destroy") journal.forget(name);
        return outcome;
    } catch (err) {
        const error = errorSummary(err);
        if (opts.operation === "up")
            journal.set(name, { fingerprint: fp, operation: "up", result: "failed", at: at(), error });
        if (isNoStack(err)) return { result: "skipped", message: "no stack yet (run fleet up first)", changes: {} };
        return { result: "failed", message: error, changes: {} };
    }
}

/** The CLI context of a row's stack, or the error that its environment could not be made. */
function contextOf(row: InventoryRow, run: Run): CliContext | Error {
    try {
        return {
            command: run.command,
            cwd: run.projectDir,
            stack: stackName(row),
            env: stackEnv(row, run.opts),
            onLine: (line) => run.opts.onEvent({ kind: "output", row, line }),
            runs: {
                started: (pid) => run.records.started(stackName(row), pid, run.opts.operation),
                ended: (pid) => run.records.ended(stackName(row), pid),
            },
        };
    } catch (err) {
        return err as Error;
    }
}

async function runOne(row: InventoryRow, run: Run): Promise<StackResult> {
    const name = stackName(row);
    const started = Date.now();
    const o = await outcomeOf(row, run, contextOf(row, run));
    const last = run.journal.get(name);
    return {
        kommunekode: row.kommunekode,
        navn: row.navn,
        stack: name,
        operation: run.opts.operation,
        result: o.result,
        message: o.message,
        changes: o.changes,
        durationMs: Date.now() - started,
        ...(o.task ? { task: o.task } : {}),
        ...(o.survey ? { survey: o.survey } : {}),
        ...(o.survey && last ? { lastUp: lastUpOf(last) } : {}),
    };
}

/** Runs the operation over all rows, at most `concurrency` at a time; never stops at a failure. */
export async function runFleet(opts: FleetOptions): Promise<StackResult[]> {
    fs.mkdirSync(opts.stateDir, { recursive: true, mode: 0o700 });
    // One look at the CLI (`pulumi version`) for the whole fleet, not one per stack.
    const skip = "PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK";
    const pulumiCommand = await PulumiCommand.get({ skipVersionCheck: !!opts.engineEnv[skip] || !!process.env[skip] });
    const run: Run = {
        opts,
        projectDir: ensureProject(opts.stateDir),
        journal: new Journal(opts.stateDir),
        command: pulumiCommand.command,
        program: programFingerprint(),
        records: new RunRecords(opts.stateDir),
    };
    const results = new Array<StackResult>(opts.rows.length);
    let next = 0;
    const worker = async () => {
        while (next < opts.rows.length) {
            const i = next++;
            const row = opts.rows[i];
            opts.onEvent({ kind: "start", row });
            const result = await runOne(row, run);
            results[i] = result;
            run.journal.save();
            opts.onEvent({ kind: "finish", row, result });
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, opts.rows.length)) }, worker));
    return results;
}
