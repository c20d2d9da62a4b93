// The fleet's calls to the real Pulumi CLI: one call per operation on a stack, plus one `stack select
// --create` the first time a stack is seen. The Automation API's Stack methods add calls of their own
// (`stack select` on every open; `stack output` twice and `stack history` after every up): 0.9 CPU-s
// per stack on 2 cores, more than the program. Here the changes and outputs come from the engine's
// event log of the one call instead.
//
// `up` and `preview` run the program inline, in this process: the Automation API's language server for
// inline programs serves it to the CLI (`--client`, `--exec-kind auto.inline`), as `Stack.up` does.
// That server is not in @pulumi/pulumi's typings, so it is taken here, in one place, from the exact
// SDK version package.json pins; test/e2e/fleet.test.ts fails if it changes.
import { spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as YAML from "yaml";
import { CliOutcome, readEventLog } from "./event-log";

/** An inline Pulumi program: creates the stack's resources and returns its outputs. */
export type InlineProgram = () => Promise<Record<string, unknown>>;

type InlineLanguageServer = grpc.UntypedServiceImplementation & { onPulumiExit(hasError: boolean): void };
/* eslint-disable @typescript-eslint/no-require-imports -- SDK modules outside its typings, typed here */
const { LanguageServer } = require("@pulumi/pulumi/automation/server") as {
    LanguageServer: new (program: InlineProgram) => InlineLanguageServer;
};
const { LanguageRuntimeService } = require("@pulumi/pulumi/proto/language_grpc_pb") as {
    LanguageRuntimeService: grpc.ServiceDefinition;
};
const { grpcChannelOptions } = require("@pulumi/pulumi/runtime/settings") as {
    grpcChannelOptions: grpc.ChannelOptions;
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** What the fleet runs on a stack with one CLI call. */
export type StackCommand = "up" | "preview" | "refresh" | "destroy";

/** Where and how the CLI runs for one stack. */
export interface CliContext {
    /** The CLI binary (from the Automation API's `PulumiCommand`, looked up once per fleet). */
    command: string;
    /** The project folder. */
    cwd: string;
    stack: string;
    /** Added to this process's environment for the call. */
    env: Record<string, string>;
    onLine: (line: string) => void;
    /**
     * Told the pid of each `up|preview|refresh|destroy` the moment it starts, and when it ends: the
     * fleet records its runs, so a lock one of them leaves when killed can be told from a live one.
     * @default none
     */
    runs?: { started(pid: number): void; ended(pid: number): void };
}

/**
 * A failed CLI call; the message holds the CLI's output, and `reason` the failure the engine's event
 * log names (for the fleet's error summary; absent when the engine never ran).
 */
export class CliError extends Error {
    reason?: string;
}

/**
 * Runs the CLI once; rejects with a {@link CliError} holding its output when it exits non-zero.
 * `tracked`: a run that may take the stack's lock, reported to `ctx.runs`.
 */
function exec(ctx: CliContext, args: string[], tracked = false): Promise<void> {
    return new Promise((resolve, reject) => {
        const child = spawn(ctx.command, [...args, "--non-interactive"], {
            cwd: ctx.cwd,
            // PULUMI_DEBUG_COMMANDS makes --event-log available, as the Automation API sets it for its calls.
            env: { ...process.env, ...ctx.env, PULUMI_DEBUG_COMMANDS: "true" },
            stdio: ["ignore", "pipe", "pipe"],
        });
        const runs = tracked ? ctx.runs : undefined;
        const pid = child.pid;
        if (runs && pid !== undefined) runs.started(pid);
        let output = "";
        let partial = "";
        const onData = (chunk: Buffer) => {
            const text = chunk.toString();
            output += text;
            const lines = (partial + text).split("\n");
            partial = lines.pop() ?? "";
            for (const line of lines) if (line.trim()) ctx.onLine(line);
        };
        child.stdout.on("data", onData);
        child.stderr.on("data", onData);
        child.on("error", reject);
        child.on("close", (code, signal) => {
            if (runs && pid !== undefined) runs.ended(pid);
            if (partial.trim()) ctx.onLine(partial);
            if (code === 0) resolve();
            else reject(new CliError(`pulumi ${args[0]} exited with ${signal ?? `code ${code}`}:\n${output}`));
        });
    });
}

/** Serves an inline program to the CLI for the length of `run`. */
async function withInlineProgram<T>(program: InlineProgram, run: (address: string) => Promise<T>): Promise<T> {
    const server = new grpc.Server(grpcChannelOptions);
    const languageServer = new LanguageServer(program);
    server.addService(LanguageRuntimeService, languageServer);
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
            err ? reject(err) : resolve(p),
        ),
    );
    let failed = false;
    try {
        return await run(`127.0.0.1:${port}`);
    } catch (err) {
        failed = true;
        throw err;
    } finally {
        server.forceShutdown();
        languageServer.onPulumiExit(failed);
    }
}

