// One owner per subscription, through the plain CLI: the note names the stack that manages it; a
// second stack for the same municipality is refused before any write (in preview too), takes it over
// only when told to (one write of the note, values untouched), and the stack that lost it says so and
// never recreates or ends it. A subscription adopted from the web UI records its owner the same way, and
// the read-only survey then shows it as under code, with its stack.
import * as assert from "node:assert/strict";
import { AbonnementSeed, KMD_OPUS_DEBITOR_UUID } from "@fk-iac/klassifikation-standin";
import { surveyMunicipality } from "@fk-iac/klassifikation";
import { PulumiWorkspace } from "../helpers/pulumi";
import { apiOf, startTestStandin, TestStandin } from "../helpers/standin";
import { connectedWorkspace, fixtures } from "../helpers/workspaces";
import { policyPackArgument } from "../../cli/policy-pack";

const policy = ["--policy-pack", policyPackArgument()];
const WRITES = ["opretAbonnement", "retAbonnement", "passiverAbonnement", "sletAbonnement"];
/** The fixture program's project and resource name: owners are `<project>/<stack>/sub`. */
const ownerIn = (stack: string) => `subscription-e2e/${stack}/sub`;

describe("two stacks never own one subscription", function () {
    let s: TestStandin;
    let first: PulumiWorkspace;
    let second: PulumiWorkspace;
    const writes = () => WRITES.reduce((n, op) => n + (s.server.stats()[op]?.total ?? 0), 0);
    const all = async () => (await s.admin("GET", "/admin/abonnementer?kommunekode=0101")).items as any[];

    before(async function () {
        s = await startTestStandin({ kommuner: 1 });
        first = await connectedWorkspace(s, fixtures.subscription);
        second = await PulumiWorkspace.create({
            programDir: fixtures.subscription,
            stack: "second",
            kommunekode: "0101",
        });
        await second.setConfig("fk:endpoint", s.url);
        await second.setConfig("fk:token", s.kommuner[0].token, true);
        const up = await first.up(policy);
        assert.equal(up.code, 0, up.output);
    });
    after(async function () {
        first?.dispose();
        second?.dispose();
        await s?.close();
    });

    it("the first stack's create records it as the owner, in the note and in its outputs", async function () {
        const [a] = await all();
        assert.equal(a.note, `managed by pulumi: ${ownerIn(first.stack)}`);
        assert.equal((await first.outputs()).owner, ownerIn(first.stack));
    });

    for (const command of ["preview", "up"] as const) {
        it(`a second stack's ${command} is refused before any write, naming the owning stack and the ways forward`, async function () {
            s.server.resetStats();
            const res = command === "preview" ? await second.preview(policy) : await second.up(policy);
            assert.notEqual(res.code, 0, res.output);
            assert.match(res.output, new RegExp(`managed by the Pulumi stack subscription-e2e/${first.stack} `));
            assert.match(res.output, /takeOver/);
            assert.match(res.output, /FK_OWNED_ELSEWHERE/);
            assert.equal(writes(), 0);
        });
    }

    it("takeOver moves it with one write of the note, its values and dates untouched", async function () {
        const [before] = await all();
        await second.setConfig("sub:takeOver", "true");
        s.server.resetStats();
        const up = await second.up(policy);
        assert.equal(up.code, 0, up.output);
        assert.equal(s.server.stats().retAbonnement?.total, 1, "one Ret");
        assert.equal(writes(), 1, "and nothing else");
        const [after] = await all();
        assert.equal(after.uuid, before.uuid);
        assert.deepEqual([after.skemaversion, after.virkning], [before.skemaversion, before.virkning]);
        assert.equal(after.note, `managed by pulumi: ${ownerIn("second")}`);
        const out = await second.outputs();
        assert.deepEqual([out.abonnementUuid, out.adopted, out.owner], [before.uuid, true, ownerIn("second")]);
        // takeOver is a switch for the run that moves it: unset, the next up changes and writes nothing.
        await second.mustRun(["config", "rm", "--stack", "second", "sub:takeOver"]);
        s.server.resetStats();
        assert.equal((await second.up(policy)).code, 0);
        assert.equal(writes(), 0);
        assert.equal((await second.preview(["--expect-no-changes", ...policy])).code, 0);
    });

    it("the stack that lost it says so on refresh and on an up that would change it, and recreates nothing", async function () {
        s.server.resetStats();
        const refresh = await first.refresh();
        assert.notEqual(refresh.code, 0, refresh.output);
        await first.setConfig("sub:validTo", "2099-01-01");
        const up = await first.up(policy);
        assert.notEqual(up.code, 0, up.output);
        for (const res of [refresh, up]) {
            assert.match(res.output, /is now managed by the Pulumi stack subscription-e2e\/second/);
            assert.match(res.output, /FK_TAKEN_OVER/);
        }
        assert.equal(writes(), 0);
        const [a] = await all();
        assert.deepEqual([(await all()).length, a.virkning.to], [1, null], "nothing recreated or changed");
        await first.mustRun(["config", "rm", "--stack", first.stack, "sub:validTo"]);
    });

    it("destroying the stack that lost it forgets it without ending it", async function () {
        s.server.resetStats();
        const destroy = await first.destroy();
        assert.equal(destroy.code, 0, destroy.output);
        assert.equal(writes(), 0);
        const [a] = await all();
        assert.deepEqual([a.virkning.to, a.note], [null, `managed by pulumi: ${ownerIn("second")}`]);
        assert.equal((await second.refresh(["--expect-no-changes"])).code, 0, "the owner sees no change");
    });
});

