// Security: secrets never appear in plain text in state, CLI output or logs; one municipality's
// credentials cannot read or change another's subscription through the provider; TLS fails closed.
import * as assert from "node:assert/strict";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { sha256Hex } from "@fk-iac/klassifikation-standin";
import { HttpClassificationApi } from "../../provider/src/client";
import { ConnectionSettings } from "../../provider/src/connection";
import { FkError } from "../../provider/src/errors";
import { SortimentSubscriptionProvider } from "../../provider/src/provider";
import { makeTestPki, TestPki } from "../helpers/certs";
import { PulumiWorkspace, repoRoot } from "../helpers/pulumi";
import { startTestStandin, TestStandin } from "../helpers/standin";

const fixture = path.join(repoRoot, "test", "fixtures", "subscription");

function allFiles(dir: string): string[] {
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        return e.isDirectory() ? allFiles(p) : e.isFile() ? [p] : [];
    });
}

describe("security", function () {
    let pki: TestPki;
    let s: TestStandin;
    const token = `tok-${crypto.randomBytes(16).toString("hex")}`;
    const passphrase = `pass-${crypto.randomBytes(16).toString("hex")}`;
    let client: ReturnType<TestPki["client"]>;

    before(async function () {
        pki = makeTestPki();
        client = pki.client("kommune-0101", { passphrase });
        s = await startTestStandin({
            kommuner: 2,
            seed: {
                tenants: [
                    {
                        kommunekode: "0147",
                        navn: "Frederiksberg",
                        tokenSha256: [sha256Hex(token)],
                        certificateFingerprints: [client.fingerprint256],
                    },
                ],
            },
            tls: { cert: pki.server.cert, key: pki.server.key, clientCa: pki.ca, requireClientCertificate: false },
        });
    });
    after(async function () {
        await s?.close();
        pki?.dispose();
    });

    describe("secrets stay secret", function () {
        let ws: PulumiWorkspace;
        let output = "";
        after(() => ws?.dispose());

        it("token, key passphrase and private key never reach state, CLI output or logs in plain text", async function () {
            ws = await PulumiWorkspace.create({
                programDir: fixture,
                env: { FK_KLASSIFIKATION_DEBUG: "1" },
                kommunekode: "0147",
            });
            await ws.setConfig("fk:endpoint", s.url);
            await ws.setConfig("fk:caBundleFile", pki.caFile);
            await ws.setConfig("fk:clientCertificateFile", client.certFile);
            await ws.setConfig("fk:clientKeyFile", client.keyFile);
            await ws.setConfig("fk:clientKeyPassphrase", passphrase, true);
            await ws.setConfig("fk:token", token, true);
            for (const args of [["up"], ["preview"], ["refresh"], ["up", "--logtostderr", "-v=9"], ["destroy"]]) {
                const res =
                    args[0] === "up"
                        ? await ws.up(args.slice(1))
                        : args[0] === "preview"
                          ? await ws.preview()
                          : args[0] === "refresh"
                            ? await ws.refresh()
                            : await ws.destroy();
                assert.equal(res.code, 0, res.output.slice(-3000));
                output += res.output;
            }
            assert.match(
                output,
                /\[fk-klassifikation\] Opret abonnement: POST \/abonnementer -> 201/,
                "debug logging was on",
            );
            // The token is configured too: only the certificate may have identified the calls.
            const calls = s.log.filter((e) => e.kommunekode === "0147");
            assert.ok(calls.length > 0, "calls acted for the municipality");
            assert.deepEqual(
                [...new Set(calls.map((e) => e.credential))],
                ["certificate"],
                "the client certificate identified the municipality",
            );
            const keyBody = fs.readFileSync(client.keyFile, "utf8").split("\n").slice(1, 3).join("");
            const needles = [token, passphrase, keyBody];
            for (const needle of needles) assert.ok(!output.includes(needle), "a secret appeared in the CLI output");
            assert.ok(!JSON.stringify(s.log).includes(token), "a secret appeared in the stand-in's request log");
            const files = allFiles(ws.root);
            assert.ok(
                files.some((f) => f.endsWith(".json") && f.includes(`${path.sep}stacks${path.sep}`)),
                "the state file was scanned",
            );
            for (const file of files) {
                const text = fs.readFileSync(file, "latin1");
                for (const needle of needles)
                    assert.ok(
                        !text.includes(needle),
                        `a secret appeared in plain text in ${path.relative(ws.root, file)}`,
                    );
            }
        });
    });

    describe("isolation through the provider", function () {
        it("another municipality's stack neither sees nor takes over a subscription", async function () {
            const a = await PulumiWorkspace.create({ programDir: fixture, kommunekode: s.kommuner[0].kommunekode });
            const b = await PulumiWorkspace.create({ programDir: fixture, kommunekode: s.kommuner[1].kommunekode });
            try {
                for (const [ws, k] of [
                    [a, 0],
                    [b, 1],
                ] as const) {
                    await ws.setConfig("fk:endpoint", s.url);
                    await ws.setConfig("fk:caBundleFile", pki.caFile);
                    await ws.setConfig("fk:token", s.kommuner[k].token, true);
                }
                assert.equal((await a.up()).code, 0);
                const mine = (await s.admin("GET", "/admin/abonnementer?kommunekode=0101")).items[0];
                // B declares the very same subscription: its look-up, acting for B, does not find A's.
                const upB = await b.up();
                assert.equal(upB.code, 0, upB.output);
                const outB = await b.outputs();
                assert.notEqual(outB.abonnementUuid, mine.uuid);
                assert.equal(outB.kommunekode, "0751");
                assert.equal(outB.adopted, false);
                assert.equal((await b.destroy()).code, 0);
                const after = (await s.admin("GET", "/admin/abonnementer?kommunekode=0101")).items[0];
                assert.deepEqual(
                    [after.uuid, after.version, after.virkning.to, after.livscyklus],
                    [mine.uuid, mine.version, null, mine.livscyklus],
                    "A's subscription is untouched",
                );
                assert.equal((await a.destroy()).code, 0);
            } finally {
                a.dispose();
                b.dispose();
            }
        });

        it("given another municipality's subscription, the API hides it and the provider refuses to read or change it", async function () {
            const owner = new SortimentSubscriptionProvider(
                new HttpClassificationApi(settings(s.url, s.kommuner[0].token, pki.ca.toString())),
            );
            const checked = await owner.check(
                {},
                {
                    sortiment: "Borgerblikket",
                    itSystemInstans: "362ebac2-761b-4a44-abc6-679f2d5615ce",
                    skemaversion: "1.3",
                    kommunekode: "0101",
                    managedBy: "p/s/a",
                },
            );
            const created = await owner.create(checked.inputs);
            const otherApi = new HttpClassificationApi(settings(s.url, s.kommuner[1].token, pki.ca.toString()));
            assert.equal(
                await otherApi.getAbonnement(created.id),
                undefined,
                "the API answers 404 to another municipality",
            );
            const other = new SortimentSubscriptionProvider(otherApi);
            const refused =
                /belongs to København \(0101\), but the credentials .* act for Aarhus \(0751\)\. Nothing was sent.*FK_WRONG_MUNICIPALITY/;
            await assert.rejects(
                other.read(created.id, created.outs),
                refused,
                "refresh must not drop it from state as gone",
            );
            await assert.rejects(
                other.update(created.id, created.outs, { ...created.outs, validTo: "2030-01-01" }),
                refused,
            );
            await assert.rejects(other.delete(created.id, { ...created.outs, onDestroy: "delete" }), refused);
            await assert.rejects(other.delete(created.id, { ...created.outs, onDestroy: "passivate" }), refused);
            await assert.rejects(other.delete(created.id, created.outs), refused);
            const after = (await s.admin("GET", "/admin/abonnementer?kommunekode=0101")).items.find(
                (x: any) => x.uuid === created.id,
            );
            assert.deepEqual([after.livscyklus, after.virkning.to, after.version], ["Opstaaet", null, 1]);
        });
    });

    describe("TLS fails closed", function () {
        let strict: TestStandin;
        before(async function () {
            strict = await startTestStandin({
                kommuner: 0,
                seed: {
                    tenants: [
                        {
                            kommunekode: "0147",
                            navn: "Frederiksberg",
                            tokenSha256: [sha256Hex(token)],
                            certificateFingerprints: [client.fingerprint256],
                        },
                    ],
                },
                tls: { cert: pki.server.cert, key: pki.server.key, clientCa: pki.ca, requireClientCertificate: true },
            });
        });
        after(async () => strict?.close());

        const expectTls = async (p: Promise<unknown>) => {
            await assert.rejects(p, (e: FkError) => {
                assert.equal(e.code, "FK_TLS", e.message);
                assert.doesNotMatch(e.message, new RegExp(passphrase));
                return true;
            });
        };

        it("a server certificate the configured CA did not sign", async function () {
            const rogueCa = fs.readFileSync(path.join(pki.dir, "rogue-ca.crt"), "utf8");
            await expectTls(
                new HttpClassificationApi(settings(strict.url, token, rogueCa, client, passphrase)).searchAbonnementer(
                    {},
                ),
            );
        });

        it("an expired client certificate is refused before connecting", async function () {
            const expired = pki.client("expired-0147", { expired: true });
            await expectTls(
                (async () =>
                    new HttpClassificationApi(
                        settings(strict.url, token, pki.ca.toString(), expired),
                    ).searchAbonnementer({}))(),
            );
        });

        it("an untrusted client certificate: the server refuses it, and nothing reaches the API", async function () {
            const rogue = pki.client("rogue-0147", { untrusted: true });
            strict.server.resetStats();
            await assert.rejects(
                new HttpClassificationApi(settings(strict.url, token, pki.ca.toString(), rogue)).searchAbonnementer({}),
                (e: FkError) => ["FK_TLS", "FK_UNAVAILABLE"].includes(e.code) && /client certificate/.test(e.message),
            );
            assert.deepEqual(strict.server.stats(), {});
        });

        it("a wrong key passphrase", async function () {
            const api = () =>
                new HttpClassificationApi(settings(strict.url, token, pki.ca.toString(), client, "wrong"));
            strict.server.resetStats();
            // The README promises FK_TLS, naming the passphrase setting; nothing reaches the API.
            await expectTls(api().searchAbonnementer({}));
            await assert.rejects(api().searchAbonnementer({}), /fk:clientKeyPassphrase/);
            assert.deepEqual(strict.server.stats(), {});
        });

        it("the trusted, valid certificate works", async function () {
            const res = await new HttpClassificationApi(
                settings(strict.url, token, pki.ca.toString(), client, passphrase),
            ).searchAbonnementer({});
            assert.deepEqual(res, []);
        });

        it("plain HTTP to a non-loopback host is refused before connecting", async function () {
            const ws = await PulumiWorkspace.create({ programDir: fixture, kommunekode: "0147" });
            try {
                await ws.setConfig("fk:endpoint", "http://klassifikation.example.dk");
                await ws.setConfig("fk:token", token, true);
                const res = await ws.up();
                assert.notEqual(res.code, 0);
                assert.match(res.output, /endpoint is "http:\/\/klassifikation\.example\.dk": uses plain HTTP/);
                assert.ok(!res.output.includes(token));
            } finally {
                ws.dispose();
            }
        });

        it("through the engine: a wrong CA stops up with a clear error and creates nothing", async function () {
            const ws = await PulumiWorkspace.create({ programDir: fixture, kommunekode: "0147" });
            try {
                strict.server.resetStats();
                await ws.setConfig("fk:endpoint", strict.url);
                await ws.setConfig("fk:caBundleFile", path.join(pki.dir, "rogue-ca.crt"));
                await ws.setConfig("fk:clientCertificateFile", client.certFile);
                await ws.setConfig("fk:clientKeyFile", client.keyFile);
                await ws.setConfig("fk:clientKeyPassphrase", passphrase, true);
                const res = await ws.up();
                assert.notEqual(res.code, 0);
                assert.match(res.output, /TLS with https:\/\/127\.0\.0\.1:\d+ failed/);
                assert.match(res.output, /\[FK_TLS\]/);
                assert.deepEqual(strict.server.stats(), {}, "no request reached the API");
            } finally {
                ws.dispose();
            }
        });
    });
});

function settings(
    url: string,
    token: string,
    ca: string,
    cert?: { cert: Buffer; key: Buffer },
    keyPassphrase?: string,
): ConnectionSettings {
    return {
        endpoint: url,
        token,
        caBundle: ca,
        timeoutMs: 5000,
        deadlineMs: 30_000,
        maxRetries: 1,
        retryBaseDelayMs: 1,
        retryMaxDelayMs: 5,
        ...(cert ? { clientCertificate: cert.cert.toString(), clientKey: cert.key.toString() } : {}),
        ...(keyPassphrase ? { clientKeyPassphrase: keyPassphrase } : {}),
    };
}
