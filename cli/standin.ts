// Starts the stand-in for the classification API as a child process for the main job.
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { STANDIN_ENTITY_ID } from "@fk-iac/klassifikation-standin";
import { kommuneCvr } from "@fk-iac/klassifikation/rules";
import { DemoPki, demoPki } from "./demo-pki";
import { localDir, repoRoot } from "./local";

export interface DemoStandin {
    url: string;
    /**
     * How the demo reaches it, as a municipality reaches KOMBIT's services: the system certificate
     * over mutual TLS and a token from the STS for the municipality's CVR. Keys are connection
     * setting keys (fk:<key>, or FK_KLASSIFIKATION_<KEY> in the environment); values are file paths
     * and URLs, no secret.
     */
    settings: Record<string, string>;
    stop(): Promise<void>;
}

export interface DemoStandinOptions {
    port: number;
    kommunekode: string;
    kommunenavn: string;
    deliveryDelaySeconds: number;
}

/**
 * Starts fk-standin on loopback over HTTPS with its data in .pulumi-local/standin.db, its STS holding
 * a service agreement for the demo's system certificate and municipality, and waits until it listens.
 */
export async function startDemoStandin(opts: DemoStandinOptions): Promise<DemoStandin> {
    const pki = demoPki();
    const child: ChildProcess = spawn(process.execPath, standinArgs(opts, writeSeed(opts, pki), pki), {
        stdio: ["ignore", "pipe", "pipe"],
    });
    const url = await listening(child, opts.port);
    return {
        url,
        settings: {
            endpoint: url,
            caBundleFile: pki.caFile,
            clientCertificateFile: pki.systemCertFile,
            clientKeyFile: pki.systemKeyFile,
            stsEndpoint: url,
            entityId: STANDIN_ENTITY_ID,
        },
        stop: () =>
            new Promise<void>((resolve) => {
                if (child.exitCode !== null) return resolve();
                child.once("exit", () => resolve());
                child.kill("SIGTERM");
            }),
    };
}

/**
 * The demo municipality (with its CVR) and the service agreement that lets the demo's system
 * certificate get tokens for it, written for the stand-in's --seed.
 */
function writeSeed(opts: DemoStandinOptions, pki: DemoPki): string {
    const seed = path.join(localDir, "standin-seed.json");
    const cvr = kommuneCvr(opts.kommunekode);
    if (!cvr) throw new Error(`kommunekode ${opts.kommunekode} is not one of the 98 municipalities'`);
    fs.writeFileSync(
        seed,
        JSON.stringify(
            {
                tenants: [{ kommunekode: opts.kommunekode, navn: opts.kommunenavn, cvr }],
                serviceAgreements: [{ certificateFingerprint: pki.systemFingerprint, cvr: [cvr] }],
            },
            null,
            2,
        ),
        { mode: 0o600 },
    );
    return seed;
}

function standinArgs(opts: DemoStandinOptions, seed: string, pki: DemoPki): string[] {
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
        "--tls-cert",
        pki.serverCertFile,
        "--tls-key",
        pki.serverKeyFile,
        "--client-ca",
        pki.caFile,
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
