// Runs one operation on every municipality's stack with bounded concurrency, on the Automation API
// over the real Pulumi CLI. Each municipality is a stack of the task's program (the repository's
// root index.ts); the fleet's project folder only holds the stacks' settings.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { checkTask, envName, readConnectionSettings, TaskState } from "@fk-iac/klassifikation";
import { HttpClassificationApi } from "@fk-iac/klassifikation/api";
import { repoRoot } from "../local";
import { credentialEnv, InventoryRow } from "./inventory";

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
    /** For status: the task's state. */
    task?: TaskState;
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
    onEvent: (event: FleetEvent) => void;
}

export type FleetEvent =
    | { kind: "start"; row: InventoryRow }
    | { kind: "output"; row: InventoryRow; line: string }
    | { kind: "finish"; row: InventoryRow; result: StackResult };

interface JournalEntry {
    fingerprint: string;
    operation: FleetOperation;
    result: StackResult["result"];
    at: string;
}

export function stackName(row: InventoryRow): string {
    const slug = row.navn.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/æ/gi, "ae").replace(/ø/gi, "oe").replace(/å/gi, "aa")
        .toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
    return `${row.kommunekode}-${slug || "kommune"}`;
}

/** What an `up` depends on: the row (with the credentials reference, never the secret) and the program. */
function fingerprint(row: InventoryRow): string {
    const h = crypto.createHash("sha256");
    h.update(JSON.stringify({ ...row, line: undefined }));
    for (const f of ["index.ts", "Pulumi.yaml", "provider/package.json", "policy/package.json", "package-lock.json"]) {
        h.update(fs.readFileSync(path.join(repoRoot, f)));
    }
    return h.digest("hex");
}

function readJournal(file: string): Record<string, JournalEntry> {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8"));
    } catch {
        return {};
    }
}

