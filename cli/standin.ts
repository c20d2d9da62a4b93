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
    const child: ChildProcess = spawn(
        process.execPath,
        [
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
        ],
        { stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    const url = await new Promise<string>((resolve, reject) => {
        child.stdout!.once("data", (d) => {
            try {
                resolve(JSON.parse(String(d)).url);
            } catch {
                reject(new Error(`the stand-in printed something unexpected: ${d}`));
            }
        });
        child.once("exit", (code) =>
            reject(
                new Error(
                    `the stand-in could not start (exit ${code}): ${stderr.trim()}` +
                        (/EADDRINUSE/.test(stderr)
                            ? `. Port ${opts.port} is taken; set FK_DEMO_PORT to a free port`
                            : ""),
                ),
            ),
        );
    });
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
