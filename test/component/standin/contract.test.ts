// Contract tests: the stand-in over real HTTP, every exchange validated against contract/openapi.yaml.
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BORGERBLIKKET_UUID, KMD_OPUS_DEBITOR_UUID, sha256Hex } from "@fk-iac/klassifikation-standin";
import { allOperationIds, exercised } from "../../helpers/contract";
import { call } from "../../helpers/http";
import { repoRoot } from "../../helpers/pulumi";
import { startTestStandin, TestStandin } from "../../helpers/standin";
import { today } from "../../helpers/days";

const OTHER_SYSTEM = "0a0a0a0a-1111-4222-8333-444455556666";

describe("stand-in API contract (real HTTP)", function () {
    let s: TestStandin;
    let tokenA: string;
    let tokenB: string;

    const opret = (token: string, body: Record<string, unknown>) =>
        call(s.url, "POST", "/api/v1/abonnementer", { token, body });
    const valid = (over: Record<string, unknown> = {}) => ({
        sortiment: BORGERBLIKKET_UUID,
        itSystemInstans: KMD_OPUS_DEBITOR_UUID,
        skemaversion: "1.3",
        virkning: { from: today(), to: null },
        ...over,
    });

    before(async function () {
        s = await startTestStandin({
            seed: { itSystemInstanser: [{ uuid: OTHER_SYSTEM, navn: "Other Debitor" }] },
        });
        tokenA = s.kommuner[0].token;
        tokenB = s.kommuner[1].token;
    });
    after(async () => s?.close());

    describe("reference data", function () {
        it("finds the Borgerblikket sortiment by brugervendtnoegle, with skemaversion 1.3", async function () {
            const res = await call(s.url, "GET", "/api/v1/sortimenter?brugervendtnoegle=Borgerblikket", {
                token: tokenA,
            });
            assert.equal(res.status, 200);
            assert.equal(res.body.items.length, 1);
            assert.equal(res.body.items[0].uuid, BORGERBLIKKET_UUID);
            assert.ok(res.body.items[0].skemaversioner.includes("1.3"));
            const none = await call(s.url, "GET", "/api/v1/sortimenter?brugervendtnoegle=Nope", { token: tokenA });
            assert.deepEqual(none.body.items, []);
        });

        it("reads a sortiment by uuid; unknown is 404, malformed 400 naming uuid", async function () {
            assert.equal(
                (await call(s.url, "GET", `/api/v1/sortimenter/${BORGERBLIKKET_UUID}`, { token: tokenA })).status,
                200,
            );
            const missing = await call(s.url, "GET", `/api/v1/sortimenter/${OTHER_SYSTEM}`, { token: tokenA });
            assert.equal(missing.status, 404);
            const bad = await call(s.url, "GET", "/api/v1/sortimenter/not-a-uuid", { token: tokenA });
            assert.equal(bad.status, 400);
            assert.equal(bad.body.errors[0].field, "uuid");
            assert.equal(bad.body.errors[0].value, "not-a-uuid");
        });

        it("reads the it-systeminstans KMD Opus Debitor", async function () {
            const res = await call(s.url, "GET", `/api/v1/it-systeminstanser/${KMD_OPUS_DEBITOR_UUID}`, {
                token: tokenA,
            });
            assert.equal(res.status, 200);
            assert.equal(res.body.navn, "KMD Opus Debitor");
            const missing = await call(s.url, "GET", `/api/v1/it-systeminstanser/${BORGERBLIKKET_UUID}`, {
                token: tokenA,
            });
            assert.equal(missing.status, 404);
        });
    });

    describe("authentication", function () {
        it("answers 401 without credentials and with an unknown token", async function () {
            for (const token of [undefined, "wrong-token"]) {
                const res = await call(s.url, "GET", "/api/v1/abonnementer", { token });
                assert.equal(res.status, 401);
                assert.equal(res.headers["content-type"], "application/problem+json");
                assert.doesNotMatch(JSON.stringify(res.body), /wrong-token/);
            }
        });

        it("Laes myndighed answers whom the credentials act for, and 401 without valid ones", async function () {
            const a = await call(s.url, "GET", "/api/v1/myndighed", { token: tokenA });
            assert.equal(a.status, 200);
            assert.deepEqual(a.body, { kommunekode: "0101", navn: "København" });
            const b = await call(s.url, "GET", "/api/v1/myndighed", { token: tokenB });
            assert.deepEqual(b.body, { kommunekode: "0751", navn: "Aarhus" });
            assert.equal((await call(s.url, "GET", "/api/v1/myndighed", { token: "wrong-token" })).status, 401);
        });
    });

    describe("the subscription lifecycle", function () {
        let uuid: string;
        let etag: string;

        it("Opret creates it: 201, ETag, Location, Opstaaet, delivery pending", async function () {
            const res = await opret(tokenA, valid({ note: "managed by test" }));
            assert.equal(res.status, 201, JSON.stringify(res.body));
            uuid = res.body.uuid;
            etag = res.headers.etag as string;
            assert.equal(etag, '"1"');
            assert.equal(res.headers.location, `/api/v1/abonnementer/${uuid}`);
            assert.equal(res.body.kommunekode, "0101");
            assert.equal(res.body.livscyklus, "Opstaaet");
            assert.deepEqual(res.body.virkning, { from: today(), to: null });
            assert.equal(res.body.levering.status, "Afventer");
            assert.equal(res.body.registrering.aktoer, "kommune:0101");
        });

        it("Opret of an overlapping one for the same key is 409 with the existing uuid", async function () {
            const res = await opret(tokenA, valid({ skemaversion: "1.2" }));
            assert.equal(res.status, 409);
            assert.equal(res.body.existing, uuid);
        });

        it("Laes returns it with its ETag; unknown uuid is 404", async function () {
            const res = await call(s.url, "GET", `/api/v1/abonnementer/${uuid}`, { token: tokenA });
            assert.equal(res.status, 200);
            assert.equal(res.headers.etag, etag);
            assert.equal(res.body.uuid, uuid);
            const missing = await call(s.url, "GET", `/api/v1/abonnementer/${OTHER_SYSTEM}`, { token: tokenA });
            assert.equal(missing.status, 404);
        });

        it("Soeg filters by key and aktiv, and pages", async function () {
            const other = await opret(tokenA, valid({ itSystemInstans: OTHER_SYSTEM }));
            assert.equal(other.status, 201);
            const byKey = await call(
                s.url,
                "GET",
                `/api/v1/abonnementer?sortiment=${BORGERBLIKKET_UUID}&itSystemInstans=${KMD_OPUS_DEBITOR_UUID}&aktiv=true`,
                { token: tokenA },
            );
            assert.equal(byKey.status, 200);
            assert.deepEqual(
                byKey.body.items.map((a: any) => a.uuid),
                [uuid],
            );
            const page1 = await call(s.url, "GET", "/api/v1/abonnementer?maksimalantalresultater=1", { token: tokenA });
            const page2 = await call(s.url, "GET", "/api/v1/abonnementer?maksimalantalresultater=1&foersteresultat=1", {
                token: tokenA,
            });
            assert.equal(page1.body.total, 2);
            assert.equal(page1.body.items.length, 1);
            assert.equal(page2.body.foersteresultat, 1);
            assert.notEqual(page1.body.items[0].uuid, page2.body.items[0].uuid);
            const bad = await call(s.url, "GET", "/api/v1/abonnementer?maksimalantalresultater=501&aktiv=maybe", {
                token: tokenA,
            });
            assert.equal(bad.status, 400);
            assert.deepEqual(bad.body.errors.map((e: any) => e.field).sort(), ["aktiv", "maksimalantalresultater"]);
        });

        it("Ret needs If-Match (428), refuses a stale one (412) and sets virkning.to", async function () {
            const body = { virkning: { to: "2099-12-31" } };
            const noMatch = await call(s.url, "PATCH", `/api/v1/abonnementer/${uuid}`, { token: tokenA, body });
            assert.equal(noMatch.status, 428);
            const stale = await call(s.url, "PATCH", `/api/v1/abonnementer/${uuid}`, {
                token: tokenA,
                body,
                headers: { "If-Match": '"7"' },
            });
            assert.equal(stale.status, 412);
            const ok = await call(s.url, "PATCH", `/api/v1/abonnementer/${uuid}`, {
                token: tokenA,
                body,
                headers: { "If-Match": etag },
            });
            assert.equal(ok.status, 200);
            assert.equal(ok.body.virkning.to, "2099-12-31");
            assert.equal(ok.body.livscyklus, "Rettet");
            assert.equal(ok.headers.etag, '"2"');
            etag = ok.headers.etag;
        });

        it("Ret refuses virkning.to before virkning.from (422 naming virkning.to)", async function () {
            const res = await call(s.url, "PATCH", `/api/v1/abonnementer/${uuid}`, {
                token: tokenA,
                body: { virkning: { to: "2000-01-01" } },
                headers: { "If-Match": etag },
            });
            assert.equal(res.status, 422);
            assert.equal(res.body.errors[0].field, "virkning.to");
            assert.equal(res.body.errors[0].value, "2000-01-01");
        });

        it("Passiver hides it from default searches; a Passiv one cannot be changed", async function () {
            const res = await call(s.url, "POST", `/api/v1/abonnementer/${uuid}/passiver`, { token: tokenA });
            assert.equal(res.status, 200);
            assert.equal(res.body.livscyklus, "Passiv");
            assert.equal(res.body.levering.status, "Stoppet");
            const def = await call(s.url, "GET", `/api/v1/abonnementer?itSystemInstans=${KMD_OPUS_DEBITOR_UUID}`, {
                token: tokenA,
            });
            assert.equal(def.body.total, 0);
            const passive = await call(s.url, "GET", "/api/v1/abonnementer?livscyklus=Passiv", { token: tokenA });
            assert.deepEqual(
                passive.body.items.map((a: any) => a.uuid),
                [uuid],
            );
            const change = await call(s.url, "PATCH", `/api/v1/abonnementer/${uuid}`, {
                token: tokenA,
                body: { virkning: { to: null } },
                headers: { "If-Match": res.headers.etag as string },
            });
            assert.equal(change.status, 409);
            // A passive subscription no longer blocks a new one for the same key.
            const again = await opret(tokenA, valid());
            assert.equal(again.status, 201);
        });

        it("Slet removes it: Laes then answers 404, and a second Slet 404", async function () {
            const created = await call(
                s.url,
                "GET",
                `/api/v1/abonnementer?itSystemInstans=${KMD_OPUS_DEBITOR_UUID}&aktiv=true`,
                { token: tokenA },
            );
            const target = created.body.items[0].uuid;
            assert.equal(
                (await call(s.url, "DELETE", `/api/v1/abonnementer/${target}`, { token: tokenA })).status,
                204,
            );
            assert.equal((await call(s.url, "GET", `/api/v1/abonnementer/${target}`, { token: tokenA })).status, 404);
            assert.equal(
                (await call(s.url, "DELETE", `/api/v1/abonnementer/${target}`, { token: tokenA })).status,
                404,
            );
            const inspected = await s.admin("GET", "/admin/abonnementer?kommunekode=0101");
            assert.equal(inspected.items.find((a: any) => a.uuid === target).livscyklus, "Slettet");
        });
    });

    describe("validation of Opret", function () {
        const cases: Array<[string, Record<string, unknown>, number, string]> = [
            ["unknown sortiment", { sortiment: OTHER_SYSTEM }, 422, "sortiment"],
            ["unknown it-systeminstans", { itSystemInstans: BORGERBLIKKET_UUID }, 422, "itSystemInstans"],
            ["unsupported skemaversion", { skemaversion: "9.9" }, 422, "skemaversion"],
            ["malformed skemaversion", { skemaversion: "1.3.0" }, 422, "skemaversion"],
            ["impossible date", { virkning: { from: "2026-02-30", to: null } }, 422, "virkning.from"],
            ["to before from", { virkning: { from: "2030-01-02", to: "2030-01-01" } }, 422, "virkning.to"],
            ["malformed uuid", { sortiment: "BORGERBLIKKET" }, 422, "sortiment"],
            ["wrong type", { skemaversion: 1.3 }, 422, "skemaversion"],
            ["unknown field", { gyldigTil: "2030-01-01" }, 422, "gyldigTil"],
            ["missing virkning", { virkning: undefined }, 422, "virkning"],
        ];
        for (const [name, over, status, field] of cases) {
            it(`${name}: ${status} naming ${field}`, async function () {
                const body = JSON.parse(JSON.stringify(valid({ itSystemInstans: OTHER_SYSTEM, ...over })));
                const res = await call(s.url, "POST", "/api/v1/abonnementer", { token: tokenB, body, unchecked: true });
                assert.equal(res.status, status, JSON.stringify(res.body));
                assert.ok(
                    res.body.errors.some((e: any) => e.field === field),
                    JSON.stringify(res.body.errors),
                );
            });
        }

        it("a body that is not JSON is 400; a wrong content type 415", async function () {
            const notJson = await call(s.url, "POST", "/api/v1/abonnementer", { token: tokenB, rawBody: "{nope" });
            assert.equal(notJson.status, 400);
            const wrongType = await call(s.url, "POST", "/api/v1/abonnementer", {
                token: tokenB,
                rawBody: "<x/>",
                headers: { "Content-Type": "application/xml" },
            });
            assert.equal(wrongType.status, 415);
        });
    });

    describe("isolation between municipalities", function () {
        it("one municipality can neither see nor change another's subscription", async function () {
            const mine = await opret(tokenB, valid());
            assert.equal(mine.status, 201);
            const id = mine.body.uuid;
            const tokenC = s.kommuner[2].token;
            assert.equal((await call(s.url, "GET", `/api/v1/abonnementer/${id}`, { token: tokenC })).status, 404);
            assert.equal(
                (
                    await call(s.url, "PATCH", `/api/v1/abonnementer/${id}`, {
                        token: tokenC,
                        body: { virkning: { to: "2030-01-01" } },
                        headers: { "If-Match": '"1"' },
                    })
                ).status,
                404,
            );
            assert.equal(
                (await call(s.url, "POST", `/api/v1/abonnementer/${id}/passiver`, { token: tokenC })).status,
                404,
            );
            assert.equal((await call(s.url, "DELETE", `/api/v1/abonnementer/${id}`, { token: tokenC })).status, 404);
            const search = await call(s.url, "GET", "/api/v1/abonnementer", { token: tokenC });
            assert.equal(search.body.total, 0);
            // The same key is free for another municipality.
            assert.equal((await opret(tokenC, valid())).status, 201);
            const still = await call(s.url, "GET", `/api/v1/abonnementer/${id}`, { token: tokenB });
            assert.equal(still.body.livscyklus, "Opstaaet");
        });
    });

    describe("concurrency", function () {
        it("of 20 simultaneous Opret for one key exactly one succeeds", async function () {
            const fresh = await startTestStandin({ kommuner: 1 });
            try {
                const results = await Promise.all(
                    Array.from({ length: 20 }, () =>
                        call(fresh.url, "POST", "/api/v1/abonnementer", {
                            token: fresh.kommuner[0].token,
                            body: valid(),
                        }),
                    ),
                );
                const statuses = results.map((r) => r.status).sort();
                assert.equal(statuses.filter((x) => x === 201).length, 1, statuses.join(","));
                assert.equal(statuses.filter((x) => x === 409).length, 19);
                const winner = results.find((r) => r.status === 201)!.body.uuid;
                assert.ok(results.filter((r) => r.status === 409).every((r) => r.body.existing === winner));
            } finally {
                await fresh.close();
            }
        });
    });

    // Mocha runs a block's own tests before its nested blocks, so the coverage check is a block of its own, last.
    describe("coverage", function () {
        it("exercised every operation of the contract", function () {
            const missing = allOperationIds().filter((id) => !exercised.has(id));
            assert.deepEqual(missing, []);
        });
    });
});

