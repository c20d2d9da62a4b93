// Tokens from the STS, through the real stand-in over HTTPS with mutual TLS: the provider's client
// asks for a token per municipality, checks it before use, sends KOMBIT's request headers, renews a
// refused token once, and names the STS (not the API) in every error of the exchange.
import * as assert from "node:assert/strict";
import { STANDIN_ENTITY_ID } from "@fk-iac/klassifikation-standin";
import { kommuneCvr } from "@fk-iac/klassifikation/rules";
import { HttpClassificationApi } from "../../provider/src/client";
import type { ConnectionSettings } from "../../provider/src/connection";
import { forgetTokens, stsCalls } from "../../provider/src/sts";
import { CertPair, makeTestPki, TestPki } from "../helpers/certs";
import { startTestStandin, TestStandin } from "../helpers/standin";

describe("STS tokens (stand-in over HTTPS)", function () {
    this.timeout(60_000);
    let pki: TestPki;
    let s: TestStandin;
    let vendor: CertPair;
    let stranger: CertPair;

    const settings = (cert: CertPair, extra: Partial<ConnectionSettings> = {}): ConnectionSettings => ({
        endpoint: s.url,
        clientCertificate: cert.cert.toString(),
        clientKey: cert.key.toString(),
        caBundle: pki.ca.toString(),
        sts: { endpoint: s.url, entityId: STANDIN_ENTITY_ID },
        timeoutMs: 2000,
        deadlineMs: 4000,
        maxRetries: 2,
        retryBaseDelayMs: 10,
        retryMaxDelayMs: 50,
        ...extra,
    });
    const api = (kommunekode: string, cert = vendor, extra: Partial<ConnectionSettings> = {}) =>
        new HttpClassificationApi(settings(cert, extra), { kommunekode });
    const apiCalls = () => s.log.filter((e) => e.path.startsWith("/api/"));

    before(() => {
        pki = makeTestPki();
        vendor = pki.client("vendor");
        stranger = pki.client("stranger");
    });
    beforeEach(async () => {
        forgetTokens();
        s = await startTestStandin({
            tls: { cert: pki.server.cert, key: pki.server.key, clientCa: pki.ca },
            seed: {
                serviceAgreements: [
                    { certificateFingerprint: vendor.fingerprint256, cvr: [kommuneCvr("0101")!, kommuneCvr("0751")!] },
                ],
            },
        });
    });
    afterEach(() => s.close());
    after(() => pki.dispose());

    it("asks once per municipality, acts for the token's CVR, and sends x-TransaktionsId per operation", async () => {
        const before = stsCalls.count;
        const aarhus = api("0751");
        await aarhus.searchAbonnementer({});
        await aarhus.searchSortimenter("Borgerblikket");
        await api("0751").getMyndighed();
        await api("0101").searchAbonnementer({});
        assert.equal(stsCalls.count - before, 2, "one token for Aarhus, one for København");
        assert.deepEqual(Object.fromEntries(s.server.sts.issued), {
            [kommuneCvr("0751")!]: 1,
            [kommuneCvr("0101")!]: 1,
        });
        const calls = apiCalls();
        assert.deepEqual(
            calls.map((e) => [e.kommunekode, e.credential]),
            [
                ["0751", "sts"],
                ["0751", "sts"],
                ["0101", "sts"],
            ],
        );
        const ids = calls.map((e) => e.transaktionsId);
        assert.ok(
            ids.every((id) => /^[0-9a-f-]{36}$/.test(id ?? "")),
            "every call names its transaction",
        );
        assert.equal(new Set(ids).size, ids.length, "one transaction id per operation");
    });

    it("keeps one x-TransaktionsId across the retries of one operation", async () => {
        await s.admin("PUT", "/admin/faults", { errorRate: 1, operations: ["soegSortiment"] });
        await assert.rejects(api("0751").searchSortimenter(), (err: Error) => {
            const id = /x-TransaktionsId ([0-9a-f-]{36})/.exec(err.message)?.[1];
            assert.ok(id, `the error names the transaction: ${err.message}`);
            const tries = s.log.filter((e) => e.operation === "soegSortiment");
            assert.equal(tries.length, 3);
            assert.ok(tries.every((e) => e.transaktionsId === id));
            return true;
        });
    });

    it("renews a token the service refuses (a key rollover), once, and goes on", async () => {
        const aarhus = api("0751");
        await aarhus.searchAbonnementer({});
        await s.admin("POST", "/admin/sts/rotate-key");
        await aarhus.searchAbonnementer({});
        assert.deepEqual(
            apiCalls().map((e) => e.status),
            [200, 401, 200],
        );
        assert.equal(s.server.sts.issued.get(kommuneCvr("0751")!), 2);
    });

    it("renews a token shortly before it expires, never sending an expired one", async () => {
        // Tokens carry whole seconds: one of 2 s lasts 1 to 2 s.
        await s.admin("PUT", "/admin/sts", { lifetimeSeconds: 2 });
        const aarhus = api("0751");
        await aarhus.searchAbonnementer({});
        await new Promise((r) => setTimeout(r, 2100));
        await aarhus.searchAbonnementer({});
        assert.deepEqual(
            apiCalls().map((e) => e.status),
            [200, 200],
        );
        assert.equal(s.server.sts.issued.get(kommuneCvr("0751")!), 2);
    });

    it("names the municipality, its CVR and what to ask for when the certificate has no service agreement", async () => {
        await assert.rejects(api("0851").searchAbonnementer({}), (err: Error) => {
            assert.match(err.message, /FK_NO_SERVICE_AGREEMENT/);
            assert.match(err.message, /Aalborg \(0851\), CVR 29189420/);
            assert.match(err.message, /Fælleskommunalt Administrationsmodul/);
            return true;
        });
        await s.admin("DELETE", `/admin/serviceaftaler/${vendor.fingerprint256}/${kommuneCvr("0751")}`);
        await assert.rejects(
            api("0751").searchAbonnementer({}),
            /Aarhus \(0751\), CVR 55133018.*FK_NO_SERVICE_AGREEMENT/s,
        );
        await assert.rejects(api("0101", stranger).searchAbonnementer({}), /FK_NO_SERVICE_AGREEMENT/);
        assert.equal(apiCalls().length, 0, "nothing reached the API");
    });

    for (const [answer, problem] of [
        ["notJson", /body: .*expected object/i],
        ["noToken", /access_token/],
        ["notJwt", /access_token is not a JWT/],
        ["noExpiresIn", /expires_in/],
    ] as const) {
        it(`FK_MALFORMED_RESPONSE naming the STS for an answer ${answer}`, async () => {
            await s.admin("PUT", "/admin/sts", { answer });
            await assert.rejects(api("0751").searchAbonnementer({}), (err: Error) => {
                assert.match(err.message, /FK_MALFORMED_RESPONSE/);
                assert.match(err.message, /token service \(STS\)/);
                assert.match(err.message, problem);
                assert.match(err.message, /fk:stsEndpoint/);
                return true;
            });
            assert.equal(apiCalls().length, 0);
        });
    }

    for (const [answer, what] of [
        ["otherCvr", /for CVR 00000000, but this stack acts for Aarhus \(0751, CVR 55133018\)/],
        ["otherEntityId", /for the service .*\/other, not fk:entityId/],
        ["otherCertificate", /bound to another certificate/],
    ] as const) {
        it(`never sends a token that does not fit the request (${answer})`, async () => {
            await s.admin("PUT", "/admin/sts", { answer });
            await assert.rejects(api("0751").searchAbonnementer({}), (err: Error) => {
                assert.match(err.message, /FK_TOKEN_MISMATCH/);
                assert.match(err.message, what);
                return true;
            });
            assert.equal(apiCalls().length, 0, "the token was never sent");
        });
    }

    it("retries an STS that answers 5xx and names the STS when it gives up", async () => {
        await s.admin("PUT", "/admin/faults", { errorRate: 1, operations: ["issueToken"] });
        await assert.rejects(api("0751").searchAbonnementer({}), (err: Error) => {
            assert.match(err.message, /FK_UNAVAILABLE/);
            assert.match(
                err.message,
                /^FK Adgangsstyring's token service \(STS\) did not answer Hent token \(STS\) after 3/,
            );
            return true;
        });
        assert.equal(s.log.filter((e) => e.operation === "issueToken").length, 3);
        assert.equal(apiCalls().length, 0);
    });

    it("gives up on a hanging STS within fk:deadlineMs, naming the STS", async () => {
        await s.admin("PUT", "/admin/faults", { latencyMs: 3000, operations: ["issueToken"] });
        await assert.rejects(
            api("0751", vendor, { timeoutMs: 500, deadlineMs: 1200 }).searchAbonnementer({}),
            /token service \(STS\) at https:\/\/127\.0\.0\.1:\d+ did not finish Hent token.*fk:stsEndpoint.*FK_TIMEOUT/s,
        );
    });

    it("a key that does not open is named by its setting, before anything is sent", () => {
        const locked = pki.client("locked", { passphrase: "-right passphrase" });
        assert.throws(
            () => api("0751", locked, { clientKeyPassphrase: "-wrong passphrase" }),
            (err: Error) =>
                /connection setting fk:clientKeyPassphrase does not open the system certificate's key/.test(
                    err.message,
                ) && !err.message.includes("wrong passphrase"),
        );
        assert.equal(s.log.length, 0);
    });

    it("the stand-in refuses a token on another certificate's connection, or for another service", async () => {
        const token = await s.admin("PUT", "/admin/sts", {}); // settings only: make sure the route is there
        assert.ok(token.settings);
        const { default: axios } = await import("axios");
        const https = await import("node:https");
        const agent = (c: CertPair) => new https.Agent({ ca: pki.ca, cert: c.cert, key: c.key });
        const form = (entity: string) =>
            new URLSearchParams({
                grant_type: "client_credentials",
                client_id: entity,
                scope: `entityid:${entity},anvenderkontekst:${kommuneCvr("0751")}`,
            }).toString();
        const issued = await axios.post(`${s.url}/runtime/api/rest/oauth/v1/issue`, form(STANDIN_ENTITY_ID), {
            httpsAgent: agent(vendor),
        });
        const jwt = issued.data.access_token as string;
        const get = (c: CertPair) =>
            axios.get(`${s.url}/api/v1/abonnementer`, {
                httpsAgent: agent(c),
                headers: { Authorization: `Bearer ${jwt}` },
                validateStatus: () => true,
            });
        assert.equal((await get(vendor)).status, 200);
        const stolen = await get(stranger);
        assert.equal(stolen.status, 401);
        assert.match(stolen.data.detail, /bound to another certificate/);
        const other = await axios.post(`${s.url}/runtime/api/rest/oauth/v1/issue`, form("urn:other:service"), {
            httpsAgent: agent(vendor),
            validateStatus: () => true,
        });
        assert.equal(other.status, 400);
        assert.equal(other.data.error, "invalid_scope");
    });
});
