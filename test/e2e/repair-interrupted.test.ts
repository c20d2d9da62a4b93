// A repair ends the wrong subscription first (one may be in force at a time), then creates the declared
// one. When the create cannot be made (5xx on Opret until the retries run out, the deadline, a kill -9
// in between), the municipality has none in force: every such exit says exactly what was ended and that
// nothing is in force, the survey says so too, and the next `up` finishes the job without repairExisting.
import * as assert from "node:assert/strict";
import { AbonnementSeed, KMD_OPUS_DEBITOR_UUID } from "@fk-iac/klassifikation-standin";
import { surveyMunicipality } from "@fk-iac/klassifikation";
import { collect, killGroup, PulumiWorkspace } from "../helpers/pulumi";
import { apiOf, startTestStandin, TestStandin } from "../helpers/standin";
import { today } from "../helpers/days";
import { connectedWorkspace, fixtures } from "../helpers/workspaces";

const wrongByHand: AbonnementSeed = {
    kommunekode: "0101",
    sortiment: "Borgerblikket",
    itSystemInstans: KMD_OPUS_DEBITOR_UUID,
    skemaversion: "1.2",
    virkning: { from: "2023-06-01", to: null },
    oprettet: "2023-06-01T08:12:00Z",
    oprettetAf: "bruger:mh (København, web-UI)",
};

/** The ways a create can fail after the end, each as the stand-in's faults on Opret and the run's settings. */
const interruptions = [
    {
        name: "5xx on Opret until the retries run out",
        faults: { errorRate: 1, operations: ["opretAbonnement"] },
        config: {},
        cause: /did not answer Opret abonnement after \d+ attempt\(s\)/,
    },
    {
        name: "the deadline",
        // Held past the deadline, then dropped: the Opret is never carried out.
        faults: { latencyMs: 3000, dropRate: 1, operations: ["opretAbonnement"] },
        config: { "fk:deadlineMs": "1500" },
        cause: /within the deadline of 1\.5 s/,
    },
] as const;

async function wrongOneRepaired() {
    const s = await startTestStandin({ kommuner: 1, seed: { abonnementer: [wrongByHand] } });
    const ws = await connectedWorkspace(s, fixtures.subscription, { config: { "sub:repairExisting": "true" } });
    const all = async () => (await s.admin("GET", "/admin/abonnementer?kommunekode=0101")).items as any[];
    const wrong = (await all())[0].uuid as string;
    return { s, ws, all, wrong };
}

function survey(s: TestStandin) {
    const api = apiOf(s);
    return surveyMunicipality(api, { kommunekode: "0101" });
}

/** After the interruption: the survey says none is in force; a plain `up` (no repairExisting) creates the declared one. */
async function finishes(s: TestStandin, ws: PulumiWorkspace, all: () => Promise<any[]>, wrong: string) {
    const truth = await survey(s);
    assert.equal(truth.state, "ended", truth.detail);
    assert.match(truth.detail, new RegExp(`${wrong} was ended on ${today()}; none is in force`));
    await s.admin("PUT", "/admin/faults", {});
    await ws.mustRun(["config", "rm", "--stack", ws.stack, "sub:repairExisting"]);
    const up = await ws.up();
    assert.equal(up.code, 0, up.output);
    const active = (await all()).filter((a) => a.virkning.to === null);
    assert.equal(active.length, 1);
    assert.equal(active[0].skemaversion, "1.3");
    assert.equal((await all()).find((a) => a.uuid === wrong).virkning.to, today(), "the wrong one stays ended");
    assert.equal((await survey(s)).state, "pending");
}

describe("a repair that ended the wrong subscription and then could not create the declared one", function () {
    for (const i of interruptions) {
        it(`${i.name}: says what was ended and that nothing is in force; the next up finishes`, async function () {
            const { s, ws, all, wrong } = await wrongOneRepaired();
            try {
                for (const [k, v] of Object.entries(i.config)) await ws.setConfig(k, v);
                await s.admin("PUT", "/admin/faults", i.faults);
                const up = await ws.up();
                assert.notEqual(up.code, 0, up.output);
                assert.match(up.output, new RegExp(`ended subscription ${wrong} \\(Gyldig til ${today()}\\)`));
                assert.match(up.output, /No subscription is in force for this sortiment and it-systeminstans now/);
                assert.match(up.output, i.cause);
                assert.match(up.output, /FK_NOTHING_IN_FORCE/);
                assert.doesNotMatch(up.output, /Nothing was left half-done/, "that would be untrue");
                assert.equal(s.server.stats().opretAbonnement?.byStatus["201"] ?? 0, 0, "nothing was created");
                for (const k of Object.keys(i.config)) await ws.mustRun(["config", "rm", "--stack", ws.stack, k]);
                await finishes(s, ws, all, wrong);
            } finally {
                ws.dispose();
                await s.close();
            }
        });
    }

    it("kill -9 between the end and the create: the next up finishes without repairExisting", async function () {
        const { s, ws, all, wrong } = await wrongOneRepaired();
        try {
            // Opret is held, then dropped: the kill lands after the end and before any create.
            await s.admin("PUT", "/admin/faults", { latencyMs: 20_000, dropRate: 1, operations: ["opretAbonnement"] });
            const child = ws.start(["up", "--yes", "--skip-preview", "--stack", ws.stack]);
            const done = collect(child);
            const ended = await new Promise<boolean>((resolve) => {
                const timer = setInterval(() => {
                    if (s.log.some((e) => e.operation === "retAbonnement" && e.status === 200)) {
                        clearInterval(timer);
                        // Past the look-up that follows the end: the Opret is now held by the stand-in.
                        setTimeout(() => {
                            killGroup(child, "SIGKILL");
                            resolve(true);
                        }, 1500);
                    }
                }, 5);
                child.once("exit", () => {
                    clearInterval(timer);
                    resolve(false);
                });
            });
            const killed = await done;
            assert.ok(ended, `the end never happened:\n${killed.output}`);
            assert.equal(killed.signal, "SIGKILL");
            assert.equal(
                (await all()).find((a) => a.uuid === wrong).virkning.to,
                today(),
                "the kill landed after the end",
            );
            assert.equal(s.log.filter((e) => e.operation === "opretAbonnement" && e.status === 201).length, 0);
            await ws.mustRun(["cancel", "--yes", "--stack", ws.stack]);
            await finishes(s, ws, all, wrong);
        } finally {
            ws.dispose();
            await s.close();
        }
    });
});
