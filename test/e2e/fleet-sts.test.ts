// One vendor certificate for all 98 municipalities: the inventory's rows carry no credentials, the
// fleet gives its system certificate once (--setting), and each row gets a token from the STS for its
// own CVR: one STS call per municipality per run, counted. A row's own token still wins. Tokens that
// expire in the middle of a fleet up are renewed and nothing is made twice. No token is printed or
// written to the report or the page.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { brownfieldSubscriptions, STANDIN_ENTITY_ID } from "@fk-iac/klassifikation-standin";
import { kommuneCvr, KOMMUNER } from "@fk-iac/klassifikation/rules";
import { CertPair, makeTestPki, TestPki } from "../helpers/certs";
import { fleetIn } from "../helpers/fleet";
import { repoRoot } from "../helpers/pulumi";
import { randomToken, startTestStandin, tenantsFor, TestStandin } from "../helpers/standin";
import { localBackendUrl } from "../../cli/local";

describe("fleet: one vendor certificate for 98 municipalities, a token per CVR", function () {
    let pki: TestPki;
    let vendor: CertPair;
    let s: TestStandin;
    const dir = path.join(repoRoot, ".work", `fleet-sts-${process.pid}`);
    const inventory = path.join(dir, "inventory.yaml");
    const tokens = new Map(KOMMUNER.map(([kode]) => [kode, randomToken()]));
    const issued: string[] = [];
    let env: NodeJS.ProcessEnv;
    const report = () => JSON.parse(fs.readFileSync(path.join(dir, "report.json"), "utf8"));
    const outputs: string[] = [];
    const fleet = (args: string[]) =>
        fleetIn(
            dir,
            inventory,
            () => env,
            () =>
                Object.entries({
                    clientCertificateFile: vendor.certFile,
                    clientKeyFile: vendor.keyFile,
                    caBundleFile: pki.caFile,
                    stsEndpoint: s.url,
                    entityId: STANDIN_ENTITY_ID,
                }).flatMap(([key, value]) => ["--setting", `${key}=${value}`]),
        )(args).then((res) => (outputs.push(res.output), res));
    const issuedFor = (kode: string) => s.server.sts.issued.get(kommuneCvr(kode)!) ?? 0;

    before(async function () {
        fs.mkdirSync(dir, { recursive: true });
        pki = makeTestPki();
        vendor = pki.client("vendor");
        const tenants = tenantsFor(tokens);
        s = await startTestStandin({
            kommuner: 0,
            tls: { cert: pki.server.cert, key: pki.server.key, clientCa: pki.ca },
            trust: pki.ca,
            seed: {
                tenants,
                abonnementer: brownfieldSubscriptions(tenants),
                serviceAgreements: [
                    { certificateFingerprint: vendor.fingerprint256, cvr: KOMMUNER.map(([, , cvr]) => cvr) },
                ],
            },
            sts: { onIssued: (token) => issued.push(token) },
        });
        // Frederiksberg keeps a token of its own (a gateway's): the row's own credentials win.
        const rows = KOMMUNER.map(([kode, navn]) =>
            kode === "0147"
                ? `  - { kommunekode: "${kode}", navn: "${navn}", endpoint: "${s.url}", credentials: "env:FK_TOKEN_0147" }`
                : `  - { kommunekode: "${kode}", navn: "${navn}", endpoint: "${s.url}" }`,
        );
        fs.writeFileSync(inventory, `kommuner:\n${rows.join("\n")}\n`);
        fs.mkdirSync(path.join(dir, "backend"), { recursive: true });
        env = {
            ...process.env,
            PULUMI_BACKEND_URL: localBackendUrl(path.join(dir, "backend")),
            PULUMI_CONFIG_PASSPHRASE: "fleet-sts-test",
            PULUMI_HOME: path.join(dir, "pulumi-home"),
            FK_TOKEN_0147: tokens.get("0147"),
        };
    });
    after(async function () {
        await s?.close();
        pki?.dispose();
        if (process.env.FK_KEEP_WORK !== "1") fs.rmSync(dir, { recursive: true, force: true });
    });

    it("survey reaches all 98 with one certificate: one STS call per municipality, the own token for its row", async function () {
        const res = await fleet(["survey", "--html", path.join(dir, "status.html")]);
        assert.ok(res.code === 0 || res.code === 1 || res.code === 10, res.output);
        const r = report();
        assert.equal(r.municipalities.length, 98);
        const unreachable = r.municipalities.filter((m: any) => m.state === "unreachable");
        assert.deepEqual(unreachable, [], "every municipality was reached");
        for (const [kode] of KOMMUNER) assert.equal(issuedFor(kode), kode === "0147" ? 0 : 1, `STS calls for ${kode}`);
        const frederiksberg = s.log.filter((e) => e.kommunekode === "0147");
        assert.ok(frederiksberg.length > 0 && frederiksberg.every((e) => e.credential === "token"));
        const others = s.log.filter((e) => e.kommunekode && e.kommunekode !== "0147");
        assert.ok(others.every((e) => e.credential === "sts"));
    });

    it("up with tokens that expire mid-run: renewed, every stack done, nothing made twice", async function () {
        const only = ["0101", "0147", "0751", "0851"];
        await s.admin("PUT", "/admin/sts", { lifetimeSeconds: 2 });
        await s.admin("PUT", "/admin/faults", { latencyMs: 700, operations: ["soegAbonnement", "laesSortiment"] });
        const before = new Map(only.map((k) => [k, issuedFor(k)]));
        const res = await fleet(["up", "--only", only.join(","), "--concurrency", "2", "--repair"]);
        await s.admin("PUT", "/admin/faults", {});
        assert.equal(res.code, 0, res.output);
        for (const kode of only) {
            const open = s.server.service.all(kode).filter((a) => a.livscyklus !== "Passiv" && a.virkning.to === null);
            assert.equal(open.length, 1, `${kode}: exactly one in force`);
        }
        const renewed = only.filter((k) => k !== "0147").filter((k) => issuedFor(k) - before.get(k)! > 1);
        assert.ok(renewed.length > 0, "some token expired during its stack's up and was renewed");
        // A token is renewed shortly before it expires; one that still expires in flight (the injected
        // latency comes before the stand-in checks it) is refused once and the same operation, by its
        // x-TransaktionsId, succeeds with a renewed token.
        for (const refused of s.log.filter((e) => e.status === 401)) {
            const retried = s.log.filter((e) => e.transaktionsId === refused.transaktionsId && e.status === 200);
            assert.ok(retried.length > 0, `${refused.operation} ${refused.transaktionsId}: renewed and sent again`);
        }
    });

    it("no token in the output, the report, the page or the fleet's state", function () {
        const files = fs
            .readdirSync(dir, { recursive: true, withFileTypes: true })
            .filter((e) => e.isFile())
            .map((e) => fs.readFileSync(path.join(e.parentPath, e.name), "latin1"));
        assert.ok(issued.length >= 97);
        for (const token of issued) {
            const signature = token.split(".")[2];
            for (const text of files) assert.ok(!text.includes(signature), "no token in any file");
            for (const text of outputs) assert.ok(!text.includes(signature), "no token in the output");
        }
    });
});
