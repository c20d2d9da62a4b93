// Runs one operation on every municipality's stack with bounded concurrency, over the real Pulumi CLI.
// Each municipality is a stack of the task's program, `gb10Program` from the repository's program.ts
// (which the root index.ts runs too), run inline in this process: no program process per stack, and
// the provider is serialized once for the whole fleet. One CLI call per stack and operation
// (./pulumi.ts). The fleet's project folder holds the stacks' settings files; the stack's config is
// written there (no CLI call), credentials stay in the environment of the stack's CLI calls.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import {
    CONNECTION_SETTINGS,
    ConnectionSettingKey,
    envName,
    readConnectionSettings,
    surveyMunicipality,
    SurveyResult,
    SurveyState,
} from "@fk-iac/klassifikation";
import { HttpClassificationApi } from "@fk-iac/klassifikation/api";
import { gb10Program } from "../../program.ts";
import { repoRoot } from "../local";
import { credentialEnv, InventoryRow } from "./inventory";
import { CliContext, CliError, InlineProgram, prepareStack, runStackCommand, stackOutputs } from "./pulumi";

/** The fleet's Pulumi project (the root Pulumi.yaml's name). */
const PROJECT = "gb10-borgerblikket";

export type FleetOperation = "preview" | "up" | "refresh" | "destroy" | "status";
export const OPERATIONS: FleetOperation[] = ["preview", "up", "refresh", "destroy", "status"];

/** The outcome for one municipality. */
export interface StackResult {
    kommunekode: string;
    navn: string;
    stack: string;
    operation: FleetOperation;
    result: "succeeded" | "failed" | "skipped";
    /** Resource changes by kind (create, update, delete, same, ...). */
    changes: Record<string, number>;
    durationMs: number;
    /** For status: the municipality's state (see the survey's states). */
    task?: SurveyState;
    /** For status: what the survey found. */
    survey?: SurveyResult;
    /** For status: the stack's last `up` as the fleet's journal has it. */
    lastUp?: { result: string; at: string; error?: string };
    message: string;
}

export interface FleetOptions {
    operation: FleetOperation;
    rows: InventoryRow[];
    concurrency: number;
    /** Folder for the fleet's project, journal and reports. */
    stateDir: string;
    /** Engine environment (backend, passphrase, offline settings). */
    engineEnv: Record<string, string>;
    /** Policy pack applied to every preview and up. */
    policyPack: string;
    /** Re-run `up` also where nothing changed since the last successful one. */
    force: boolean;
    /** Repair every row's wrong subscription (as the inventory column `repair` does for one row). */
    repair?: boolean;
    /** Connection settings shared by every row (--setting caBundleFile=...): see SHARED_CONNECTION_SETTINGS. */
    settings?: Partial<Record<ConnectionSettingKey, string>>;
    onEvent: (event: FleetEvent) => void;
}

export type FleetEvent =
    | { kind: "start"; row: InventoryRow }
    | { kind: "output"; row: InventoryRow; line: string }
    | { kind: "finish"; row: InventoryRow; result: StackResult };

export interface JournalEntry {
    fingerprint: string;
    operation: FleetOperation;
    result: StackResult["result"];
    at: string;
    /** A failed run's reason. */
    error?: string;
}

export function stackName(row: InventoryRow): string {
    const slug = row.navn
        .normalize("NFKD")
        .replace(/[\u0300-\u036f]/g, "")
        .replace(/æ/gi, "ae")
        .replace(/ø/gi, "oe")
        .replace(/å/gi, "aa")
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "");
    return `${row.kommunekode}-${slug || "kommune"}`;
}

/** What an `up` depends on: the row (with the credentials reference, never the secret) and the program. */
function fingerprint(row: InventoryRow): string {
    const h = crypto.createHash("sha256");
    h.update(JSON.stringify({ ...row, line: undefined }));
    for (const f of [
        "program.ts",
        "Pulumi.yaml",
        "provider/package.json",
        "policy/package.json",
        "package-lock.json",
    ]) {
        h.update(fs.readFileSync(path.join(repoRoot, f)));
    }
    return h.digest("hex");
}

function readJournal(file: string): Record<string, JournalEntry> {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, JournalEntry>;
    } catch {
        return {};
    }
}

/**
 * The project folder: Pulumi.yaml whose `main` is the repository's root program, so `pulumi` run by
 * hand in this folder works on the fleet's stacks too.
 */