describe("stand-in behaviour", function () {
    const body = (today: string) => ({
        sortiment: BORGERBLIKKET_UUID,
        itSystemInstans: KMD_OPUS_DEBITOR_UUID,
        skemaversion: "1.3",
        virkning: { from: today, to: null },
    });

    it("keeps its data across a restart (SQLite on disk)", async function () {
        const first = await startTestStandin({ kommuner: 1 });
        const token = first.kommuner[0].token;
        const created = await call(first.url, "POST", "/api/v1/abonnementer", {
            token,
            body: body(today()),
        });
        assert.equal(created.status, 201);
        await first.close();
        const second = await startTestStandin({
            kommuner: 0,
            dbPath: first.dbPath,
            seed: {
                tenants: [
                    {
                        kommunekode: "0101",
                        navn: "København",
                        tokenSha256: [sha256Hex(token)],
                        certificateFingerprints: [],
                    },
                ],
            },
        });
        try {
            const read = await call(second.url, "GET", `/api/v1/abonnementer/${created.body.uuid}`, { token });
            assert.equal(read.status, 200);
            assert.deepEqual(read.body.virkning, created.body.virkning);
        } finally {
            await second.close();
        }
    });

    it("a subscription created and ended the same day does not block a new one", async function () {
        const s = await startTestStandin({ kommuner: 1 });
        try {
            const token = s.kommuner[0].token;
            const day = today();
            const first = await call(s.url, "POST", "/api/v1/abonnementer", { token, body: body(day) });
            const ended = await call(s.url, "PATCH", `/api/v1/abonnementer/${first.body.uuid}`, {
                token,
                body: { virkning: { to: day } },
                headers: { "If-Match": first.headers.etag as string },
            });
            assert.equal(ended.status, 200);
            const older = await call(s.url, "POST", "/api/v1/abonnementer", { token, body: body("2025-01-01") });
            assert.equal(older.status, 201, JSON.stringify(older.body));
        } finally {
            await s.close();
        }
    });

    it("delivers after the configured delay", async function () {
        const s = await startTestStandin({ kommuner: 1, deliveryDelaySeconds: 3600 });
        try {
            const token = s.kommuner[0].token;
            const created = await call(s.url, "POST", "/api/v1/abonnementer", {
                token,
                body: body(today()),
            });
            assert.equal(created.body.levering.status, "Afventer");
            await s.admin("PUT", "/admin/clock", { offsetSeconds: 3601 });
            const later = await call(s.url, "GET", `/api/v1/abonnementer/${created.body.uuid}`, { token });
            assert.equal(later.body.levering.status, "Leveret");
            assert.equal(later.body.levering.leveretTidspunkt, created.body.levering.forventetTidspunkt);
        } finally {
            await s.close();
        }
    });

    it("injects faults: 5xx, 429 with Retry-After, dropped connections, lost responses", async function () {
        const s = await startTestStandin({ kommuner: 1 });
        const token = s.kommuner[0].token;
        try {
            await s.admin("PUT", "/admin/faults", { errorRate: 1 });
            const err = await call(s.url, "GET", "/api/v1/abonnementer", { token });
            assert.ok([500, 503].includes(err.status));
            await s.admin("PUT", "/admin/faults", { rateLimitRate: 1, retryAfterSeconds: 7 });
            const limited = await call(s.url, "GET", "/api/v1/abonnementer", { token });
            assert.equal(limited.status, 429);
            assert.equal(limited.headers["retry-after"], "7");
            await s.admin("PUT", "/admin/faults", { dropRate: 1 });
            await assert.rejects(call(s.url, "GET", "/api/v1/abonnementer", { token }), /socket hang up|ECONNRESET/);
            await s.admin("PUT", "/admin/faults", { lostResponseRate: 1 });
            await assert.rejects(
                call(s.url, "POST", "/api/v1/abonnementer", { token, body: body(today()) }),
                /socket hang up|ECONNRESET/,
            );
            await s.admin("PUT", "/admin/faults", {});
            const after = await call(s.url, "GET", "/api/v1/abonnementer", { token });
            assert.equal(after.body.total, 1, "the write whose response was lost was carried out");
            const bad = await call(s.url, "PUT", "/admin/faults", { token: s.adminToken, body: { errorRate: 2 } });
            assert.equal(bad.status, 400);
        } finally {
            await s.close();
        }
    });

    it("logs each request with its operation and status, never a credential", async function () {
        const s = await startTestStandin({ kommuner: 1 });
        const token = s.kommuner[0].token;
        try {
            await call(s.url, "GET", "/api/v1/abonnementer", { token });
            await call(s.url, "GET", "/api/v1/abonnementer", { token: "bad-token-value" });
            const stats = (await s.admin("GET", "/admin/stats")).operations;
            assert.deepEqual(stats.soegAbonnement, { total: 2, byStatus: { "200": 1, "401": 1 } });
            assert.equal(s.log.filter((e) => e.operation === "soegAbonnement").length, 2);
            assert.equal(s.log[0].kommunekode, "0101");
            const text = JSON.stringify(s.log);
            assert.ok(!text.includes(token) && !text.includes("bad-token-value") && !text.includes(s.adminToken));
        } finally {
            await s.close();
        }
    });

    it("admin routes are invisible without the admin token", async function () {
        const s = await startTestStandin({ kommuner: 1 });
        try {
            const res = await call(s.url, "GET", "/admin/abonnementer", { token: s.kommuner[0].token });
            assert.equal(res.status, 404);
        } finally {
            await s.close();
        }
    });

    it("starts from its command line on a free port and reports the URL", async function () {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fk-standin-cli-"));
        const child = spawn(
            process.execPath,
            [path.join(repoRoot, "standin", "dist", "cli.js"), "--port", "0", "--db", path.join(dir, "db.sqlite")],
            { stdio: ["ignore", "pipe", "pipe"] },
        );
        try {
            const line = await new Promise<string>((resolve, reject) => {
                child.stdout.once("data", (d) => resolve(String(d)));
                child.once("exit", (code) => reject(new Error(`fk-standin exited ${code}`)));
            });
            const { url } = JSON.parse(line);
            const health = await call(url, "GET", "/healthz");
            assert.equal(health.status, 200);
            assert.ok(fs.existsSync(path.join(dir, "db.sqlite")));
        } finally {
            child.kill("SIGTERM");
        }
    });
});
