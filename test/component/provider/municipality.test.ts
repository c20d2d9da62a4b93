// The provider never acts for another municipality than the one a subscription belongs to, and one
// API operation never outlasts its deadline: over real HTTP against the stand-in and a hung server.
import * as assert from "node:assert/strict";
import * as net from "node:net";
import { HttpClassificationApi } from "../../../provider/src/client";
import { ConnectionSettings } from "../../../provider/src/connection";
import { KMD_OPUS_DEBITOR } from "../../../provider/src/domain";
import { FkError } from "../../../provider/src/errors";
import { SortimentSubscriptionProvider, SubscriptionOutputs } from "../../../provider/src/provider";
import { startTestStandin, TestStandin } from "../../helpers/standin";
import { CheckedInputs, checkInputs } from "../../../provider/src/inputs";

const WRITES = ["opretAbonnement", "retAbonnement", "passiverAbonnement", "sletAbonnement"];

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

describe("the provider acts only for the stack's municipality", function () {
    let s: TestStandin;
    const writes = () => WRITES.reduce((n, op) => n + (s.server.stats()[op]?.total ?? 0), 0);
    const gb10 = {
        sortiment: "Borgerblikket",
        itSystemInstans: KMD_OPUS_DEBITOR,
        skemaversion: "1.3",
        managedBy: "p/kbh/sub",
    };
    const refused = (operation: string) => (err: unknown) =>
        err instanceof FkError &&
        err.code === "FK_WRONG_MUNICIPALITY" &&
        new RegExp(
            `^refusing ${operation}: this stack's subscription belongs to København \\(0101\\), but the credentials for http://127\\.0\\.0\\.1:\\d+ act for Aarhus \\(0751\\)\\. Nothing was sent`,
        ).test(err.message) &&
        /set kommune:kode to 0751/.test(err.message);

    before(async () => (s = await startTestStandin()));
    after(async () => s?.close());

    it("create with another municipality's credentials is refused before any write, and before adopting", async function () {
        // Aarhus has an identical subscription that a look-up would find and adopt.
        const aarhus = new SortimentSubscriptionProvider(
            new HttpClassificationApi(settings(s.url, s.kommuner[1].token)),
        );
        await aarhus.create((await aarhus.check({}, { ...gb10, kommunekode: "0751" })).inputs);
        s.server.resetStats();
        const p = new SortimentSubscriptionProvider(new HttpClassificationApi(settings(s.url, s.kommuner[1].token)));
        const news = { ...gb10, kommunekode: "0101", endpoint: s.url };
        // check (what preview runs) refuses already, and so does create when check's look-up did not run.
        await assert.rejects(p.check({}, news), refused("Opret abonnement"));
        await assert.rejects(
            p.create(checkInputs({}, news).inputs as unknown as CheckedInputs),
            refused("Opret abonnement"),
        );
        assert.equal(writes(), 0);
        // Only reads, with the credentials' own data: the search showed Aarhus's own subscription, so
        // whom they act for needed no Laes myndighed.
        assert.deepEqual(
            Object.keys(s.server.stats()).filter((op) => !/^(laes|soeg)/.test(op)),
            [],
            "it only read before refusing",
        );
        assert.equal(s.server.stats().laesMyndighed, undefined, "the search showed whom the token acts for");
    });

    it("update and every destroy behaviour refuse before any write; the owner's provider still works", async function () {
        const owner = new SortimentSubscriptionProvider(
            new HttpClassificationApi(settings(s.url, s.kommuner[0].token)),
        );
        const created = await owner.create(
            (await owner.check({}, { ...gb10, kommunekode: "0101", endpoint: s.url })).inputs,
        );
        const outs = created.outs as SubscriptionOutputs;
        s.server.resetStats();
        const other = new SortimentSubscriptionProvider(
            new HttpClassificationApi(settings(s.url, s.kommuner[1].token)),
        );
        await assert.rejects(
            other.update(created.id, outs, { ...outs, validTo: "2031-01-01" }),
            refused("Ret abonnement"),
        );
        await assert.rejects(other.delete(created.id, { ...outs, onDestroy: "delete" }), refused("Slet abonnement"));
        await assert.rejects(
            other.delete(created.id, { ...outs, onDestroy: "passivate" }),
            refused("Passiver abonnement"),
        );
        await assert.rejects(other.delete(created.id, outs), refused("Ret abonnement"));
        await other.delete(created.id, { ...outs, onDestroy: "retain" }); // writes nothing, so nothing to refuse
        assert.equal(writes(), 0);
        await owner.delete(created.id, outs);
        assert.equal(s.server.stats().retAbonnement?.total, 1, "the owner ends it");
    });

    it("a kommunekode change is refused before anything is written (FK_MUNICIPALITY_CHANGE)", async function () {
        const p = new SortimentSubscriptionProvider(new HttpClassificationApi(settings(s.url, s.kommuner[0].token)));
        const olds = {
            ...(await p.check({}, { ...gb10, kommunekode: "0101" })).inputs,
            kommunekode: "0101",
            sortimentNavn: "Borgerblikket",
            abonnementUuid: "0f0f0f0f-0000-4000-8000-000000000001",
        };
        const news = (await p.check(olds, { ...gb10, kommunekode: "0751" })).inputs;
        s.server.resetStats();
        await assert.rejects(
            p.diff("x", olds as never, news as never),
            (e: FkError) =>
                e.code === "FK_MUNICIPALITY_CHANGE" &&
                /from 0101 to 0751/.test(e.message) &&
                /København \(0101\).*Aarhus \(0751\)/.test(e.message) &&
                /pulumi destroy/.test(e.message),
        );
        assert.equal(writes(), 0);
    });
});

