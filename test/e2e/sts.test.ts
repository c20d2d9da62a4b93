// Real access through the real CLI over HTTPS: a stack with the system certificate and no token gets
// its tokens from the STS (fk:stsEndpoint, fk:entityId) for its municipality's CVR, and does up,
// preview, refresh and destroy; a revoked service agreement and a certificate for another
// municipality are refused by name with nothing written; no token is found in the state, the
// output (also at -v=9 with FK_KLASSIFIKATION_DEBUG=1) or any file of the workspace.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { STANDIN_ENTITY_ID } from "@fk-iac/klassifikation-standin";
import { kommuneCvr } from "@fk-iac/klassifikation/rules";
import { CertPair, makeTestPki, TestPki } from "../helpers/certs";
import { PulumiWorkspace } from "../helpers/pulumi";
import { startTestStandin, TestStandin } from "../helpers/standin";
import { fixtures } from "../helpers/workspaces";

/** Every file under `dir`, as text. */
function filesUnder(dir: string): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
        if (!entry.isFile()) continue;
        const file = path.join(entry.parentPath, entry.name);
        if (file.includes(`${path.sep}node_modules${path.sep}`)) continue;
        out.push([file, fs.readFileSync(file, "latin1")]);
    }
    return out;
}

describe("real access: the system certificate and tokens from the STS, through the CLI", function () {
    let pki: TestPki;
    let s: TestStandin;
    let vendor: CertPair;
    const issued: string[] = [];
    const outputs: string[] = [];
    const workspaces: PulumiWorkspace[] = [];
    const verbose = { FK_KLASSIFIKATION_DEBUG: "1" };
    const apiLog = () => s.log.filter((e) => e.path.startsWith("/api/"));

    async function stack(kommunekode: string, cert: CertPair): Promise<PulumiWorkspace> {
        const ws = await PulumiWorkspace.create({ programDir: fixtures.subscription, kommunekode });
        workspaces.push(ws);
        await ws.setConfig("fk:endpoint", s.url);
        await ws.setConfig("fk:caBundleFile", pki.caFile);
        await ws.setConfig("fk:clientCertificateFile", cert.certFile);
        await ws.setConfig("fk:clientKeyFile", cert.keyFile);
        await ws.setConfig("fk:stsEndpoint", s.url);
        await ws.setConfig("fk:entityId", STANDIN_ENTITY_ID);
        return ws;
    }
    const kept = <T extends { output: string }>(res: T): T => (outputs.push(res.output), res);

    before(async function () {
        pki = makeTestPki();
        vendor = pki.client("vendor");
        s = await startTestStandin({
            kommuner: 3,
            tls: { cert: pki.server.cert, key: pki.server.key, clientCa: pki.ca },
            trust: pki.ca,
            seed: {
                serviceAgreements: [{ certificateFingerprint: vendor.fingerprint256, cvr: [kommuneCvr("0101")!] }],
            },
            sts: { onIssued: (token) => issued.push(token) },
        });
    });
    after(async function () {
        for (const ws of workspaces) ws.dispose();
        await s?.close();
        pki?.dispose();
    });

    it("up, preview, refresh and destroy with the certificate and no token; one token per run", async function () {
        const ws = await stack("0101", vendor);
        const up = kept(await ws.up(["-v=9", "--logtostderr", "--logflow"], verbose));
        assert.equal(up.code, 0, up.output);
        const [created] = s.server.service.all("0101");
        assert.ok(created, "the subscription was created");
        assert.equal(s.server.sts.issued.get(kommuneCvr("0101")!), 1, "one token for the whole up");
        assert.ok(apiLog().length > 0);
        for (const e of apiLog()) {
            assert.equal(e.credential, "sts", `${e.operation} carried the STS token`);
            assert.equal(e.kommunekode, "0101");
            assert.match(e.transaktionsId ?? "", /^[0-9a-f-]{36}$/);
        }
        const preview = kept(await ws.preview(["--expect-no-changes"], verbose));
        assert.equal(preview.code, 0, preview.output);
        const refresh = kept(await ws.refresh(["--expect-no-changes"], verbose));
        assert.equal(refresh.code, 0, refresh.output);
        const destroy = kept(await ws.destroy([], verbose));
        assert.equal(destroy.code, 0, destroy.output);
        assert.ok(s.server.service.all("0101").every((a) => a.virkning.to !== null || a.livscyklus !== "Opstaaet"));
    });

    it("a revoked service agreement is refused by the STS, naming the municipality, its CVR and what to ask for", async function () {
        await s.admin("DELETE", `/admin/serviceaftaler/${vendor.fingerprint256}/${kommuneCvr("0101")}`);
        const ws = await stack("0101", vendor);
        const writes = apiLog().length;
        const up = kept(await ws.up());
        assert.notEqual(up.code, 0, up.output);
        assert.match(up.output, /København \(0101\), CVR 64942212/);
        assert.match(up.output, /service agreement \(serviceaftale\).*Fælleskommunalt Administrationsmodul/);
        assert.match(up.output, /FK_NO_SERVICE_AGREEMENT/);
        assert.equal(apiLog().length, writes, "nothing reached the API");
        await s.admin("PUT", `/admin/serviceaftaler/${vendor.fingerprint256}/${kommuneCvr("0101")}`);
    });

    it("a certificate whose agreements are for another municipality gets no token for this one", async function () {
        const ws = await stack("0751", vendor);
        const preview = kept(await ws.preview());
        assert.notEqual(preview.code, 0, preview.output);
        assert.match(preview.output, /no token for Aarhus \(0751\), CVR 55133018/);
        assert.equal(s.server.service.all("0751").length, 0);
    });

    it("no token is in the state, the output (also at -v=9 with debug on) or any file of the workspaces", function () {
        assert.ok(issued.length >= 3, `tokens were issued (${issued.length})`);
        for (const token of issued) {
            const signature = token.split(".")[2];
            for (const out of outputs) assert.ok(!out.includes(signature), "no token in the CLI's output");
            for (const ws of workspaces) {
                for (const [file, text] of filesUnder(ws.root)) {
                    assert.ok(!text.includes(signature), `no token in ${path.relative(ws.root, file)}`);
                }
            }
        }
    });
});