/**
 * One `pulumi up|preview|refresh|destroy` on the stack; `up` and `preview` run `program` inline.
 * `extra` are further CLI arguments (e.g. `--policy-pack DIR`).
 */
export async function runStackCommand(
    ctx: CliContext,
    command: StackCommand,
    extra: string[],
    program?: InlineProgram,
): Promise<CliOutcome> {
    const eventLog = path.join(os.tmpdir(), `fk-fleet-events-${crypto.randomUUID()}.json`);
    const args = [command, "--stack", ctx.stack, "--event-log", eventLog, "--color", "never", ...extra];
    if (command !== "preview") args.push("--yes", "--skip-preview");
    try {
        if (command === "up" || command === "preview") {
            if (!program) throw new Error(`pulumi ${command} needs the program`);
            await withInlineProgram(program, (address) =>
                exec(ctx, [...args, `--client=${address}`, "--exec-kind", "auto.inline"], true),
            );
        } else {
            await exec(ctx, args, true);
        }
        return readEventLog(eventLog);
    } catch (err) {
        // The engine says why in its event log; the CLI's text is the fallback (no engine run at all).
        if (err instanceof CliError) {
            const { failure } = readEventLog(eventLog);
            if (failure) err.reason = failure;
        }
        throw err;
    } finally {
        fs.rmSync(eventLog, { force: true });
    }
}

/** The stack's outputs (`pulumi stack output --json`; secrets stay hidden). */
export async function stackOutputs(ctx: CliContext): Promise<Record<string, unknown>> {
    let json = "";
    await exec({ ...ctx, onLine: (line) => (json += `${line}\n`) }, [
        "stack",
        "output",
        "--json",
        "--stack",
        ctx.stack,
    ]);
    return JSON.parse(json || "{}") as Record<string, unknown>;
}

/** The stack's settings file in the project folder. */
export function settingsFile(ctx: Pick<CliContext, "cwd" | "stack">): string {
    return path.join(ctx.cwd, `Pulumi.${ctx.stack}.yaml`);
}

/**
 * Makes sure the stack exists and has a settings file (`pulumi stack select --create`, only when the
 * settings file is missing), then sets plain config values in that file, keeping everything else in
 * it (the secrets provider's salt, keys set by hand).
 */
export async function prepareStack(ctx: CliContext, config: Record<string, string>): Promise<void> {
    const file = settingsFile(ctx);
    if (!fs.existsSync(file)) await exec(ctx, ["stack", "select", "--create", "--stack", ctx.stack]);
    const doc = fs.existsSync(file) ? YAML.parseDocument(fs.readFileSync(file, "utf8")) : new YAML.Document({});
    for (const [key, value] of Object.entries(config)) doc.setIn(["config", key], value);
    fs.writeFileSync(file, doc.toString());
}

/** Removes the stack's locks (`pulumi cancel`): only ever for a lock the fleet judged its own dead run's. */
export async function cancelStack(ctx: CliContext): Promise<void> {
    await exec(ctx, ["cancel", "--yes", "--stack", ctx.stack]);
}