/** The project folder: Pulumi.yaml whose `main` is the repository's root program. */
function ensureProject(stateDir: string): string {
    const dir = path.join(stateDir, "project");
    fs.mkdirSync(dir, { recursive: true });
    const main = path.relative(dir, repoRoot) || ".";
    const yaml = [
        "# Written by the fleet command: the stacks of task GB1.0, one per municipality.",
        "name: gb10-borgerblikket",
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
    const useful = lines.filter((l) => /\[FK_[A-Z_]+\]|error: |mandatory policy violation|Missing required|\bis "[^"]*": /.test(l)
        && !/^error: update failed|^error: preview failed|^error: refresh failed|^error: destroy failed/.test(l));
    const picked = useful.find((l) => /\[FK_/.test(l)) ?? useful.find((l) => /mandatory/.test(l)) ?? useful[0] ?? lines.find((l) => l) ?? "failed";
    return picked.replace(/^error:\s*/, "").slice(0, 400);
}

/** This municipality's connection only: anything inherited from the shell is cleared. */
function stackEnv(row: InventoryRow, opts: FleetOptions): Record<string, string> {
    return {
        ...opts.engineEnv,
        FK_KLASSIFIKATION_TOKEN: "",
        FK_KLASSIFIKATION_CLIENT_CERTIFICATE_FILE: "",
        FK_KLASSIFIKATION_CLIENT_KEY_FILE: "",
        FK_KLASSIFIKATION_CLIENT_KEY_PASSPHRASE: "",
        FK_KLASSIFIKATION_ENDPOINT: row.endpoint,
        ...credentialEnv(row),
    };
}

/** The stack of a row: made (with its municipality's config) for preview and up, else only selected. */
async function openStack(row: InventoryRow, opts: FleetOptions, projectDir: string, env: Record<string, string>,
    pulumiCommand: PulumiCommand): Promise<Stack | undefined> {
    const args = { stackName: stackName(row), workDir: projectDir };
    if (opts.operation === "up" || opts.operation === "preview") {
        const stack = await LocalWorkspace.createOrSelectStack(args, { envVars: env, pulumiCommand });
        await stack.setAllConfig({
            "kommune:kode": { value: row.kommunekode },
            "kommune:navn": { value: row.navn },
            "gb10-borgerblikket:debtorSystem": { value: row.debtorSystem },
        });
        return stack;
    }
    try {
        return await LocalWorkspace.selectStack(args, { envVars: env, pulumiCommand });
    } catch (err) {
        if (/no stack named|not found/i.test(String(err))) return undefined;
        throw err;
    }
}

const summarize = (changes: Record<string, number>) =>
    Object.entries(changes).filter(([k, n]) => k !== "same" && n > 0).map(([k, n]) => `${k} ${n}`).join(", ");

type Outcome = Pick<StackResult, "result" | "message" | "changes"> & { task?: TaskState };

/** Carries out the operation on an open stack. */
async function perform(stack: Stack, row: InventoryRow, opts: FleetOptions, env: Record<string, string>): Promise<Outcome> {
    const onOutput = (s: string) => {
        for (const line of s.split("\n")) if (line.trim()) opts.onEvent({ kind: "output", row, line });
    };
    switch (opts.operation) {
        case "preview": {
            const changes = (await stack.preview({ policyPacks: [opts.policyPack], onOutput, color: "never" })).changeSummary as Record<string, number>;
            return { result: "succeeded", message: summarize(changes) ? `would ${summarize(changes)}` : "no changes", changes };
        }
        case "up": {
            const r = await stack.up({ policyPacks: [opts.policyPack], onOutput, color: "never" });
            const changes = (r.summary.resourceChanges ?? {}) as Record<string, number>;
            const uuid = r.outputs.abonnementUuid?.value as string | undefined;
            return { result: "succeeded", message: `${summarize(changes) || "no changes"}; abonnement ${uuid ?? "?"}`, changes };
        }
        case "refresh": {
            const changes = ((await stack.refresh({ onOutput, color: "never" })).summary.resourceChanges ?? {}) as Record<string, number>;
            return { result: "succeeded", message: summarize(changes) ? `drift found: ${summarize(changes)}` : "in sync", changes };
        }
        case "destroy": {
            const changes = ((await stack.destroy({ onOutput, color: "never" })).summary.resourceChanges ?? {}) as Record<string, number>;
            return { result: "succeeded", message: "destroyed (the subscription was ended as onDestroy says)", changes };
        }
        case "status": {
            const uuid = (await stack.outputs()).abonnementUuid?.value as string | undefined;
            // This stack's own credentials, from its environment (empty values count as unset).
            const api = new HttpClassificationApi(readConnectionSettings((k) => env[envName(k)] || undefined, row.endpoint));
            const a = await checkTask(api, uuid, { kommunekode: row.kommunekode, itSystemInstans: row.debtorSystem });
            const failed = a.criteria.filter((c) => !c.ok).map((c) => c.detail);
            return {
                result: a.state === "wrong" ? "failed" : "succeeded",
                message: a.state === "done" ? "done: created correctly and delivered" : failed.join("; "),
                changes: {},
                task: a.state,
            };
        }
    }
}

async function runOne(row: InventoryRow, opts: FleetOptions, projectDir: string, journal: Record<string, JournalEntry>,
    pulumiCommand: PulumiCommand): Promise<StackResult> {
    const name = stackName(row);
    const started = Date.now();
    const done = (o: Outcome): StackResult => ({
        kommunekode: row.kommunekode, navn: row.navn, stack: name, operation: opts.operation,
        result: o.result, message: o.message, changes: o.changes, durationMs: Date.now() - started, ...(o.task ? { task: o.task } : {}),
    });
    const fp = fingerprint(row);
    const last = journal[name];
    if (opts.operation === "up" && !opts.force && last?.operation === "up" && last.result === "succeeded" && last.fingerprint === fp) {
        return done({ result: "skipped", message: `unchanged since the last successful up (${last.at}); --force re-runs it`, changes: {} });
    }
    const at = () => new Date().toISOString();
    let env: Record<string, string>;
    try {
        env = stackEnv(row, opts);
    } catch (err) {
        return done({ result: "failed", message: (err as Error).message, changes: {} });
    }
    try {
        const stack = await openStack(row, opts, projectDir, env, pulumiCommand);
        if (!stack) return done({ result: "skipped", message: "no stack yet (run fleet up first)", changes: {} });
        const outcome = await perform(stack, row, opts, env);
        if (opts.operation === "up") journal[name] = { fingerprint: fp, operation: "up", result: "succeeded", at: at() };
        // A refresh may have found drift, and a destroy leaves nothing: the next up must run.
        if (opts.operation === "refresh" || opts.operation === "destroy") delete journal[name];
        return done(outcome);
    } catch (err) {
        if (opts.operation === "up") journal[name] = { fingerprint: fp, operation: "up", result: "failed", at: at() };
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
    const results: StackResult[] = new Array(opts.rows.length);
    let next = 0;
    const saveJournal = () => fs.writeFileSync(journalFile, `${JSON.stringify(journal, null, 2)}\n`);
    const worker = async () => {
        while (next < opts.rows.length) {
            const i = next++;
            const row = opts.rows[i];
            opts.onEvent({ kind: "start", row });
            const result = await runOne(row, opts, projectDir, journal, pulumiCommand);
            results[i] = result;
            saveJournal();
            opts.onEvent({ kind: "finish", row, result });
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, opts.rows.length)) }, worker));
    return results;
}
