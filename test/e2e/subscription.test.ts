// SortimentSubscription in the real engine against the stand-in over HTTP.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { BORGERBLIKKET_UUID } from "@fk-iac/klassifikation-standin";
import { KMD_OPUS_DEBITOR, RESOURCE_TYPE_TOKEN } from "@fk-iac/klassifikation";
import { PulumiWorkspace, repoRoot } from "../helpers/pulumi";
import { startTestStandin, TestStandin } from "../helpers/standin";
import { addDays, today } from "../helpers/days";

const fixture = path.join(repoRoot, "test", "fixtures", "subscription");

async function connect(ws: PulumiWorkspace, s: TestStandin, kommune = 0) {
    await ws.setConfig("kommune:kode", s.kommuner[kommune].kommunekode);
    await ws.setConfig("fk:endpoint", s.url);
    await ws.setConfig("fk:token", s.kommuner[kommune].token, true);
}

describe("SortimentSubscription in the real engine", function () {
    let s: TestStandin;
    let ws: PulumiWorkspace;
    const list = async () => (await s.admin("GET", "/admin/abonnementer?kommunekode=0101")).items as any[];

    before(async function () {
        s = await startTestStandin();
        ws = await PulumiWorkspace.create({ programDir: fixture });
        await connect(ws, s);
    });
    after(async function () {
        ws?.dispose();
        await s?.close();
    });

    it("up creates the subscription of task GB1.0", async function () {
        const res = await ws.up();
        assert.equal(res.code, 0, res.output);
        const subs = await list();
        assert.equal(subs.length, 1);
        const [a] = subs;
        assert.equal(a.sortiment, BORGERBLIKKET_UUID);
        assert.equal(a.itSystemInstans, KMD_OPUS_DEBITOR);
        assert.equal(a.skemaversion, "1.3");
        assert.deepEqual(a.virkning, { from: today(), to: null });
        assert.equal(a.livscyklus, "Opstaaet");
        const out = await ws.outputs();
        assert.equal(out.abonnementUuid, a.uuid);
        assert.equal(out.itSystemInstansNavn, "KMD Opus Debitor");
        assert.equal(out.leveringStatus, "Afventer");
        assert.equal(out.kommunekode, "0101");
        assert.equal(out.adopted, false);
        const resource = ws.resources().find((r) => r.type === RESOURCE_TYPE_TOKEN);
        assert.ok(resource, "the resource has our type token");
        assert.equal(resource.id, a.uuid);
    });

    it("keeps the serialized provider small and free of secrets", function () {
        const resource = ws.resources().find((r) => r.type === RESOURCE_TYPE_TOKEN)!;
        const code: string = resource.inputs.__provider;
        // Seven one-line shims that load the installed implementation; nothing of it is captured.
        assert.ok(code.length < 3000, `serialized provider is ${code.length} bytes`);
        assert.equal(code.match(/require\("@fk-iac\/klassifikation\/runtime"\)/g)?.length, 7);
        assert.doesNotMatch(code, /zod|axios|ConnectionSettings|fk:token/);
        const state = ws.stateFileText();
        assert.ok(!state.includes(s.kommuner[0].token), "the token must not be in the state file in plain text");
    });

    it("preview shows no changes, also when run a day later", async function () {
        const same = await ws.preview(["--expect-no-changes"]);
        assert.equal(same.code, 0, same.output);
        const later = await ws.preview(["--expect-no-changes"], { FK_KLASSIFIKATION_TODAY: addDays(today(), 1) });
        assert.equal(later.code, 0, later.output);
    });

    it("refresh finds an out-of-band end-dating, and up repairs it", async function () {
        const [a] = await list();
        await s.admin("POST", `/admin/abonnementer/${a.uuid}/afslut`, { to: today() });
        const refresh = await ws.refresh();
        assert.equal(refresh.code, 0, refresh.output);
        // The engine's summary of a refresh that found drift on this one resource.
        assert.match(refresh.output, /Resources:\s+~ 1 updated/);
        // Refresh updates the resource in state (stack outputs change only on up).
        const refreshed = ws.resources().find((r) => r.type === RESOURCE_TYPE_TOKEN)!;
        assert.equal(refreshed.outputs.validTo, today());
        const preview = await ws.preview(["--expect-no-changes"]);
        assert.notEqual(preview.code, 0, "the drift must show as a pending change");
        const up = await ws.up();
        assert.equal(up.code, 0, up.output);
        const [repaired] = await list();
        assert.equal(repaired.uuid, a.uuid, "repaired in place, not replaced");
        assert.equal(repaired.virkning.to, null);
        assert.equal((await ws.outputs()).validTo, undefined);
    });

    it("changes validTo in place", async function () {
        const [before] = await list();
        const to = addDays(today(), 30);
        await ws.setConfig("sub:validTo", to);
        const res = await ws.up();
        assert.equal(res.code, 0, res.output);
        const subs = await list();
        assert.equal(subs.length, 1);
        assert.equal(subs[0].uuid, before.uuid);
        assert.equal(subs[0].virkning.to, to);
        await ws.mustRun(["config", "rm", "--stack", ws.stack, "sub:validTo"]);
        assert.equal((await ws.up()).code, 0);
        assert.equal((await list())[0].virkning.to, null);
    });

    it("rejects a bad input before anything is sent", async function () {
        s.server.resetStats();
        await ws.setConfig("sub:skemaversion", "1.3.0");
        const res = await ws.preview();
        assert.notEqual(res.code, 0);
        assert.match(res.output, /skemaversion is "1\.3\.0": must be a schema version written major\.minor/);
        const up = await ws.up();
        assert.notEqual(up.code, 0);
        const stats = s.server.stats();
        assert.equal(stats.opretAbonnement, undefined);
        assert.equal(stats.retAbonnement, undefined);
        await ws.mustRun(["config", "rm", "--stack", ws.stack, "sub:skemaversion"]);
    });

    it("destroy end-dates it in the classification system", async function () {
        const res = await ws.destroy();
        assert.equal(res.code, 0, res.output);
        const [a] = await list();
        // The engine says "deleted"; the provider says what it did.
        assert.match(
            res.output,
            new RegExp(
                `subscription ${a.uuid} was ended, not deleted: Gyldig til ${today()}; FK Klassifikation keeps it`,
            ),
        );
        assert.equal(a.virkning.to, today());
        assert.equal(a.livscyklus, "Rettet");
        assert.equal(ws.resources().filter((r) => r.type === RESOURCE_TYPE_TOKEN).length, 0);
    });
});
