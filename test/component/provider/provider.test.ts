// The provider's implementation over real HTTP against the stand-in (no engine: fast, and able to
// reach every branch). The engine-level behaviour is covered in test/e2e.
import * as assert from "node:assert/strict";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import { BORGERBLIKKET_UUID } from "@fk-iac/klassifikation-standin";
import { KMD_OPUS_DEBITOR } from "../../../provider/src/domain";
import { FkError } from "../../../provider/src/errors";
import { HttpClassificationApi } from "../../../provider/src/client";
import { ConnectionSettings, readConnectionSettings, settingSource } from "../../../provider/src/connection";
import { CheckedInputs, checkInputs } from "../../../provider/src/inputs";
import { SortimentSubscriptionProvider, SubscriptionOutputs } from "../../../provider/src/provider";
import { startTestStandin, TestStandin } from "../../helpers/standin";
import { today } from "../../helpers/days";

const OTHER = "0a0a0a0a-1111-4222-8333-444455556666";

function settings(url: string, token: string, over: Partial<ConnectionSettings> = {}): ConnectionSettings {
    return {
        endpoint: url,
        token,
        timeoutMs: 5000,
        deadlineMs: 30_000,
        maxRetries: 5,
        retryBaseDelayMs: 1,
        retryMaxDelayMs: 20,
        ...over,
    };
}

function providerFor(
    s: TestStandin,
    kommune = 0,
    over: Partial<ConnectionSettings> = {},
    tell?: (line: string) => void,
) {
    return new SortimentSubscriptionProvider(
        new HttpClassificationApi(settings(s.url, s.kommuner[kommune].token, over)),
        tell,
    );
}

/**
 * The inputs as check validates them, without its look-up of what exists: so these tests reach create
 * (and its own look-up, which must refuse the same things when check did not run, e.g. after a kill).
 * The look-up of check is tested on its own below.
 */
async function checked(p: SortimentSubscriptionProvider, news: Record<string, unknown>, olds: object = {}) {
    void p;
    const res = checkInputs(olds as Record<string, unknown>, { managedBy: "proj/dev/sub", ...news });
    assert.deepEqual(res.failures, []);
    return Promise.resolve(res.inputs as unknown as CheckedInputs);
}

const gb10 = {
    sortiment: "Borgerblikket",
    itSystemInstans: KMD_OPUS_DEBITOR,
    skemaversion: "1.3",
    kommunekode: "0101",
};

async function expectFk(promise: Promise<unknown>, code: string, pattern?: RegExp): Promise<FkError> {
    try {
        await promise;
    } catch (err) {
        assert.ok(err instanceof FkError, `expected FkError ${code}, got ${String(err)}`);
        assert.equal(err.code, code, err.message);
        if (pattern) assert.match(err.message, pattern);
        return err;
    }
    assert.fail(`expected ${code}, but it succeeded`);
}

