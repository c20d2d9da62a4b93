// `pulumi up` killed with SIGKILL at random points, again and again; then `cancel` and `up`: exactly
// the declared set exists. The random points come from a fixed seed (FK_KILL_SEED to vary them).
import * as assert from "node:assert/strict";
import { collect, killGroup, PulumiWorkspace } from "../helpers/pulumi";
import { startTestStandin, TestStandin } from "../helpers/standin";
import { syntheticSystemSeed } from "../helpers/systems";
import { connectedWorkspace, fixtures } from "../helpers/workspaces";

const N = 10;
const KILLS = process.env.FK_RELIABILITY_FULL === "1" ? 10 : 4;

function generator(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = Math.imul(a ^ (a >>> 15), a | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

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
        const random = generator(Number(process.env.FK_KILL_SEED ?? 4242));
        const kills: string[] = [];
        for (let k = 0; k < KILLS; k++) {
            const child = ws.start(["up", "--yes", "--skip-preview", "--parallel", "4", "--stack", ws.stack]);
            const done = collect(child);
            const delay = 1500 + Math.floor(random() * 3500);
            const timer = setTimeout(() => killGroup(child, "SIGKILL"), delay);
            const res = await done;
            clearTimeout(timer);
            const created = (await s.admin("GET", "/admin/abonnementer?kommunekode=0101")).items.length;
            kills.push(`${delay}ms: ${res.signal ?? `exit ${res.code}`}, ${created} in the stand-in`);
            await ws.run(["cancel", "--yes", "--stack", ws.stack]); // removes the lock a killed run leaves
        }
        process.stdout.write(`      kills: ${kills.join("; ")}\n`);
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
    });
});