function ensureProject(stateDir: string): string {
    const dir = path.join(stateDir, "project");
    fs.mkdirSync(dir, { recursive: true });
    const main = path.relative(dir, repoRoot) || ".";
    const yaml = [
        "# Written by the fleet command: the stacks of task GB1.0, one per municipality.",
        `name: ${PROJECT}`,
        "runtime:",
        "  name: nodejs",
        "  options:",
        "    typescript: false",
        `main: ${main}/index.ts`,
        "",
    ].join("\n");
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), yaml);
    return dir;
}

/** The most telling error lines of a failed CLI run. */
export function errorSummary(err: unknown): string {
    const text = err instanceof Error ? err.message : String(err);
    const lines = text.split("\n").map((l) => l.trim());
    const useful = lines.filter(
        (l) =>
            /\[FK_[A-Z_]+\]|error: |mandatory policy violation|Missing required|\bis "[^"]*": /.test(l) &&
            !/^error: update failed|^error: preview failed|^error: refresh failed|^error: destroy failed/.test(l),
    );
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

/**
 * This municipality's connection only: every setting the connection module reads is cleared of what
 * the shell had (the list comes from that module), then set from the row and the fleet's own shared
 * settings (--setting).
 */
function stackEnv(row: InventoryRow, opts: FleetOptions): Record<string, string> {
    return {
        ...opts.engineEnv,
        ...Object.fromEntries(CONNECTION_SETTINGS.map((key) => [envName(key), ""])),
        ...Object.fromEntries(Object.entries(opts.settings ?? {}).map(([key, value]) => [envName(key), value])),
        FK_KLASSIFIKATION_ENDPOINT: row.endpoint,
        ...credentialEnv(row),
    };
}

/** The program's config for a row's stack: plain values only (credentials stay in the environment). */
function stackConfig(row: InventoryRow, opts: FleetOptions): Record<string, string> {
    return {
        [`${PROJECT}:repairExisting`]: String(row.repair || opts.repair === true),
        "kommune:kode": row.kommunekode,
        "kommune:navn": row.navn,
        // The program runs in this process: its endpoint must come from the stack, not the environment.
        "fk:endpoint": row.endpoint,
        [`${PROJECT}:debtorSystem`]: row.debtorSystem,
    };
}

const program: InlineProgram = () => Promise.resolve(gb10Program());

const summarize = (changes: Record<string, number>) =>
    Object.entries(changes)
        .filter(([k, n]) => k !== "same" && n > 0)
        .map(([k, n]) => `${k} ${n}`)
        .join(", ");

type Outcome = Pick<StackResult, "result" | "message" | "changes"> & { task?: SurveyState; survey?: SurveyResult };

/** Carries out the operation on the stack: one CLI call (and one more the first time a stack is made). */
async function perform(ctx: CliContext, row: InventoryRow, opts: FleetOptions): Promise<Outcome> {
    const policy = ["--policy-pack", opts.policyPack];
    switch (opts.operation) {
        case "preview": {
            await prepareStack(ctx, stackConfig(row, opts));
            const { changes } = await runStackCommand(ctx, "preview", policy, program);
            return {
                result: "succeeded",
                message: summarize(changes) ? `would ${summarize(changes)}` : "no changes",
                changes,
            };
        }
        case "up": {
            await prepareStack(ctx, stackConfig(row, opts));
            const { changes, outputs } = await runStackCommand(ctx, "up", policy, program);
            const uuid = outputs.abonnementUuid as string | undefined;
            return {
                result: "succeeded",
                message: `${summarize(changes) || "no changes"}; abonnement ${uuid ?? "?"}`,
                changes,
            };
        }
        case "refresh": {
            const { changes } = await runStackCommand(ctx, "refresh", []);
            return {
                result: "succeeded",
                message: summarize(changes) ? `drift found: ${summarize(changes)}` : "in sync",
                changes,
            };
        }
        case "destroy": {
            const { changes } = await runStackCommand(ctx, "destroy", []);
            return {
                result: "succeeded",
                message: "destroyed (the subscription was ended as onDestroy says)",
                changes,
            };
        }
        case "status": {
            // A stack that holds nothing yet (or none at all) is looked up by sortiment and system.
            const uuid = (await stackOutputs(ctx).catch(noStackYet)).abonnementUuid as string | undefined;
            // This stack's own credentials, from its environment (empty values count as unset).
            const api = new HttpClassificationApi(
                readConnectionSettings((k) => ctx.env[envName(k)] || undefined, row.endpoint),
            );
            const found = await surveyMunicipality(api, {
                kommunekode: row.kommunekode,
                itSystemInstans: row.debtorSystem,
                ...(uuid ? { stackUuid: uuid } : {}),
            });
            const ok = ["done", "pending", "by-hand"].includes(found.state);
            return {
                result: ok ? "succeeded" : "failed",
                message: `${found.detail}${found.next ? ` (next: ${found.next})` : ""}`,
                changes: {},
                task: found.state,
                survey: found,
            };
        }
    }
}

