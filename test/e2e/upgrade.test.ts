// Upgrades never break a municipality's stack: for every released version, the state it recorded
// (test/fixtures/upgrade/<version>/) is imported into a new stack and run with today's code on the
// real engine: preview and refresh find nothing to change, up changes nothing and writes nothing,
// destroy ends the subscription as its onDestroy says. Refresh and destroy run the shim recorded in
// the state (the engine loads `__provider` from state for read and delete), and the recorded shim text
// is also loaded on its own, as the dynamic-provider plugin loads it, and used to read.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { KMD_OPUS_DEBITOR_UUID, sha256Hex } from "@fk-iac/klassifikation-standin";
import { STATE_VERSION } from "../../provider/src/outputs";
import { PROVIDER_VERSION } from "../../provider/src/version";
import { PulumiWorkspace } from "../helpers/pulumi";
import { TestStandin } from "../helpers/standin";
import { today } from "../helpers/days";
import { policyPackArgument } from "../../cli/policy-pack";
import {
    abonnementer,
    loadFixture,
    recordedVersions,
    Replay,
    replayFixture,
    StateResource,
    subscriptionOf,
} from "../helpers/upgrade";

// An untyped CommonJS module: loads code from a string, as the dynamic-provider plugin does.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const requireFromString = require("require-from-string") as (code: string) => {
    handler(): Record<string, (...args: any[]) => Promise<any>>;
};

const WRITES = ["opretAbonnement", "retAbonnement", "passiverAbonnement", "sletAbonnement"];
const policy = ["--policy-pack", policyPackArgument()];

for (const version of recordedVersions()) {
    describe(`upgrade from ${version}: its recorded state, run with today's code (${PROVIDER_VERSION})`, function () {
        const fixture = loadFixture(version);
        const { meta } = fixture;
        let r: Replay;
        let s: TestStandin;
        let ws: PulumiWorkspace;
        const writes = () => WRITES.reduce((n, op) => n + (s.server.stats()[op]?.total ?? 0), 0);
        const subscription = (): StateResource => subscriptionOf(ws.resources());

        before(async function () {
            r = await replayFixture(fixture);
            ({ s, ws } = r);
            assert.equal(s.kommuner[0].kommunekode, meta.config["kommune:kode"]);
        });
        after(async () => r?.close());

        it("imports into a new stack (pulumi stack import), the recorded shim and state shape intact", function () {
            const sub = subscription();
            assert.equal(sha256Hex(String(sub.inputs!.__provider)), meta.shimSha256);
            assert.equal(sub.outputs!.stateVersion, meta.stateVersion);
            assert.equal(sub.id, fixture.seed.abonnementer![0].uuid);
        });

        it("the recorded shim text loads on its own and reads the subscription with today's runtime", async function () {
            const sub = subscription();
            const provider = requireFromString(String(sub.inputs!.__provider)).handler();
            const config: Record<string, string> = { "fk:endpoint": s.url, "fk:token": s.kommuner[0].token };
            await provider.configure({ config: { get: (k: string) => config[k] } });
            const read = await provider.read(sub.id, sub.outputs);
            assert.equal(read.id, sub.id);
            assert.equal(read.props.itSystemInstans, KMD_OPUS_DEBITOR_UUID);
            assert.equal(read.props.stateVersion, STATE_VERSION);
            assert.equal(writes(), 0);
        });

        it("preview --expect-no-changes: today's code plans nothing for it, policy pack included", async function () {
            const preview = await ws.preview(["--expect-no-changes", "--diff", ...policy]);
            assert.equal(preview.code, 0, preview.output);
            assert.doesNotMatch(preview.output, /replace/i);
        });

        it("refresh --expect-no-changes: the recorded shim reads it and finds it as recorded", async function () {
            const refresh = await ws.refresh(["--expect-no-changes"]);
            assert.equal(refresh.code, 0, refresh.output);
            const sub = subscription();
            assert.equal(sha256Hex(String(sub.inputs!.__provider)), meta.shimSha256, "refresh ran the recorded shim");
            // The read is written in today's shape, by today's version.
            assert.equal(sub.outputs!.stateVersion, STATE_VERSION);
            assert.equal(sub.outputs!.providerVersion, PROVIDER_VERSION);
            assert.equal(writes(), 0);
        });

        it("up changes nothing and writes nothing", async function () {
            const up = await ws.up(["--expect-no-changes", ...policy]);
            assert.equal(up.code, 0, up.output);
            assert.equal(writes(), 0);
            const out = await ws.outputs();
            assert.equal(out.abonnementUuid, fixture.seed.abonnementer![0].uuid);
        });

        it(`destroy ends the subscription as onDestroy says (${meta.onDestroy})`, async function () {
            assert.equal(meta.onDestroy, "endDate", "this test knows what endDate does");
            const destroy = await ws.destroy();
            assert.equal(destroy.code, 0, destroy.output);
            const [a] = await abonnementer(s);
            assert.equal(a.uuid, fixture.seed.abonnementer![0].uuid);
            assert.equal(a.virkning.to, today(), "Gyldig til today");
            assert.equal(a.virkning.from, meta.recorded, "Gyldig fra kept");
            assert.equal(s.server.stats().retAbonnement?.total, 1, "one Ret, no Slet");
            assert.equal(s.server.stats().sletAbonnement, undefined);
            assert.deepEqual(ws.resources(), []);
        });
    });
}