describe("SortimentSubscriptionProvider over HTTP", function () {
    let s: TestStandin;
    const live = async (kommunekode = "0101") =>
        ((await s.admin("GET", `/admin/abonnementer?kommunekode=${kommunekode}`)).items as any[]).filter(
            (a) => a.livscyklus !== "Slettet",
        );

    beforeEach(async function () {
        s = await startTestStandin({ seed: { itSystemInstanser: [{ uuid: OTHER, navn: "Other Debitor" }] } });
    });
    afterEach(async () => s.close());

    describe("check of a subscription not yet in state looks up what exists (read calls only)", function () {
        const handMade = (over: Record<string, unknown> = {}) =>
            s.admin("POST", "/admin/abonnementer", {
                kommunekode: "0101",
                sortiment: BORGERBLIKKET_UUID,
                itSystemInstans: KMD_OPUS_DEBITOR,
                skemaversion: "1.3",
                virkning: { from: "2024-01-01", to: null },
                ...over,
            });
        const writes = () =>
            ["opretAbonnement", "retAbonnement", "passiverAbonnement", "sletAbonnement"].reduce(
                (n, op) => n + (s.server.stats()[op]?.total ?? 0),
                0,
            );

        it("plans create when nothing is there", async function () {
            const res = await providerFor(s).check({}, { ...gb10, managedBy: "p/s/n" });
            assert.deepEqual(res.failures, []);
            // A plain create is what the engine's `+ create` says already: no plan recorded.
            assert.equal(res.inputs.plan, undefined);
            assert.equal(res.inputs.existing, undefined);
            assert.ok(s.server.stats().soegAbonnement, "it looked");
        });

        it("plans adopt for a correct one made by hand, whatever its Gyldig fra, naming who made it", async function () {
            const made = await handMade();
            const res = await providerFor(s).check({}, { ...gb10, managedBy: "p/s/n" });
            assert.equal(res.inputs.plan, "adopt");
            const [existing] = res.inputs.existing as Array<Record<string, unknown>>;
            assert.deepEqual(
                [existing.uuid, existing.validFrom, existing.oprettetAf],
                [made.uuid, "2024-01-01", "admin"],
            );
            assert.equal(writes(), 0);
        });

        it("refuses one with other values (FK_CONFLICT), and plans repair only when asked", async function () {
            const made = await handMade({ skemaversion: "1.2" });
            await expectFk(
                providerFor(s).check({}, { ...gb10, managedBy: "p/s/n" }),
                "FK_CONFLICT",
                new RegExp(
                    `${made.uuid} .*skemaversion 1\\.2.*made by admin on .*asks for skemaversion 1\\.3.*repairExisting`,
                ),
            );
            const res = await providerFor(s).check({}, { ...gb10, managedBy: "p/s/n", repairExisting: true });
            assert.equal(res.inputs.plan, "repair");
            assert.equal((res.inputs.existing as Array<{ uuid: string }>)[0].uuid, made.uuid);
            assert.equal(writes(), 0, "check never writes");
        });

        it("does not look up for a subscription in state, nor without connection settings", async function () {
            const p = providerFor(s);
            const first = await p.check({}, { ...gb10, managedBy: "p/s/n" });
            s.server.resetStats();
            const again = await p.check({ ...first.inputs, plan: "adopt" }, { ...gb10, managedBy: "p/s/n" });
            // What check planned at creation stays as it was: the preview's diff shows only declared inputs.
            assert.equal(again.inputs.plan, "adopt");
            assert.deepEqual(s.server.stats(), {}, "no call for one in state");
            const unconfigured = await new SortimentSubscriptionProvider().check({}, { ...gb10, managedBy: "p/s/n" });
            assert.deepEqual([unconfigured.failures, unconfigured.inputs.plan], [[], undefined]);
        });
    });

    describe("create", function () {
        it("creates once; a second create with the same inputs adopts it instead of duplicating", async function () {
            const p = providerFor(s);
            const inputs = await checked(p, gb10);
            const first = await p.create(inputs);
            const second = await p.create(inputs);
            assert.equal(second.id, first.id);
            assert.equal((second.outs as SubscriptionOutputs).adopted, false, "our own (by its note) is not 'adopted'");
            assert.equal((await live()).length, 1);
            assert.equal((first.outs as SubscriptionOutputs).itSystemInstansNavn, "KMD Opus Debitor");
            assert.equal((first.outs as SubscriptionOutputs).sortimentUuid, BORGERBLIKKET_UUID);
        });

        it("when the response to Opret is lost, looks up and finds it: exactly one", async function () {
            await s.admin("PUT", "/admin/faults", { lostResponseRate: 1 });
            const p = providerFor(s);
            const res = await p.create(await checked(p, gb10));
            await s.admin("PUT", "/admin/faults", {});
            const subs = await live();
            assert.equal(subs.length, 1);
            assert.equal(res.id, subs[0].uuid);
            assert.equal(s.server.stats().opretAbonnement.total, 1);
        });

        it("converges through 5xx, 429 and dropped connections without duplicates", async function () {
            await s.admin("PUT", "/admin/faults", {
                errorRate: 0.3,
                rateLimitRate: 0.2,
                retryAfterSeconds: 0,
                dropRate: 0.1,
                lostResponseRate: 0.3,
                seed: 7,
            });
            const p = providerFor(s, 0, { maxRetries: 10 });
            const res = await p.create(await checked(p, gb10));
            await s.admin("PUT", "/admin/faults", {});
            const subs = await live();
            assert.deepEqual(
                subs.map((a) => a.uuid),
                [res.id],
            );
        });

        it("adopts an identical subscription made outside Pulumi, and says so", async function () {
            const made = await s.admin("POST", "/admin/abonnementer", {
                kommunekode: "0101",
                sortiment: BORGERBLIKKET_UUID,
                itSystemInstans: KMD_OPUS_DEBITOR,
                skemaversion: "1.3",
                virkning: { from: today(), to: null },
            });
            const p = providerFor(s);
            const res = await p.create(await checked(p, gb10));
            assert.equal(res.id, made.uuid);
            assert.equal((res.outs as SubscriptionOutputs).adopted, true);
            assert.equal(s.server.stats().opretAbonnement, undefined, "nothing was created");
        });

        it("refuses to take over a conflicting one, and says how to adopt it", async function () {
            const made = await s.admin("POST", "/admin/abonnementer", {
                kommunekode: "0101",
                sortiment: BORGERBLIKKET_UUID,
                itSystemInstans: KMD_OPUS_DEBITOR,
                skemaversion: "1.2",
                virkning: { from: "2024-01-01", to: null },
            });
            const p = providerFor(s);
            const err = await expectFk(p.create(await checked(p, gb10)), "FK_CONFLICT");
            assert.match(err.message, new RegExp(made.uuid));
            assert.match(err.message, /skemaversion 1\.2, validFrom 2024-01-01/);
            assert.match(err.message, /declare it with exactly these values/);
            assert.equal((await live()).length, 1);
        });

        it("names an unknown sortiment, an unsupported skemaversion and an unknown system before writing", async function () {
            const p = providerFor(s);
            await expectFk(
                p.create(await checked(p, { ...gb10, sortiment: "Borgerblik" })),
                "FK_UNKNOWN_SORTIMENT",
                /"Borgerblik".*"Borgerblikket"/,
            );
            await expectFk(
                p.create(await checked(p, { ...gb10, skemaversion: "2.0" })),
                "FK_UNSUPPORTED_SKEMAVERSION",
                /"2\.0".*1\.1, 1\.2, 1\.3/,
            );
            await expectFk(
                p.create(await checked(p, { ...gb10, itSystemInstans: BORGERBLIKKET_UUID })),
                "FK_UNKNOWN_IT_SYSTEM",
            );
            assert.equal(s.server.stats().opretAbonnement, undefined);
        });

        it("accepts the sortiment by uuid as well as by name", async function () {
            const p = providerFor(s);
            const res = await p.create(await checked(p, { ...gb10, sortiment: BORGERBLIKKET_UUID.toUpperCase() }));
            assert.equal((res.outs as SubscriptionOutputs).sortimentNavn, "Borgerblikket");
        });

        it("a wrong token is an error (401), not a missing resource", async function () {
            const p = new SortimentSubscriptionProvider(
                new HttpClassificationApi(settings(s.url, "wrong-token-value")),
            );
            const err = await expectFk(p.create(await checked(p, gb10)), "FK_UNAUTHORIZED", /fk:token/);
            assert.doesNotMatch(err.message, /wrong-token-value/);
            await expectFk(p.read(OTHER, {} as SubscriptionOutputs), "FK_UNAUTHORIZED");
        });
    });

    describe("read, update, delete", function () {
        const WRITES = ["opretAbonnement", "retAbonnement", "passiverAbonnement", "sletAbonnement"];
        const OPERATION_OF: Record<string, string | undefined> = {
            endDate: "retAbonnement",
            passivate: "passiverAbonnement",
            delete: "sletAbonnement",
            retain: undefined,
        };
        let p: SortimentSubscriptionProvider;
        let outs: SubscriptionOutputs;
        let id: string;

        beforeEach(async function () {
            p = providerFor(s);
            const res = await p.create(await checked(p, gb10));
            id = res.id;
            outs = res.outs as SubscriptionOutputs;
        });

        it("read reports out-of-band end-dating and passivation; deletion as gone", async function () {
            await s.admin("POST", `/admin/abonnementer/${id}/afslut`, { to: today() });
            const ended = await p.read(id, outs);
            assert.equal((ended.props as SubscriptionOutputs).validTo, today());
            const d = await p.diff(id, ended.props as SubscriptionOutputs, outs);
            assert.deepEqual([d.changes, d.replaces], [true, []], "an end-date is repaired in place");

            await s.admin("POST", `/admin/abonnementer/${id}/passiver`);
            const passive = await p.read(id, outs);
            assert.equal((passive.props as SubscriptionOutputs).livscyklus, "Passiv");
            const d2 = await p.diff(id, passive.props as SubscriptionOutputs, outs);
            assert.deepEqual(d2.replaces, ["livscyklus"], "a passivated one must be replaced");

            await s.admin("DELETE", `/admin/abonnementer/${id}`);
            assert.deepEqual(await p.read(id, outs), { id: "", props: {} });
        });

        it("update sets validTo with If-Match, and refuses when someone changed it meanwhile", async function () {
            const to = "2099-01-01";
            const res = await p.update(id, outs, { ...(await checked(p, { ...gb10, validTo: to }, outs)) });
            assert.equal((res.outs as SubscriptionOutputs).validTo, to);
            assert.equal((await live())[0].virkning.to, to);
            // Someone else changes it; our state still holds the version we wrote.
            await s.admin("POST", `/admin/abonnementer/${id}/afslut`, { to: "2098-01-01" });
            await expectFk(
                p.update(id, res.outs as SubscriptionOutputs, await checked(p, gb10, outs)),
                "FK_CONCURRENT_CHANGE",
                /pulumi refresh/,
            );
        });

        for (const [behaviour, expectLivscyklus, expectTo, told] of [
            ["endDate", "Rettet", today(), [/was ended, not deleted: Gyldig til \d{4}/, /was already ended/]],
            ["passivate", "Passiv", null, [/was passivated/, /was already Passiv/]],
            ["delete", "Slettet", null, [/was deleted in FK Klassifikation/, /no longer exists/]],
            ["retain", "Opstaaet", null, [/is left as it is .*"retain"/, /is left as it is .*"retain"/]],
        ] as const) {
            it(`delete with onDestroy=${behaviour}, and says what it did`, async function () {
                const operation = OPERATION_OF[behaviour];
                const lines: string[] = [];
                const p = providerFor(s, 0, {}, (line) => lines.push(line));
                s.server.resetStats();
                await p.delete(id, { ...outs, onDestroy: behaviour });
                const all = (await s.admin("GET", "/admin/abonnementer?kommunekode=0101")).items as any[];
                const a = all.find((x) => x.uuid === id);
                assert.ok(a, `subscription ${id} is still on record (history kept)`);
                assert.equal(a.livscyklus, expectLivscyklus);
                assert.equal(a.virkning.to, expectTo);
                // Exactly the behaviour's one write, and nothing else written.
                const wrote = Object.keys(s.server.stats()).filter((op) => WRITES.includes(op));
                assert.deepEqual(wrote, operation ? [operation] : []);
                if (operation) assert.equal(s.server.stats()[operation].total, 1);
                s.server.resetStats();
                await p.delete(id, { ...outs, onDestroy: behaviour }); // a second time: already done is success
                const again = Object.keys(s.server.stats()).filter((op) => WRITES.includes(op));
                assert.deepEqual(again, [], "already done: no new change (a deleted one reads as gone: no Slet)");
                assert.equal(lines.length, 2, lines.join("\n"));
                lines.forEach((line, n) => assert.match(line, new RegExp(`^subscription ${id} ${told[n].source}`)));
            });
        }

        it("delete of a subscription already gone succeeds, and writes nothing", async function () {
            await s.admin("DELETE", `/admin/abonnementer/${id}`);
            s.server.resetStats();
            await p.delete(id, outs);
            assert.equal(s.server.stats().laesAbonnement?.byStatus["404"], 1, "it looked and found it gone");
            assert.deepEqual(
                Object.keys(s.server.stats()).filter((op) => WRITES.includes(op)),
                [],
            );
        });
    });

    describe("check", function () {
        const bad: Array<[string, Record<string, unknown>, string, RegExp]> = [
            [
                "malformed uuid",
                { itSystemInstans: "362ebac2-761b-4a44-abc6" },
                "itSystemInstans",
                /"362ebac2-761b-4a44-abc6": must be a uuid/,
            ],
            ["schema version with patch", { skemaversion: "1.3.0" }, "skemaversion", /"1\.3\.0"/],
            ["schema version as number", { skemaversion: 1.3 }, "skemaversion", /1\.3: must be a string/],
            ["impossible date", { validFrom: "2026-02-30" }, "validFrom", /"2026-02-30": must be a real date/],
            ["Danish date format", { validFrom: "26-11-2026" }, "validFrom", /must be a real date written YYYY-MM-DD/],
            [
                "to before from",
                { validFrom: "2030-01-02", validTo: "2030-01-01" },
                "validTo",
                /must not be before validFrom/,
            ],
            [
                "unknown destroy behaviour",
                { onDestroy: "purge" },
                "onDestroy",
                /"endDate", "passivate", "delete", "retain"/,
            ],
            ["empty sortiment", { sortiment: "" }, "sortiment", /must not be empty/],
            ["huge sortiment", { sortiment: "x".repeat(10_000) }, "sortiment", /at most 200 characters/],
            [
                "injection in sortiment",
                { sortiment: "<script>alert(1)</script>" },
                "sortiment",
                /control characters or <>/,
            ],
            ["missing subscriber", { itSystemInstans: undefined }, "itSystemInstans", /is required/],
            ["unknown input", { gyldigTil: "2030-01-01" }, "gyldigTil", /not an input of SortimentSubscription/],
            [
                "unknown input, not offering internal ones",
                { gyldigTil: "2030-01-01" },
                "gyldigTil",
                /allowed: sortiment, itSystemInstans, skemaversion, kommunekode, validFrom, validTo, onDestroy, repairExisting, takeOver, endpoint$/,
            ],
            ["huge unknown input name", { ["x".repeat(10_000)]: 1 }, "x".repeat(80), /^x{80}… is not an input/],
            [
                "kommunekode of no municipality",
                { kommunekode: "0999" },
                "kommunekode",
                /"0999": must be one of the 98 municipalities' kommunekoder/,
            ],
            [
                "kommunekode left out",
                { kommunekode: undefined },
                "kommunekode",
                /required.*pulumi config set kommune:kode 0101/,
            ],
            [
                "plain HTTP endpoint",
                { endpoint: "http://klassifikation.example.dk" },
                "endpoint",
                /plain HTTP; use https:\/\//,
            ],
            ["endpoint that is no URL", { endpoint: "klassifikation" }, "endpoint", /is not a URL/],
        ];
        for (const [name, over, property, reason] of bad) {
            it(`rejects ${name}, naming ${property}`, async function () {
                const p = providerFor(s);
                const res = await p.check({}, { ...gb10, managedBy: "p/s/n", ...over });
                assert.ok(
                    res.failures?.some((f) => f.property === property && reason.test(f.reason)),
                    JSON.stringify(res.failures),
                );
            });
        }

        it("passes values unknown at preview time through", async function () {
            const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
            const p = providerFor(s);
            const res = await p.check({}, { ...gb10, itSystemInstans: unknown, validTo: unknown, managedBy: "p/s/n" });
            assert.deepEqual(res.failures, []);
        });

        it("defaults validFrom to today() in Danish time and keeps it on later checks", async function () {
            const p = providerFor(s);
            const first = await checked(p, gb10);
            assert.equal(first.validFrom, today());
            assert.equal(first.validFromDefaulted, true);
            const later = await checked(p, gb10, { ...first, validFrom: "2020-05-05" });
            assert.equal(later.validFrom, "2020-05-05");
        });
    });

    describe("diff", function () {
        it("replaces on key, schema version or validFrom; updates validTo in place", async function () {
            const p = providerFor(s);
            const res = await p.create(await checked(p, gb10));
            const olds = res.outs as SubscriptionOutputs;
            const same = await p.diff(res.id, olds, await checked(p, { ...gb10, sortiment: BORGERBLIKKET_UUID }, olds));
            assert.equal(same.changes, false);
            const schema = await p.diff(res.id, olds, await checked(p, { ...gb10, skemaversion: "1.2" }, olds));
            assert.deepEqual([schema.replaces, schema.deleteBeforeReplace], [["skemaversion"], true]);
            const system = await p.diff(res.id, olds, await checked(p, { ...gb10, itSystemInstans: OTHER }, olds));
            assert.deepEqual([system.replaces, system.deleteBeforeReplace], [["itSystemInstans"], false]);
            const to = await p.diff(res.id, olds, await checked(p, { ...gb10, validTo: "2099-01-01" }, olds));
            assert.deepEqual([to.changes, to.replaces], [true, []]);
        });
    });
});

