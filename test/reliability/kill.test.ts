// Kills, in one place: `pulumi up` killed with SIGKILL at random points, again and again, then
// `cancel` and `up` (exactly the declared set exists; the points come from a fixed seed, FK_KILL_SEED
// to vary them; half of them among the creates); a state sidecar a kill left empty (the README's
// recovery); killed right after a create (adopted, no duplicate); and the CLI alone killed mid-up
// (no process of the run left behind, no API call after the kill).
import * as assert from "node:assert/strict";
import { spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { collect, killGroup, PulumiWorkspace } from "../helpers/pulumi";
import { startTestStandin, TestStandin } from "../helpers/standin";
import { syntheticSystemSeed } from "../helpers/systems";
import { connectedWorkspace, fixtures } from "../helpers/workspaces";
import { RESOURCE_TYPE_TOKEN } from "@fk-iac/klassifikation";
import { alive, descendants } from "../helpers/proc";
import { seededRandom } from "../../standin/src/random";

const N = 10;
const KILLS = process.env.FK_RELIABILITY_FULL === "1" ? 10 : 4;

describe(`reliability: pulumi up killed ${KILLS} times at random points`, function () {
    let s: TestStandin;
    let ws: PulumiWorkspace;

    before(async function () {
        s = await startTestStandin({
            kommuner: 1,
            seed: { itSystemInstanser: syntheticSystemSeed(N) },
            // A little latency spreads the creates over time, so kills land between them.
            faults: { latencyMs: 150 },
        });
        ws = await connectedWorkspace(s, fixtures.many, { config: { "bench:count": String(N) } });
    });
    after(async function () {
        ws?.dispose();
        await s?.close();
    });

    it("ends with exactly the declared subscriptions", async function () {
        const random = seededRandom(Number(process.env.FK_KILL_SEED ?? 4242));
        const kills: string[] = [];
        /** Kills that landed while creates were under way: some made by that run, not all yet. */
        let midCreate = 0;
        for (let k = 0; k < KILLS; k++) {
            const before = await countSubscriptions(s);
            const child = ws.start(["up", "--yes", "--skip-preview", "--parallel", "4", "--stack", ws.stack]);
            const done = collect(child);
            // Every other kill is at a random time (start-up, look-ups, creates, the end); the others
            // wait for a random number of this run's creates, so some kills surely land among them
            // however fast or slow the machine is.
            const point = k % 2 === 1 || N - before < 2 ? atRandomTime(random) : afterCreates(s, random, N - before);
            const when = await killAt(child, point);
            const res = await done;
            const created = await countSubscriptions(s);
            kills.push(`${when}: ${res.signal ?? `exit ${res.code}`}, ${created} in the stand-in`);
            if (res.signal === "SIGKILL" && created > before && created < N) midCreate++;
            await ws.run(["cancel", "--yes", "--stack", ws.stack]); // removes the lock a killed run leaves
        }
        process.stdout.write(`      kills: ${kills.join("; ")}\n`);
        assert.ok(midCreate > 0, `no kill landed while creates were under way:\n${kills.join("\n")}`);
        const final = await ws.up();
        assert.equal(final.code, 0, `${kills.join("\n")}\n${final.output}`);
        const all = (await s.admin("GET", "/admin/abonnementer?kommunekode=0101")).items as any[];
        assert.equal(all.length, N, `expected ${N}, found ${all.length} after kills:\n${kills.join("\n")}`);
        assert.equal(new Set(all.map((a) => a.itSystemInstans)).size, N, "no duplicates");
        const ids = ws
            .resources()
            .filter((r) => r.type.endsWith(":SortimentSubscription"))
            .map((r) => r.id)
            .sort();
        assert.deepEqual(ids, all.map((a) => a.uuid).sort(), "state and classification system agree");
        const preview = await ws.preview(["--expect-no-changes"]);
        assert.equal(preview.code, 0, preview.output);
        assert.deepEqual(
            sidecars(ws.backendDir),
            [],
            "the project's file backend writes no sidecar a kill could leave empty",
        );
    });
});

/** The file backend's metadata sidecars (`*.attrs`) under a state folder. */
function sidecars(dir: string): string[] {
    return fs
        .readdirSync(dir, { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".attrs"))
        .sort();
}

// On a plain `file://` backend, a kill while the state is saved can leave the sidecar beside the state
// file empty, and every command of the stack then fails; the README's recovery brings it back.
describe("a state sidecar a kill left empty, on a plain file:// backend", function () {
    let ws: PulumiWorkspace;
    let state: string;

    before(async function () {
        state = fs.mkdtempSync(path.join(os.tmpdir(), "fk-sidecar-"));
        ws = await PulumiWorkspace.create({
            programDir: fixtures.subscription,
            backend: { url: `file://${state}`, env: {} },
        });
    });
    after(function () {
        ws?.dispose();
        fs.rmSync(state, { recursive: true, force: true });
    });

    it("fails with the README's message, and the README's recovery brings the stack back", async function () {
        const stackFile = sidecars(state).find((f) => f.endsWith(`${path.sep}${ws.stack}.json.attrs`));
        assert.ok(stackFile, `a plain file:// backend writes sidecars: ${sidecars(state).join(", ")}`);
        fs.writeFileSync(path.join(state, stackFile), ""); // what a kill between create and write leaves
        const broken = await ws.run(["stack", "export", "--stack", ws.stack]);
        assert.notEqual(broken.code, 0);
        assert.match(broken.output, /failed to load checkpoint: EOF/);

        // The README's recovery, as written there.
        const find = spawnSync("find", [path.join(state, ".pulumi"), "-name", "*.attrs", "-size", "0", "-delete"]);
        assert.equal(find.status, 0, String(find.stderr));
        await ws.mustRun(["cancel", "--yes", "--stack", ws.stack]);
        const exported = await ws.mustRun(["stack", "export", "--stack", ws.stack]);
        assert.match(exported.stdout, /"deployment"/);
    });
});

async function countSubscriptions(s: TestStandin): Promise<number> {
    return (await s.admin("GET", "/admin/abonnementer?kommunekode=0101")).items.length;
}

/** When to kill: a description for the report, and a promise that resolves at that moment. */
interface KillPoint {
    label: string;
    reached: (child: ChildProcess) => Promise<void>;
}

function atRandomTime(random: () => number): KillPoint {
    const delay = 1500 + Math.floor(random() * 3500);
    return { label: `${delay}ms`, reached: () => new Promise((r) => setTimeout(r, delay)) };
}

/** After 1 to (remaining - 1) creates of this run, counted in the stand-in's log as they answer. */
function afterCreates(s: TestStandin, random: () => number, remaining: number): KillPoint {
    const target = 1 + Math.floor(random() * (remaining - 1));
    const created = (): number => s.log.filter((e) => e.operation === "opretAbonnement" && e.status === 201).length;
    const start = created();
    return {
        label: `after ${target} create(s)`,
        reached: (child) =>
            new Promise((resolve) => {
                const timer = setInterval(() => {
                    const ended = child.exitCode !== null || child.signalCode !== null;
                    if (ended || created() - start >= target) {
                        clearInterval(timer);
                        resolve();
                    }
                }, 2);
            }),
    };
}

/** Kills the run's process group at the point, unless it ends first; returns the point's label. */
async function killAt(child: ChildProcess, point: KillPoint): Promise<string> {
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const which = await Promise.race([point.reached(child).then(() => "point"), exited.then(() => "exit")]);
    if (which === "point") killGroup(child, "SIGKILL");
    return point.label;
}

// A `pulumi up` killed with SIGKILL right after the subscription was created must not lead to a
// duplicate: the next `up` finds the subscription and adopts it.
describe("pulumi up killed with SIGKILL after the create", function () {
    let s: TestStandin;
    let ws: PulumiWorkspace;

    before(async function () {
        s = await startTestStandin({ kommuner: 1 });
        ws = await connectedWorkspace(s, fixtures.subscription);
    });
    after(async function () {
        ws?.dispose();
        await s?.close();
    });

    it("leaves exactly one subscription after the next up", async function () {
        const child = ws.start(["up", "--yes", "--skip-preview", "--stack", ws.stack]);
        const done = collect(child);
        const created = await new Promise<boolean>((resolve) => {
            const timer = setInterval(() => {
                if (s.log.some((e) => e.operation === "opretAbonnement" && e.status === 201)) {
                    clearInterval(timer);
                    killGroup(child, "SIGKILL");
                    resolve(true);
                }
            }, 5);
            child.once("exit", () => {
                clearInterval(timer);
                resolve(false);
            });
        });
        const killed = await done;
        assert.ok(created, `the create never happened:\n${killed.output}`);
        assert.equal(killed.signal, "SIGKILL");
        const inState = ws.resources().filter((r) => r.type === RESOURCE_TYPE_TOKEN).length;

        // The documented recovery: the killed run left its lock; `pulumi cancel` removes it.
        const locked = await ws.up();
        assert.notEqual(locked.code, 0);
        assert.match(locked.output, /locked/);
        await ws.mustRun(["cancel", "--yes", "--stack", ws.stack]);
        const again = await ws.up();
        assert.equal(again.code, 0, again.output);
        const subs = (await s.admin("GET", "/admin/abonnementer?kommunekode=0101")).items as any[];
        assert.equal(
            subs.length,
            1,
            `expected one subscription, found ${subs.length} (the killed run had ${inState} in state)`,
        );
        assert.equal(s.log.filter((e) => e.operation === "opretAbonnement" && e.status === 201).length, 1);
        const outputs = await ws.outputs();
        assert.equal(outputs.abonnementUuid, subs[0].uuid);
        assert.equal(outputs.adopted, false, "the note shows it was this stack's own create");
        const preview = await ws.preview(["--expect-no-changes"]);
        assert.equal(preview.code, 0, preview.output);
    });
});

describe("kill -9 of the pulumi CLI alone, mid-up", function () {
    let s: TestStandin;
    let ws: PulumiWorkspace;
    const N = 6;

    before(async function () {
        if (process.platform !== "linux") this.skip();
        s = await startTestStandin({ kommuner: 1, seed: { itSystemInstanser: syntheticSystemSeed(N) } });
        ws = await connectedWorkspace(s, fixtures.many, { config: { "bench:count": String(N) } });
    });
    after(async function () {
        ws?.dispose();
        await s?.close();
    });

    it("leaves no process of the run within 10 s, and no API call is made after the kill", async function () {
        // Slow answers keep the provider busy, so the kill lands while calls are in flight.
        await s.admin("PUT", "/admin/faults", { latencyMs: 400 });
        const child = ws.start(["up", "--yes", "--skip-preview", "--parallel", "2", "--stack", ws.stack]);
        const done = collect(child);
        const busy = await new Promise<boolean>((resolve) => {
            const timer = setInterval(() => {
                if (s.log.some((e) => e.operation === "opretAbonnement")) {
                    clearInterval(timer);
                    resolve(true);
                }
            }, 5);
            child.once("exit", () => {
                clearInterval(timer);
                resolve(false);
            });
        });
        assert.ok(busy, "the up never reached Opret");
        const tree = descendants(child.pid!);
        assert.ok(tree.length >= 3, `the run has its language host, program and provider: ${tree.join(" ")}`);
        const killedAt = Date.now();
        process.kill(child.pid!, "SIGKILL"); // the CLI alone, not its process group
        await done;

        let left = tree.filter(alive);
        while (left.length > 0 && Date.now() - killedAt < 10_000) {
            await new Promise((r) => setTimeout(r, 100));
            left = tree.filter(alive);
        }
        const seconds = (Date.now() - killedAt) / 1000;
        assert.deepEqual(left, [], `processes of the run still alive ${seconds.toFixed(1)} s after the kill`);

        await new Promise((r) => setTimeout(r, 1500)); // anything still on its way would arrive now
        await s.admin("PUT", "/admin/faults", { latencyMs: 0 });
        const startedLate = s.log.filter(
            (e) => !e.path.startsWith("/admin") && Date.parse(e.time) - e.durationMs > killedAt + 200,
        );
        assert.deepEqual(
            startedLate.map((e) => `${e.operation} at +${Date.parse(e.time) - e.durationMs - killedAt} ms`),
            [],
            "API calls started after the kill",
        );
    });
});
