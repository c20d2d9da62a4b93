// An isolated workspace for driving the real Pulumi CLI in tests: its own PULUMI_HOME, a local file
// backend, no update checks, no plugin downloads, non-interactive. The program is copied into
// `<repo>/.work/` so Node.js resolves the repository's node_modules from it, and so that stack config
// files the CLI writes never land in a tracked folder.
import { spawn, ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { localBackendUrl } from "../../cli/local";

export const repoRoot = path.resolve(__dirname, "..", "..");
const workRoot = path.join(repoRoot, ".work");

/** The outcome of one CLI run. */
export interface CliResult {
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
    /** stdout and stderr together, for assertions on what a user sees. */
    output: string;
}

export interface WorkspaceOptions {
    /** A folder to copy as the program (Pulumi.yaml, index.ts, ...). */
    programDir: string;
    /** Stack name. @default "dev" */
    stack?: string;
    /** Extra environment for every command. */
    env?: Record<string, string>;
    /** The stack's municipality, set as kommune:kode (the resource's default kommunekode). @default none */
    kommunekode?: string;
    /** Another state backend: its URL and the credentials it needs. @default a file backend in the workspace */
    backend?: { url: string; env: Record<string, string> };
    /** Take the secrets passphrase from this file (PULUMI_CONFIG_PASSPHRASE_FILE). @default a fixed passphrase */
    passphraseFile?: string;
}

/** What the CLI prints when the policy pack (at its package.json version) passed. */
export const POLICY_PASSED = new RegExp(
    `Policies:\\s+✅ fk-klassifikation@v${(
        JSON.parse(fs.readFileSync(path.join(repoRoot, "policy", "package.json"), "utf8")) as { version: string }
    ).version.replace(/\./g, "\\.")}`,
);

/** The secrets passphrase of every test stack (a test value: PULUMI_CONFIG_PASSPHRASE). */
export const TEST_PASSPHRASE = "e2e-test-passphrase";

let counter = 0;

export class PulumiWorkspace {
    readonly root: string;
    readonly programDir: string;
    readonly homeDir: string;
    readonly backendDir: string;
    readonly stack: string;
    env: Record<string, string>;
    private readonly opts: WorkspaceOptions;

    private constructor(root: string, stack: string, env: Record<string, string>, opts: WorkspaceOptions) {
        this.opts = opts;
        this.root = root;
        this.programDir = path.join(root, "program");
        this.homeDir = path.join(root, "pulumi-home");
        this.backendDir = path.join(root, "state");
        this.stack = stack;
        this.env = env;
    }

    /** Copies the program, creates the backend folder and initialises the stack. */
    static async create(opts: WorkspaceOptions): Promise<PulumiWorkspace> {
        fs.mkdirSync(workRoot, { recursive: true });
        const root = fs.mkdtempSync(path.join(workRoot, `ws-${process.pid}-${counter++}-`));
        const ws = new PulumiWorkspace(root, opts.stack ?? "dev", opts.env ?? {}, opts);
        fs.cpSync(opts.programDir, ws.programDir, { recursive: true });
        fs.mkdirSync(ws.homeDir, { recursive: true });
        fs.mkdirSync(ws.backendDir, { recursive: true });
        await ws.mustRun(["stack", "init", ws.stack]);
        if (opts.kommunekode !== undefined) await ws.setConfig("kommune:kode", opts.kommunekode);
        return ws;
    }

    /** The environment every CLI call gets: isolated and offline. */
    cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
        const { backend, passphraseFile } = this.opts;
        // One passphrase source only: the CLI prefers PULUMI_CONFIG_PASSPHRASE, even when empty.
        const inherited = { ...process.env };
        delete inherited.PULUMI_CONFIG_PASSPHRASE;
        return {
            ...inherited,
            PULUMI_HOME: this.homeDir,
            PULUMI_BACKEND_URL: backend?.url ?? localBackendUrl(this.backendDir),
            ...backend?.env,
            ...(passphraseFile
                ? { PULUMI_CONFIG_PASSPHRASE_FILE: passphraseFile }
                : { PULUMI_CONFIG_PASSPHRASE: TEST_PASSPHRASE }),
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_SKIP_CONFIRMATIONS: "true",
            NO_COLOR: "1",
            ...this.env,
            ...extra,
        };
    }

    /**
     * Starts the CLI without waiting. It leads a process group of its own (with the language host,
     * the program and the provider plugins), so a test can kill all of it at once with killGroup.
     */
    start(args: string[], extraEnv: Record<string, string> = {}, input?: string): ChildProcess {
        const child = spawn("pulumi", [...args, "--non-interactive", "--color", "never"], {
            cwd: this.programDir,
            env: this.cliEnv(extraEnv),
            stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
            detached: true,
        });
        if (input !== undefined) child.stdin!.end(input);
        return child;
    }

    /** Runs the CLI to completion; `input` is written to its standard input. */
    run(args: string[], extraEnv: Record<string, string> = {}, input?: string): Promise<CliResult> {
        const child = this.start(args, extraEnv, input);
        return collect(child);
    }

    /** Runs the CLI and throws, with its output, unless it exits 0. */
    async mustRun(args: string[], extraEnv: Record<string, string> = {}, input?: string): Promise<CliResult> {
        const res = await this.run(args, extraEnv, input);
        if (res.code !== 0) {
            throw new Error(`pulumi ${args.join(" ")} exited ${res.code ?? res.signal}:\n${res.output}`);
        }
        return res;
    }

    up(extra: string[] = [], env: Record<string, string> = {}) {
        return this.run(["up", "--yes", "--skip-preview", "--stack", this.stack, ...extra], env);
    }

    preview(extra: string[] = [], env: Record<string, string> = {}) {
        return this.run(["preview", "--stack", this.stack, ...extra], env);
    }

    refresh(extra: string[] = [], env: Record<string, string> = {}) {
        return this.run(["refresh", "--yes", "--skip-preview", "--stack", this.stack, ...extra], env);
    }

    destroy(extra: string[] = [], env: Record<string, string> = {}) {
        return this.run(["destroy", "--yes", "--skip-preview", "--stack", this.stack, ...extra], env);
    }

    /**
     * Sets a config value the way the README tells users to: the value on standard input, never as an
     * argument, so any value works (a token may begin with "-", which the CLI would read as a flag)
     * and a secret never shows in the process list.
     */
    async setConfig(key: string, value: string, secret = false): Promise<void> {
        await this.mustRun(["config", "set", "--stack", this.stack, ...(secret ? ["--secret"] : []), key], {}, value);
    }

    /** The stack's outputs, secrets shown. */
    async outputs(): Promise<Record<string, unknown>> {
        const res = await this.mustRun(["stack", "output", "--json", "--show-secrets", "--stack", this.stack]);
        return JSON.parse(res.stdout);
    }

    /** The raw checkpoint file as the file backend stores it. */
    stateFileText(): string {
        const files = listFiles(this.backendDir).filter((f) => f.endsWith(`${path.sep}${this.stack}.json`));
        if (files.length !== 1) {
            throw new Error(`expected one state file for stack ${this.stack}, found ${files.length}`);
        }
        return fs.readFileSync(files[0], "utf8");
    }

    /** The deployment's resources from the checkpoint. */
    resources(): Array<{ urn: string; type: string; id?: string; inputs?: any; outputs?: any }> {
        const state = JSON.parse(this.stateFileText());
        return state.checkpoint?.latest?.resources ?? [];
    }

    dispose(): void {
        if (process.env.FK_KEEP_WORK !== "1") {
            fs.rmSync(this.root, { recursive: true, force: true });
        }
    }
}

/** Sends a signal to the CLI and every process it started. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals = "SIGKILL"): void {
    if (child.pid !== undefined) {
        try {
            process.kill(-child.pid, signal);
        } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err;
        }
    }
}

export function collect(child: ChildProcess): Promise<CliResult> {
    let stdout = "";
    let stderr = "";
    let output = "";
    child.stdout?.setEncoding("utf8");
    child.stderr?.setEncoding("utf8");
    child.stdout?.on("data", (d: string) => {
        stdout += d;
        output += d;
    });
    child.stderr?.on("data", (d: string) => {
        stderr += d;
        output += d;
    });
    return new Promise((resolve, reject) => {
        child.on("error", reject);
        child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr, output }));
    });
}

function listFiles(dir: string): string[] {
    const out: string[] = [];
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) out.push(...listFiles(p));
        else out.push(p);
    }
    return out;
}