describe("one deadline per API operation", function () {
    let hung: net.Server;
    let url: string;
    const sockets: net.Socket[] = [];

    before(async function () {
        hung = net.createServer((socket) => sockets.push(socket)); // accepts, never answers
        await new Promise<void>((resolve) => hung.listen(0, "127.0.0.1", resolve));
        url = `http://127.0.0.1:${(hung.address() as net.AddressInfo).port}`;
    });
    after(function () {
        for (const socket of sockets) socket.destroy();
        hung.close();
    });

    it("a hung endpoint fails at the deadline, retries included, naming endpoint and deadline", async function () {
        const api = new HttpClassificationApi(settings(url, "-token", { timeoutMs: 800, deadlineMs: 2000 }));
        const started = Date.now();
        await assert.rejects(api.getAbonnement("00000000-0000-4000-8000-000000000001"), (err: unknown) => {
            assert.ok(err instanceof FkError && err.code === "FK_TIMEOUT", String(err));
            assert.match(
                err.message,
                new RegExp(
                    `^the classification API at ${url} did not finish Laes abonnement within the deadline of 2 s \\(\\d attempt\\(s\\); last: ETIMEDOUT`,
                ),
            );
            assert.match(err.message, /raise fk:deadlineMs/);
            return true;
        });
        const ms = Date.now() - started;
        assert.ok(ms >= 1900 && ms < 3000, `${ms} ms`);
    });

    it("Opret is not retried past the deadline either; its outcome counts as unknown", async function () {
        const api = new HttpClassificationApi(settings(url, "-token", { timeoutMs: 5000, deadlineMs: 1000 }));
        const outcome = await api.createAbonnement({
            sortiment: "00000000-0000-4000-8000-000000000001",
            itSystemInstans: KMD_OPUS_DEBITOR,
            skemaversion: "1.3",
            virkning: { from: "2030-01-01", to: null },
        });
        assert.equal(outcome.kind, "unknown");
        assert.match((outcome as { cause: string }).cause, /FK_TIMEOUT/);
    });
});
