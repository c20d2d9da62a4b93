// Editing a value in the program, the most basic act of infrastructure as code, through the plain CLI
// with the policy pack: each change starts from a subscription the stack made itself, and no
// repairExisting is needed. skemaversion and validFrom replace it (the old one ended first, its history
// kept and never overlapping the new one), sortiment and itSystemInstans replace it (the new one first),
// validTo changes it in place, and kommunekode is refused before anything is written.
import * as assert from "node:assert/strict";
import { BORGERBLIKKET_UUID, KMD_OPUS_DEBITOR_UUID } from "@fk-iac/klassifikation-standin";
import { PulumiWorkspace } from "../helpers/pulumi";
import { startTestStandin, TestStandin } from "../helpers/standin";
import { addDays, today } from "../helpers/days";
import { connectedWorkspace, fixtures } from "../helpers/workspaces";
import { policyPackArgument } from "../../cli/policy-pack";

const policy = ["--policy-pack", policyPackArgument()];
const OTHER_SYSTEM = "5b0c2f0e-7d43-4d8e-9a51-2c7e3f0a9b11";
const OTHER_SORTIMENT = "9d1e6c3a-2b7f-4e0a-8c5d-1f4b7a2e6d90";
/** What the preview's diff must not show: inputs the provider sets itself. */
const INTERNAL = /\b(plan|existing|repairExisting|stateVersion)\b/;

/** A stand-in with a second subscriber and a second sortiment, and a stack of the fixture program on it. */
async function setUp(config: Record<string, string> = {}) {
    const s = await startTestStandin({
        kommuner: 2,
        seed: {
            sortimenter: [
                { uuid: OTHER_SORTIMENT, brugervendtnoegle: "Kontoplan", titel: "Kontoplan", skemaversioner: ["1.3"] },
            ],
            itSystemInstanser: [{ uuid: OTHER_SYSTEM, navn: "Et andet debitorsystem" }],
        },
    });
    const ws = await connectedWorkspace(s, fixtures.subscription, { config });
    const all = async (kode = "0101") =>
        (await s.admin("GET", `/admin/abonnementer?kommunekode=${kode}`)).items as any[];
    const active = async () =>
        (await all()).filter((a) => a.livscyklus !== "Passiv" && (a.virkning.to === null || a.virkning.to > today()));
    return { s, ws, all, active };
}