// What the upgrade guard's rule for a new shim relies on: a stack whose state holds another shim than
// today's is not replaced (the SDK leaves the diff to the provider), and the engine runs the shim in
// state, not today's, for refresh and destroy. The latest fixture's shim is given a marker that
// writes a line to a file each time it reads or deletes.
describe("a stack holding another serialized shim than today's", function () {
    const fixture = loadFixture(recordedVersions().at(-1)!);
    let r: Replay;
    let marker: string;
    const marks = () => (fs.existsSync(marker) ? fs.readFileSync(marker, "utf8").trim().split("\n") : []);

    before(async function () {
        r = await replayFixture(fixture, (deployment, ws) => {
            marker = path.join(ws.root, "shim-ran.txt");
            const mark = (op: string) => `require("fs").appendFileSync(${JSON.stringify(marker)}, "${op}\\n"), `;
            const sub = subscriptionOf(deployment.resources);
            for (const props of [sub.inputs!, sub.outputs!]) {
                const text = String(props.__provider);
                props.__provider = text
                    .replace("return (id, props) => require(", `return (id, props) => (${mark("read")}require(`)
                    .replace(".read(id, props);", ".read(id, props));")
                    .replace(
                        'return (id, props) => require("@fk-iac/klassifikation/runtime").handler().delete',
                        `return (id, props) => (${mark("delete")}require("@fk-iac/klassifikation/runtime").handler().delete`,
                    )
                    .replace(".delete(id, props);", ".delete(id, props));");
                assert.notEqual(props.__provider, text);
            }
        });
    });
    after(async () => r?.close());

    it("preview --expect-no-changes: a new shim replaces nothing", async function () {
        const preview = await r.ws.preview(["--expect-no-changes", ...policy]);
        assert.equal(preview.code, 0, preview.output);
        assert.deepEqual(marks(), []);
    });

    it("refresh and destroy run the shim in state", async function () {
        const refresh = await r.ws.refresh(["--expect-no-changes"]);
        assert.equal(refresh.code, 0, refresh.output);
        assert.deepEqual(marks(), ["read"]);
        const destroy = await r.ws.destroy();
        assert.equal(destroy.code, 0, destroy.output);
        assert.deepEqual(marks(), ["read", "delete"]);
        const [a] = await abonnementer(r.s);
        assert.equal(a.virkning.to, today());
    });
});