describe("a subscription made by hand is taken under code visibly", function () {
    let s: TestStandin;
    let ws: PulumiWorkspace;
    const seed: AbonnementSeed = {
        kommunekode: "0101",
        sortiment: "Borgerblikket",
        itSystemInstans: KMD_OPUS_DEBITOR_UUID,
        skemaversion: "1.3",
        virkning: { from: "2023-06-01", to: null },
        oprettet: "2023-06-01T08:12:00Z",
        oprettetAf: "bruger:mh (København, web-UI)",
    };
    const survey = () => surveyMunicipality(apiOf(s), { kommunekode: "0101" });

    before(async function () {
        s = await startTestStandin({ kommuner: 1, seed: { abonnementer: [seed] } });
        ws = await connectedWorkspace(s, fixtures.subscription);
    });
    after(async function () {
        ws?.dispose();
        await s?.close();
    });

    it("before: the survey sees it made by hand, not under code", async function () {
        assert.equal((await survey()).state, "by-hand");
    });

    it("up adopts it with one Ret of the note alone; the survey then shows it under code, with its stack", async function () {
        s.server.resetStats();
        const up = await ws.up(policy);
        assert.equal(up.code, 0, up.output);
        assert.equal(s.server.stats().retAbonnement?.total, 1);
        assert.equal(s.server.stats().opretAbonnement, undefined);
        const [a] = (await s.admin("GET", "/admin/abonnementer?kommunekode=0101")).items as any[];
        assert.deepEqual(a.virkning, seed.virkning, "values and dates untouched");
        assert.equal(a.registrering.oprettetAf, seed.oprettetAf, "who made it stays on record");
        const result = await survey();
        assert.equal(result.state, "done", "made in 2023: delivered long ago");
        assert.equal(result.subscription?.underCode, true);
        assert.equal(result.subscription?.owner, ownerIn(ws.stack));
        assert.match(result.detail, new RegExp(`managed by the stack subscription-e2e/${ws.stack}`));
    });

    it("a note cleared by hand shows after refresh, and the next up writes it again", async function () {
        const [a] = (await s.admin("GET", "/admin/abonnementer?kommunekode=0101")).items as any[];
        await s.admin("POST", `/admin/abonnementer/${a.uuid}/note`, { note: "" });
        assert.equal((await ws.refresh()).code, 0);
        assert.notEqual((await ws.preview(["--expect-no-changes"])).code, 0, "the missing owner is a change");
        s.server.resetStats();
        assert.equal((await ws.up(policy)).code, 0);
        assert.equal(s.server.stats().retAbonnement?.total, 1);
        const [after] = (await s.admin("GET", "/admin/abonnementer?kommunekode=0101")).items as any[];
        assert.deepEqual([after.note, after.virkning.to], [`managed by pulumi: ${ownerIn(ws.stack)}`, null]);
    });
});