/** Outputs of a stack that does not exist yet: none. */
function noStackYet(err: unknown): Record<string, unknown> {
    if (err instanceof CliError && /no stack named '[^']*' found/.test(err.message)) return {};
    throw err;
}

/** A stack's last `up`, as the journal has it. */
function lastUpOf(entry: JournalEntry): NonNullable<StackResult["lastUp"]> {
    return { result: entry.result, at: entry.at, ...(entry.error ? { error: entry.error } : {}) };
}

/** When `up` may skip the stack: the time of its last successful up with the same fingerprint. */
function unchangedSince(last: JournalEntry | undefined, fp: string, opts: FleetOptions): string | undefined {
    const same = opts.operation === "up" && !opts.force && last?.operation === "up" && last.result === "succeeded";
    return same && last.fingerprint === fp ? last.at : undefined;
}

async function runOne(
    row: InventoryRow,
    opts: FleetOptions,
    projectDir: string,
    journal: Record<string, JournalEntry>,
    command: string,
): Promise<StackResult> {
    const name = stackName(row);
    const started = Date.now();
    const done = (o: Outcome): StackResult => ({
        kommunekode: row.kommunekode,
        navn: row.navn,
        stack: name,
        operation: opts.operation,
        result: o.result,
        message: o.message,
        changes: o.changes,
        durationMs: Date.now() - started,
        ...(o.task ? { task: o.task } : {}),
        ...(o.survey ? { survey: o.survey } : {}),
        ...(o.survey && journal[name] ? { lastUp: lastUpOf(journal[name]) } : {}),
    });
    const fp = fingerprint(row);
    const unchanged = unchangedSince(journal[name], fp, opts);
    if (unchanged) {
        return done({
            result: "skipped",
            message: `unchanged since the last successful up (${unchanged}); --force re-runs it`,
            changes: {},
        });
    }
    const at = () => new Date().toISOString();
    let env: Record<string, string>;
    try {
        env = stackEnv(row, opts);
    } catch (err) {
        return done({ result: "failed", message: (err as Error).message, changes: {} });
    }
    const ctx: CliContext = {
        command,
        cwd: projectDir,
        stack: name,
        env,
        onLine: (line) => opts.onEvent({ kind: "output", row, line }),
    };
    try {
        const outcome = await perform(ctx, row, opts);
        if (opts.operation === "up")
            journal[name] = { fingerprint: fp, operation: "up", result: "succeeded", at: at() };
        // A refresh may have found drift, and a destroy leaves nothing: the next up must run.
        if (opts.operation === "refresh" || opts.operation === "destroy") delete journal[name];
        return done(outcome);
    } catch (err) {
        if (opts.operation === "up")
            journal[name] = { fingerprint: fp, operation: "up", result: "failed", at: at(), error: errorSummary(err) };
        if (err instanceof CliError && /no stack named '[^']*' found/.test(err.message)) {
            return done({ result: "skipped", message: "no stack yet (run fleet up first)", changes: {} });
        }
        return done({ result: "failed", message: errorSummary(err), changes: {} });
    }
}

/** Runs the operation over all rows, at most `concurrency` at a time; never stops at a failure. */
export async function runFleet(opts: FleetOptions): Promise<StackResult[]> {
    fs.mkdirSync(opts.stateDir, { recursive: true, mode: 0o700 });
    const projectDir = ensureProject(opts.stateDir);
    // One look at the CLI (`pulumi version`) for the whole fleet, not one per stack.
    const skip = "PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK";
    const pulumiCommand = await PulumiCommand.get({ skipVersionCheck: !!opts.engineEnv[skip] || !!process.env[skip] });
    const journalFile = path.join(opts.stateDir, "journal.json");
    const journal = readJournal(journalFile);
    const results = new Array<StackResult>(opts.rows.length);
    let next = 0;
    const saveJournal = () => fs.writeFileSync(journalFile, `${JSON.stringify(journal, null, 2)}\n`);
    const worker = async () => {
        while (next < opts.rows.length) {
            const i = next++;
            const row = opts.rows[i];
            opts.onEvent({ kind: "start", row });
            const result = await runOne(row, opts, projectDir, journal, pulumiCommand.command);
            results[i] = result;
            saveJournal();
            opts.onEvent({ kind: "finish", row, result });
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, opts.rows.length)) }, worker));
    return results;
}