describe("HTTP client", function () {
    it("honours Retry-After, then gives up with a clear error", async function () {
        const s = await startTestStandin({ kommuner: 1, faults: { rateLimitRate: 1, retryAfterSeconds: 2 } });
        try {
            const delays: number[] = [];
            const api = new HttpClassificationApi(
                settings(s.url, s.kommuner[0].token, { maxRetries: 2, retryMaxDelayMs: 10_000 }),
                {
                    wait: (ms) => {
                        delays.push(ms);
                        return Promise.resolve();
                    },
                },
            );
            await expectFk(api.searchAbonnementer({}), "FK_UNAVAILABLE", /after 3 attempt\(s\): HTTP 429/);
            assert.deepEqual(delays, [2000, 2000]);
        } finally {
            await s.close();
        }
    });

    it("resends an Opret answered 429 after Retry-After (it was not acted on); still 429 at the end is 'refused'", async function () {
        const s = await startTestStandin({ kommuner: 1, faults: { rateLimitRate: 1, retryAfterSeconds: 2 } });
        try {
            const delays: number[] = [];
            const wait = (ms: number) => {
                delays.push(ms);
                return Promise.resolve();
            };
            const api = new HttpClassificationApi(
                settings(s.url, s.kommuner[0].token, { maxRetries: 2, retryMaxDelayMs: 10_000 }),
                { wait },
            );
            const body = {
                sortiment: BORGERBLIKKET_UUID,
                itSystemInstans: KMD_OPUS_DEBITOR,
                skemaversion: "1.3",
                virkning: { from: "2030-01-01", to: null },
            };
            const refused = await api.createAbonnement(body);
            assert.equal(refused.kind, "refused");
            assert.match((refused as { cause: string }).cause, /^HTTP 429 \(x-TransaktionsId [0-9a-f-]{36}\)$/);
            assert.deepEqual(delays, [2000, 2000]);
            assert.deepEqual(s.server.stats().opretAbonnement.byStatus, { "429": 3 });
            // Half of the requests turned away: the Opret that gets through is created once.
            await s.admin("PUT", "/admin/faults", { rateLimitRate: 0.5, retryAfterSeconds: 0, seed: 3 });
            s.server.resetStats();
            const created = await api.createAbonnement(body);
            assert.equal(created.kind, "created");
            assert.deepEqual(s.server.stats().opretAbonnement.byStatus["201"], 1);
            await s.admin("PUT", "/admin/faults", {});
            assert.equal((await api.searchAbonnementer({})).length, 1);
        } finally {
            await s.close();
        }
    });

    it("turns a malformed response into a clear error", async function () {
        const server = http.createServer((_req, res) => {
            res.writeHead(200, { "Content-Type": "application/json" });
            res.end(JSON.stringify({ total: 1, foersteresultat: 0, items: [{ uuid: "nope" }] }));
        });
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
        try {
            const api = new HttpClassificationApi(
                settings(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, "t0ken-value"),
            );
            await expectFk(api.searchAbonnementer({}), "FK_MALFORMED_RESPONSE", /Soeg abonnement.*items\.0\.uuid/);
        } finally {
            server.close();
        }
    });
});

