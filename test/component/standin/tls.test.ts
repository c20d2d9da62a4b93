// The stand-in over TLS: client certificates identify municipalities, and untrusted ones fail closed.
import * as assert from "node:assert/strict";
import { makeTestPki, TestPki } from "../../helpers/certs";
import { call } from "../../helpers/http";
import { randomToken, startTestStandin, TestStandin } from "../../helpers/standin";
import { sha256Hex } from "@fk-iac/klassifikation-standin";

describe("stand-in over TLS with client certificates", function () {
    let pki: TestPki;
    let s: TestStandin;
    let relaxed: TestStandin;
    let client: ReturnType<TestPki["client"]>;
    let rogue: ReturnType<TestPki["client"]>;
    const token = randomToken();

    before(async function () {
        pki = makeTestPki();
        client = pki.client("kommune-0461");
        rogue = pki.client("rogue-0461", { untrusted: true });
        const tenants = [
            {
                kommunekode: "0461",
                navn: "Odense",
                tokenSha256: [sha256Hex(token)],
                certificateFingerprints: [client.fingerprint256, rogue.fingerprint256],
            },
        ];
        s = await startTestStandin({
            kommuner: 0,
            seed: { tenants },
            tls: { cert: pki.server.cert, key: pki.server.key, clientCa: pki.ca, requireClientCertificate: true },
        });
        relaxed = await startTestStandin({
            kommuner: 0,
            seed: { tenants },
            tls: { cert: pki.server.cert, key: pki.server.key, clientCa: pki.ca, requireClientCertificate: false },
        });
    });
    after(async () => {
        await s?.close();
        await relaxed?.close();
        pki?.dispose();
    });

    it("a registered client certificate acts for its municipality", async function () {
        const res = await call(s.url, "GET", "/api/v1/abonnementer", {
            tls: { ca: pki.ca, cert: client.cert, key: client.key },
        });
        assert.equal(res.status, 200);
        assert.equal(s.log.at(-1)?.kommunekode, "0461");
    });

    it("without a client certificate the handshake is refused when one is required", async function () {
        await assert.rejects(call(s.url, "GET", "/api/v1/abonnementer", { token, tls: { ca: pki.ca } }));
    });

    it("a certificate from another CA is refused, even if its fingerprint is registered", async function () {
        await assert.rejects(
            call(s.url, "GET", "/api/v1/abonnementer", { tls: { ca: pki.ca, cert: rogue.cert, key: rogue.key } }),
        );
        const res = await call(relaxed.url, "GET", "/api/v1/abonnementer", {
            tls: { ca: pki.ca, cert: rogue.cert, key: rogue.key },
        });
        assert.equal(res.status, 401, "an untrusted certificate never identifies a municipality");
    });

    it("the client refuses a server its CA did not sign", async function () {
        await assert.rejects(
            call(s.url, "GET", "/healthz", { tls: { ca: rogue.cert } }),
            /self-signed|unable to verify|certificate/i,
        );
    });

    it("when client certificates are optional, a bearer token still works over TLS", async function () {
        const res = await call(relaxed.url, "GET", "/api/v1/abonnementer", { token, tls: { ca: pki.ca } });
        assert.equal(res.status, 200);
    });
});
