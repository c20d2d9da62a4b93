// Starts the stand-in for the classification API as a child process for the main job.
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { sha256Hex } from "@fk-iac/klassifikation-standin";
import { localDir, repoRoot } from "./local";

export interface DemoStandin {
    url: string;
    stop(): Promise<void>;
}

export interface DemoStandinOptions {
    port: number;
    kommunekode: string;
    kommunenavn: string;
    token: string;
    deliveryDelaySeconds: number;
}

/** Starts fk-standin on loopback with its data in .pulumi-local/standin.db, and waits until it listens. */
export async function startDemoStandin(opts: DemoStandinOptions): Promise<DemoStandin> {
    const child: ChildProcess = spawn(process.execPath, standinArgs(opts, writeSeed(opts)), {
        stdio: ["ignore", "pipe", "pipe"],
    });
    const url = await listening(child, opts.port);
    return {
        url,
        stop: () =>
            new Promise<void>((resolve) => {
                if (child.exitCode !== null) return resolve();
                child.once("exit", () => resolve());
                child.kill("SIGTERM");
            }),
    };
}

/** The demo municipality's tenant, written for the stand-in's --seed (owner-only: it holds a token hash). */
function writeSeed(opts: DemoStandinOptions): string {
    const seed = path.join(localDir, "standin-seed.json");
    fs.writeFileSync(
        seed,
        JSON.stringify(
            {
                tenants: [
                    { kommunekode: opts.kommunekode, navn: opts.kommunenavn, tokenSha256: [sha256Hex(opts.token)] },
                ],
            },
            null,
            2,
        ),
        { mode: 0o600 },
    );
    return seed;
}

function standinArgs(opts: DemoStandinOptions, seed: string): string[] {
    return [
        "--disable-warning=ExperimentalWarning",
        path.join(repoRoot, "standin", "dist", "cli.js"),
        "--port",
        String(opts.port),
        "--db",
        path.join(localDir, "standin.db"),
        "--seed",
        seed,
        "--delivery-delay",
        String(opts.deliveryDelaySeconds),
        "--log",
        path.join(localDir, "standin-requests.jsonl"),
    ];
}

/** The stand-in's url, from the first line it prints; rejects with its stderr when it exits instead. */
function listening(child: ChildProcess, port: number): Promise<string> {
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    return new Promise<string>((resolve, reject) => {
        child.stdout!.once("data", (d) => {
            try {
                resolve((JSON.parse(String(d)) as { url: string }).url);
            } catch {
                reject(new Error(`the stand-in printed something unexpected: ${d}`));
            }
        });
        child.once("exit", (code) =>
            reject(
                new Error(
                    `the stand-in could not start (exit ${code}): ${stderr.trim()}` +
                        (/EADDRINUSE/.test(stderr) ? `. Port ${port} is taken; set FK_DEMO_PORT to a free port` : ""),
                ),
            ),
        );
    });
}