describe("connection settings", function () {
    const from = (values: Record<string, string | undefined>) => (key: string) => values[key];

    it("requires HTTPS except on loopback", function () {
        assert.throws(
            () => readConnectionSettings(from({ endpoint: "http://klassifikation.example.dk", token: "abcd" })),
            (e: FkError) => e.code === "FK_INSECURE_ENDPOINT" && /https/.test(e.message),
        );
        for (const ok of [
            "http://127.0.0.1:8787",
            "http://localhost:1",
            "http://[::1]:2",
            "https://klassifikation.example.dk",
        ]) {
            assert.equal(readConnectionSettings(from({ endpoint: ok, token: "abcd" })).endpoint, ok);
        }
    });

    it("an endpoint given with the contract's /api/v1 suffix means the same API", function () {
        for (const given of ["https://k.example/api/v1", "https://k.example/api/v1/", "https://k.example/"]) {
            assert.equal(
                readConnectionSettings(from({ endpoint: given, token: "abcd" })).endpoint,
                "https://k.example",
            );
        }
    });

    it("names the missing or bad setting and never shows a secret", function () {
        const secret = "super-secret-token-123";
        assert.throws(() => readConnectionSettings(from({ token: secret })), /fk:endpoint is not set/);
        assert.throws(() => readConnectionSettings(from({ endpoint: "https://x.example" })), /fk:token is not set/);
        assert.throws(
            () => readConnectionSettings(from({ endpoint: "https://x.example", token: secret, timeoutMs: "soon" })),
            /fk:timeoutMs is "soon": must be a whole number from 100 to 600000/,
        );
        for (const bad of [
            { endpoint: "https://x.example", token: `${secret} extra` },
            { endpoint: "https://x.example", clientCertificate: secret },
            { endpoint: "https://x.example", clientCertificate: "-----BEGIN CERTIFICATE-----", clientKey: secret },
        ]) {
            assert.throws(
                () => readConnectionSettings(from(bad)),
                (e: Error) => !e.message.includes(secret),
            );
        }
    });

    it("reads the environment when the stack config has no value", function () {
        process.env.FK_KLASSIFIKATION_ENDPOINT = "https://env.example";
        process.env.FK_KLASSIFIKATION_TOKEN = "env-token";
        try {
            const s = readConnectionSettings(
                settingSource({ get: (k: string) => (k === "fk:endpoint" ? "https://config.example" : undefined) }),
            );
            assert.equal(s.endpoint, "https://config.example");
            assert.equal(s.token, "env-token");
        } finally {
            delete process.env.FK_KLASSIFIKATION_ENDPOINT;
            delete process.env.FK_KLASSIFIKATION_TOKEN;
        }
    });

    it("the STS needs both its settings and the certificate, and no fixed token beside them", function () {
        const pem = "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----";
        const key = "-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----";
        const base = { endpoint: "https://x.example", clientCertificate: pem, clientKey: key };
        const sts = { stsEndpoint: "https://sts.example/", entityId: "http://entityid.kombit.dk/service/x/1" };
        const read = (values: Record<string, string | undefined>) => readConnectionSettings(from(values));
        assert.deepEqual(read({ ...base, ...sts }).sts, {
            endpoint: "https://sts.example",
            entityId: "http://entityid.kombit.dk/service/x/1",
        });
        assert.equal(read({ ...base, ...sts }).token, undefined);
        assert.throws(
            () => read({ ...base, stsEndpoint: sts.stsEndpoint }),
            /fk:entityId is not set, but fk:stsEndpoint is/,
        );
        assert.throws(() => read({ ...base, entityId: sts.entityId }), /fk:stsEndpoint is not set, but fk:entityId is/);
        assert.throws(
            () => read({ endpoint: base.endpoint, token: "-abcd", ...sts }),
            /fk:stsEndpoint needs the system certificate to ask the STS with/,
        );
        assert.throws(
            () => read({ ...base, token: "-secret-abcd", ...sts }),
            (e: Error) =>
                /fk:token cannot be combined with fk:stsEndpoint/.test(e.message) && !e.message.includes("secret"),
        );
        assert.throws(
            () => read({ ...base, ...sts, stsEndpoint: "http://sts.example" }),
            /fk:stsEndpoint is "http:\/\/sts\.example": must be an https:\/\/ URL/,
        );
        assert.throws(
            () => read({ ...base, ...sts, stsEndpoint: "https://user:pw@sts.example" }),
            (e: Error) => /fk:stsEndpoint/.test(e.message) && !e.message.includes("pw@"),
        );
        assert.throws(
            () => read({ ...base, ...sts, entityId: "not an entity id" }),
            /fk:entityId is "not an entity id": must be the service's entity id, a URI/,
        );
    });

    it("an error names the setting where its value came from: the stack config or the environment", function () {
        const config = (values: Record<string, string>) => ({ get: (k: string) => values[k] });
        const base = { "fk:endpoint": "https://config.example", "fk:token": "abcd" };
        process.env.FK_KLASSIFIKATION_CA_BUNDLE = "not a certificate";
        process.env.FK_KLASSIFIKATION_DEADLINE_MS = "1";
        try {
            assert.throws(
                () => readConnectionSettings(settingSource(config({ ...base, "fk:deadlineMs": "2000" }))),
                /connection setting FK_KLASSIFIKATION_CA_BUNDLE is not PEM certificates/,
            );
            delete process.env.FK_KLASSIFIKATION_CA_BUNDLE;
            assert.throws(
                () => readConnectionSettings(settingSource(config(base))),
                /connection setting FK_KLASSIFIKATION_DEADLINE_MS is "1": must be a whole number/,
            );
            assert.throws(
                () => readConnectionSettings(settingSource(config({ ...base, "fk:caBundle": "not PEM either" }))),
                /connection setting fk:caBundle is not PEM certificates/,
            );
        } finally {
            delete process.env.FK_KLASSIFIKATION_CA_BUNDLE;
            delete process.env.FK_KLASSIFIKATION_DEADLINE_MS;
        }
    });
});
