// Team state backends, for real: the root program's stack and the fleet on PostgreSQL and on Azure Blob
// Storage (Azurite), each server started on loopback by the test. Locking, a killed `up`, a restart of
// the server, and secrets at rest, with the passphrase read from a file.
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { KOMMUNER } from "@fk-iac/klassifikation/rules";
import { sha256Hex } from "@fk-iac/klassifikation-standin";
import { startFleet } from "../helpers/fleet";
import { collect, killGroup, PulumiWorkspace, repoRoot } from "../helpers/pulumi";
import { freePort, STATE_SERVICES, StateService } from "../helpers/services";
import { randomToken, startTestStandin, tenantsFor, TestStandin } from "../helpers/standin";
import { rootProgram } from "../helpers/workspaces";

/** Waits until `check` holds, polling; fails after `ms`. */
async function until(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
    }
}

for (const kind of ["postgres", "azblob"] as const) {
    describe(`team state on ${kind} (a real server on loopback)`, function () {
        let svc: StateService;
        let s: TestStandin;
        let ws: PulumiWorkspace;
        let program: string;
        // A hostile passphrase, in a file: it begins with "-" and has spaces and quotes.
        const passphrase = `-pass phrase "${crypto.randomBytes(9).toString("base64url")}'`;
        let passphraseFile: string;
        const active = async () =>
            ((await s.admin("GET", "/admin/abonnementer?kommunekode=0101")).items as any[]).filter(
                (a) => a.virkning.to === null && a.livscyklus !== "Passiv",
            );
        const latency = (ms: number) => s.admin("PUT", "/admin/faults", { latencyMs: ms });

        before(async function () {
            svc = await STATE_SERVICES[kind]();
            s = await startTestStandin({ kommuner: 1 });
            program = rootProgram();
            passphraseFile = path.join(program, "..", `${path.basename(program)}.passphrase`);
            fs.writeFileSync(passphraseFile, passphrase, { mode: 0o600 });
            ws = await PulumiWorkspace.create({
                programDir: program,
                kommunekode: "0101",
                backend: { url: svc.backendUrl, env: svc.env },
                passphraseFile,
            });
            await ws.setConfig("kommune:navn", "København");
            await ws.setConfig("fk:endpoint", s.url);
            await ws.setConfig("fk:token", s.kommuner[0].token, true);
        });
        after(async function () {
            ws?.dispose();
            await s?.close();
            await svc?.dispose();
            if (program) fs.rmSync(program, { recursive: true, force: true });
            if (passphraseFile) fs.rmSync(passphraseFile, { force: true });
        });

        it("two `pulumi up` of the stack at once: the second is refused by the lock, nothing is duplicated", async function () {
            await latency(700); // the first up holds its lock for several seconds
            const first = ws.start(["up", "--yes", "--skip-preview", "--stack", ws.stack]);
            const firstDone = collect(first);
            await until("the first up's lock", async () => (await svc.locks()) > 0);
            const second = await ws.run(["up", "--yes", "--skip-preview", "--stack", ws.stack]);
            const one = await firstDone;
            await latency(0);
            assert.equal(one.code, 0, one.output);
            assert.notEqual(second.code, 0, second.output);
            assert.match(second.output, /the stack is currently locked by 1 lock\(s\)/);
            assert.match(second.output, /pulumi cancel/, "the message says how to remove a stale lock");
            assert.equal((await active()).length, 1);
            assert.equal(await svc.locks(), 0, "the first up released its lock");
        });

        it("preview --expect-no-changes and refresh find the stack in sync", async function () {
            const preview = await ws.preview(["--expect-no-changes"]);
            assert.equal(preview.code, 0, preview.output);
            const refresh = await ws.run(["refresh", "--yes", "--skip-preview", "--stack", ws.stack]);
            assert.equal(refresh.code, 0, refresh.output);
        });

        it("keeps secrets unreadable at rest: neither the token nor the passphrase is in any row or blob", async function () {
            const stored = await svc.dump();
            assert.match(stored, /SortimentSubscription/, "the stack's state is there");
            assert.ok(!stored.includes(s.kommuner[0].token), "token");
            assert.ok(!stored.includes(passphrase), "passphrase");
            assert.ok(!stored.includes(sha256Hex(s.kommuner[0].token)), "not even the token's hash");
        });

        it("a `kill -9` mid-up: `pulumi cancel` + `up` recover with exactly the declared subscription", async function () {
            const destroy = await ws.run(["destroy", "--yes", "--skip-preview", "--stack", ws.stack]);
            assert.equal(destroy.code, 0, destroy.output);
            await latency(700);
            const before = s.log.length; // earlier runs' calls are in the log too
            const child = ws.start(["up", "--yes", "--skip-preview", "--stack", ws.stack]);
            const done = collect(child);
            // Killed as soon as this up's first API call has answered: the calls still to come (look-up,
            // Opret) each take the 700 ms latency, so the run is mid-up by construction, on any machine speed.
            await until("the up's first API call", () =>
                Promise.resolve(s.log.slice(before).some((e) => e.operation === "laesMyndighed")),
            );
            killGroup(child);
            await done;
            await latency(0);
            assert.ok((await svc.locks()) > 0, "the killed run left its lock");
            const cancel = await ws.run(["cancel", "--yes", "--stack", ws.stack]);
            assert.equal(cancel.code, 0, cancel.output);
            const up = await ws.run(["up", "--yes", "--skip-preview", "--stack", ws.stack]);
            assert.equal(up.code, 0, up.output);
            assert.equal((await active()).length, 1, "exactly the declared subscription");
            assert.equal((await ws.preview(["--expect-no-changes"])).code, 0);
        });

        it("the state survives a restart of the server", async function () {
            const before = (await ws.mustRun(["stack", "output", "abonnementUuid", "--stack", ws.stack])).stdout.trim();
            await svc.stop();
            await svc.start();
            const after = (await ws.mustRun(["stack", "output", "abonnementUuid", "--stack", ws.stack])).stdout.trim();
            assert.equal(after, before);
            const preview = await ws.preview(["--expect-no-changes"]);
            assert.equal(preview.code, 0, preview.output);
        });

        it("destroy ends the subscription", async function () {
            const destroy = await ws.run(["destroy", "--yes", "--skip-preview", "--stack", ws.stack]);
            assert.equal(destroy.code, 0, destroy.output);
            assert.equal((await active()).length, 0);
        });

        it("the main job moves to it with PULUMI_BACKEND_URL alone", async function () {
            const local = fs.mkdtempSync(path.join(repoRoot, ".work", `main-${kind}-`));
            const stack = `demo-${kind}-${process.pid}`;
            const env: NodeJS.ProcessEnv = {
                ...process.env,
                ...svc.env,
                PULUMI_BACKEND_URL: svc.backendUrl,
                PULUMI_CONFIG_PASSPHRASE_FILE: passphraseFile,
                PULUMI_HOME: path.join(local, "pulumi-home"),
                FK_LOCAL_DIR: local,
                FK_DEMO_STACK: stack,
                FK_DEMO_PORT: String(await freePort()),
            };
            delete env.PULUMI_CONFIG_PASSPHRASE;
            try {
                const res = await collect(
                    spawn("npm", ["run", "--silent", "main"], {
                        cwd: repoRoot,
                        env,
                        stdio: ["ignore", "pipe", "pipe"],
                    }),
                );
                assert.equal(res.code, 0, res.output);
                assert.match(res.output, /applied: 2 create/);
                assert.match(res.output, /\[x\] 1\. created correctly/);
                assert.match(await svc.dump(), new RegExp(stack), "the main job's stack is on the shared backend");
                assert.ok(!fs.existsSync(path.join(local, "state")), "no local file backend was used");
            } finally {
                fs.rmSync(path.join(repoRoot, `Pulumi.${stack}.yaml`), { force: true });
                fs.rmSync(local, { recursive: true, force: true });
            }
        });

        it("the fleet runs 10 municipalities at concurrency 4 on it", async function () {
            const kommuner = KOMMUNER.slice(0, 10);
            const tokens = new Map(kommuner.map(([kode]) => [kode, randomToken()]));
            const fleetStandin = await startTestStandin({
                kommuner: 0,
                seed: { tenants: tenantsFor(tokens) },
            });
            const dir = fs.mkdtempSync(path.join(repoRoot, ".work", `fleet-${kind}-`));
            try {
                const inventory = path.join(dir, "inventory.csv");
                const rows = kommuner.map(([kode, navn]) => `${kode},${navn},${fleetStandin.url},env:FK_TOKEN_${kode}`);
                fs.writeFileSync(inventory, ["kommunekode,navn,endpoint,credentials", ...rows].join("\n"));
                const env = {
                    ...ws.cliEnv(),
                    ...Object.fromEntries(kommuner.map(([kode]) => [`FK_TOKEN_${kode}`, tokens.get(kode)!])),
                };
                const args = ["--inventory", inventory, "--concurrency", "4", "--state-dir", path.join(dir, "state")];
                const up = await collect(startFleet(["up", ...args], env));
                assert.equal(up.code, 0, up.output);
                assert.match(up.stdout, /up: 10 succeeded, 0 failed, 0 skipped/);
                const all = (await fleetStandin.admin("GET", "/admin/abonnementer")).items as any[];
                assert.equal(all.length, 10);
                const stored = await svc.dump();
                for (const [kode] of kommuner) assert.match(stored, new RegExp(`${kode}-`), `stack of ${kode}`);
                for (const token of tokens.values()) assert.ok(!stored.includes(token), "no token at rest");
                const destroy = await collect(startFleet(["destroy", ...args], env));
                assert.equal(destroy.code, 0, destroy.output);
            } finally {
                await fleetStandin.close();
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });
}
