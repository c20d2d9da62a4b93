// How many calls one `pulumi up` makes to the classification API, counted from the stand-in's log:
// each fact is looked up once per run (check's look-ups of reference data serve create), so an up that
// creates makes at most 6 calls and one that adopts at most 5. With the STS whom the calls act for is in
// the token; with a gateway's token the search shows it when it finds one (an adoption), else Laes
// myndighed asks. The counts are in bench/RESULTS.md.
import * as assert from "node:assert/strict";
import { BORGERBLIKKET_UUID, KMD_OPUS_DEBITOR_UUID, STANDIN_ENTITY_ID } from "@fk-iac/klassifikation-standin";
import { danishToday, kommuneCvr } from "@fk-iac/klassifikation/rules";
import { makeTestPki, TestPki } from "../helpers/certs";
import { PulumiWorkspace } from "../helpers/pulumi";
import { startTestStandin, TestStandin } from "../helpers/standin";
import { fixtures } from "../helpers/workspaces";

describe("API calls per pulumi up (stand-in log)", function () {
    let pki: TestPki;
    let s: TestStandin;
    const workspaces: PulumiWorkspace[] = [];
    const apiCalls = () => s.log.filter((e) => e.path.startsWith("/api/")).map((e) => e.operation);

    before(async function () {
        pki = makeTestPki();
        const vendor = pki.client("vendor");
        s = await startTestStandin({
            kommuner: 3,
            tls: { cert: pki.server.cert, key: pki.server.key, clientCa: pki.ca },
            trust: pki.ca,
            seed: {
                serviceAgreements: [
                    { certificateFingerprint: vendor.fingerprint256, cvr: ["0101", "0751"].map((k) => kommuneCvr(k)!) },
                ],
            },
        });
        for (const [kode, access] of [
            ["0101", "sts"],
            ["0751", "sts"],
            ["0851", "token"],
        ] as const) {
            const ws = await PulumiWorkspace.create({ programDir: fixtures.subscription, kommunekode: kode });
            workspaces.push(ws);
            await ws.setConfig("fk:endpoint", s.url);
            await ws.setConfig("fk:caBundleFile", pki.caFile);
            if (access === "token") {
                await ws.setConfig("fk:token", s.kommuner.find((k) => k.kommunekode === kode)!.token, true);
                continue;
            }
            await ws.setConfig("fk:clientCertificateFile", vendor.certFile);
            await ws.setConfig("fk:clientKeyFile", vendor.keyFile);
            await ws.setConfig("fk:stsEndpoint", s.url);
            await ws.setConfig("fk:entityId", STANDIN_ENTITY_ID);
        }
    });
    after(async function () {
        for (const ws of workspaces) ws.dispose();
        await s?.close();
        pki?.dispose();
    });

    async function counted(ws: PulumiWorkspace): Promise<string[]> {
        s.log.length = 0;
        const up = await ws.up();
        assert.equal(up.code, 0, up.output);
        return apiCalls();
    }

    it("an up that creates: at most 6 calls, 5 with the STS", async function () {
        const withSts = await counted(workspaces[0]);
        assert.deepEqual(withSts, [
            "soegSortiment",
            "laesItSystemInstans",
            "soegAbonnement",
            "soegAbonnement",
            "opretAbonnement",
        ]);
        const withToken = await counted(workspaces[2]);
        assert.deepEqual([...withToken].sort(), ["laesMyndighed", ...withSts].sort());
    });

    it("an up that adopts one made by hand: at most 5 calls with the STS, the ownership write included", async function () {
        await s.admin("POST", "/admin/abonnementer", {
            kommunekode: "0751",
            sortiment: BORGERBLIKKET_UUID,
            itSystemInstans: KMD_OPUS_DEBITOR_UUID,
            skemaversion: "1.3",
            virkning: { from: danishToday(), to: null },
        });
        const calls = await counted(workspaces[1]);
        assert.ok(calls.length <= 5, calls.join(" "));
        assert.deepEqual(
            calls.filter((c) => !c.startsWith("soeg") && !c.startsWith("laes")),
            ["retAbonnement"],
            "one write: the note",
        );
        assert.equal(s.server.service.all("0751").length, 1, "adopted, not created");
    });

    it("an up that adopts with a gateway's token: 5 calls too, the search showing whom the token acts for", async function () {
        // The stack's own subscription ended (destroy), and one made by hand from today: up adopts it.
        const destroyed = await workspaces[2].destroy();
        assert.equal(destroyed.code, 0, destroyed.output);
        const kode = "0851";
        await s.admin("POST", "/admin/abonnementer", {
            kommunekode: kode,
            sortiment: BORGERBLIKKET_UUID,
            itSystemInstans: KMD_OPUS_DEBITOR_UUID,
            skemaversion: "1.3",
            virkning: { from: danishToday(), to: null },
        });
        const calls = await counted(workspaces[2]);
        assert.deepEqual(calls, [
            "soegSortiment",
            "laesItSystemInstans",
            "soegAbonnement",
            "soegAbonnement",
            "retAbonnement",
        ]);
        assert.equal(s.server.service.all(kode).length, 2, "adopted, not created: the ended one and the adopted one");
    });
});