describe("editing a value in the program changes the stack's own subscription", function () {
    let s: TestStandin;
    let ws: PulumiWorkspace;
    let all: (kode?: string) => Promise<any[]>;
    let active: () => Promise<any[]>;

    before(async function () {
        ({ s, ws, all, active } = await setUp({ "sub:skemaversion": "1.2" }));
        // Made by this stack with skemaversion 1.2 (no policy pack: it would refuse 1.2).
        const up = await ws.up();
        assert.equal(up.code, 0, up.output);
    });
    after(async function () {
        ws?.dispose();
        await s?.close();
    });

    it("skemaversion 1.2 -> 1.3: preview shows the replacement and only declared inputs; up ends the old one first", async function () {
        const [old] = await all();
        await ws.setConfig("sub:skemaversion", "1.3");
        s.server.resetStats();
        const preview = await ws.preview([...policy, "--diff"]);
        assert.equal(preview.code, 0, preview.output);
        assert.match(preview.output, /\+-.*sub|replace/);
        assert.match(preview.output, /skemaversion\s*:\s*"1\.2"\s*=>\s*"1\.3"/);
        // The changes shown are the program's; the provider's own bookkeeping (plan, existing) is not shown at all.
        const inputsShown = preview.output.slice(0, preview.output.indexOf("--outputs:--"));
        const changes = inputsShown.split("\n").filter((l) => /^\s+[~+-] \w/.test(l));
        assert.deepEqual(
            changes.map((l) => l.trim().split(/\s/)[1]),
            ["skemaversion"],
            preview.output,
        );
        assert.doesNotMatch(preview.output, INTERNAL, preview.output);
        assert.equal(s.server.stats().retAbonnement, undefined, "preview writes nothing");
        const up = await ws.up(policy);
        assert.equal(up.code, 0, up.output);
        const subs = await all();
        assert.equal(subs.length, 2, "history kept: nothing deleted");
        const ended = subs.find((a) => a.uuid === old.uuid);
        assert.equal(ended.virkning.to, today());
        const [now] = await active();
        assert.equal((await active()).length, 1);
        assert.deepEqual([now.skemaversion, now.virkning.from, now.virkning.to], ["1.3", today(), null]);
        assert.equal((await ws.outputs()).abonnementUuid, now.uuid);
        assert.equal((await ws.preview(["--expect-no-changes", ...policy])).code, 0);
    });

    it("validFrom moved back: the old one's Gyldig til moves back with it, so no two overlap", async function () {
        // Start from a stack-made one with an explicit Gyldig fra three days ago.
        const from = addDays(today(), -3);
        await ws.setConfig("sub:validFrom", from);
        const first = await ws.up(policy);
        assert.equal(first.code, 0, first.output);
        const [made] = await active();
        assert.equal(made.virkning.from, from);
        const to = addDays(today(), -1);
        await ws.setConfig("sub:validFrom", to);
        const up = await ws.up(policy);
        assert.equal(up.code, 0, up.output);
        const ended = (await all()).find((a) => a.uuid === made.uuid);
        assert.deepEqual(ended.virkning, { from, to }, "ends where the new one starts");
        const [now] = await active();
        assert.equal((await active()).length, 1);
        assert.deepEqual(now.virkning, { from: to, to: null });
        assert.equal((await ws.preview(["--expect-no-changes", ...policy])).code, 0);
    });

    it("validTo is changed in place: the same subscription, one Ret", async function () {
        const [before] = await active();
        const to = addDays(today(), 30);
        await ws.setConfig("sub:validTo", to);
        s.server.resetStats();
        const up = await ws.up(policy);
        assert.equal(up.code, 0, up.output);
        assert.equal(s.server.stats().retAbonnement?.total, 1);
        assert.equal(s.server.stats().opretAbonnement, undefined);
        const [now] = await active();
        assert.deepEqual([now.uuid, now.virkning.to], [before.uuid, to]);
        await ws.mustRun(["config", "rm", "--stack", ws.stack, "sub:validTo"]);
        assert.equal((await ws.up(policy)).code, 0);
    });

    it("itSystemInstans: the new subscription is created, then the old one ended", async function () {
        const [old] = await active();
        await ws.setConfig("sub:itSystemInstans", OTHER_SYSTEM);
        const up = await ws.up(policy);
        assert.equal(up.code, 0, up.output);
        const [now] = await active();
        assert.equal((await active()).length, 1);
        assert.equal(now.itSystemInstans, OTHER_SYSTEM);
        assert.equal((await all()).find((a) => a.uuid === old.uuid).virkning.to, today());
        await ws.mustRun(["config", "rm", "--stack", ws.stack, "sub:itSystemInstans"]);
        assert.equal((await ws.up(policy)).code, 0);
        const [back] = await active();
        assert.equal(back.itSystemInstans, KMD_OPUS_DEBITOR_UUID);
    });

    it("sortiment: the new subscription is created, then the old one ended", async function () {
        const [old] = await active();
        await ws.setConfig("sub:sortiment", "Kontoplan");
        const up = await ws.up(policy);
        assert.equal(up.code, 0, up.output);
        const [now] = await active();
        assert.equal((await active()).length, 1);
        assert.equal(now.sortiment, OTHER_SORTIMENT);
        assert.equal((await all()).find((a) => a.uuid === old.uuid).virkning.to, today());
        await ws.mustRun(["config", "rm", "--stack", ws.stack, "sub:sortiment"]);
        assert.equal((await ws.up(policy)).code, 0);
        assert.equal((await active())[0].sortiment, BORGERBLIKKET_UUID);
    });

    it("kommunekode is refused in preview and up before anything is written; the two documented steps move it", async function () {
        const [kept] = await active();
        await ws.setConfig("kommune:kode", "0751");
        s.server.resetStats();
        for (const res of [await ws.preview(policy), await ws.up(policy)]) {
            assert.notEqual(res.code, 0, res.output);
            assert.match(res.output, /kommunekode changes from 0101 to 0751/);
            assert.match(res.output, /FK_MUNICIPALITY_CHANGE/);
        }
        assert.deepEqual(Object.keys(s.server.stats()), [], "nothing was sent at all");
        // Step 1: destroy with the old municipality's settings; step 2: up with the new one's.
        await ws.setConfig("kommune:kode", "0101");
        assert.equal((await ws.destroy()).code, 0);
        assert.equal((await all()).find((a) => a.uuid === kept.uuid).virkning.to, today());
        await ws.setConfig("kommune:kode", "0751");
        await ws.setConfig("fk:token", s.kommuner[1].token, true);
        const up = await ws.up(policy);
        assert.equal(up.code, 0, up.output);
        const aarhus = (await all("0751")).filter((a) => a.virkning.to === null);
        assert.equal(aarhus.length, 1);
        assert.equal((await ws.outputs()).kommunekode, "0751");
    });
});
