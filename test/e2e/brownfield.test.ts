// Already done by hand: the root program, through the real CLI with the policy pack, against a
// stand-in that holds what municipalities clicked into the web UI in 2023. A correct one is adopted
// with its values untouched (one write of its note records the stack as its owner); a wrong one is refused before any write, and repaired only when asked (in preview
// first); ended and passive ones do not block; a kill in the middle of a repair converges.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { AbonnementSeed, KMD_OPUS_DEBITOR_UUID } from "@fk-iac/klassifikation-standin";
import { collect, killGroup, PulumiWorkspace } from "../helpers/pulumi";
import { startTestStandin } from "../helpers/standin";
import { today } from "../helpers/days";
import { rootProgram } from "../helpers/workspaces";
import { policyPackArgument } from "../../cli/policy-pack";

const WRITES = ["opretAbonnement", "retAbonnement", "passiverAbonnement", "sletAbonnement"];
const BY = "bruger:mh (København, web-UI)";

/** A subscription København made by hand on 1 June 2023; `over` changes its values. */
function byHand(over: Partial<AbonnementSeed> = {}): AbonnementSeed {
    return {
        kommunekode: "0101",
        sortiment: "Borgerblikket",
        itSystemInstans: KMD_OPUS_DEBITOR_UUID,
        skemaversion: "1.3",
        virkning: { from: "2023-06-01", to: null },
        oprettet: "2023-06-01T08:12:00Z",
        oprettetAf: BY,
        ...over,
    };
}

/** A stand-in holding `seeded`, and a stack of the root program for København connected to it. */
async function brownfield(seeded: AbonnementSeed[]) {
    const s = await startTestStandin({ kommuner: 1, seed: { abonnementer: seeded } });
    const program = rootProgram();
    const ws = await PulumiWorkspace.create({ programDir: program, kommunekode: "0101" });
    await ws.setConfig("kommune:navn", "København");
    await ws.setConfig("fk:endpoint", s.url);
    await ws.setConfig("fk:token", s.kommuner[0].token, true);
    const writes = () => WRITES.reduce((n, op) => n + (s.server.stats()[op]?.total ?? 0), 0);
    const all = async () => (await s.admin("GET", "/admin/abonnementer?kommunekode=0101")).items as any[];
    const active = async () =>
        (await all()).filter((a) => a.livscyklus !== "Passiv" && (a.virkning.to === null || a.virkning.to > today()));
    const close = async () => {
        ws.dispose();
        fs.rmSync(program, { recursive: true, force: true });
        await s.close();
    };
    return { s, ws, writes, all, active, close };
}

/** The policy pack, by path: the stack's program is a copy in another folder. */
const policy = ["--policy-pack", policyPackArgument()];

describe("already done by hand: a correct subscription is adopted, its values untouched", function () {
    let w: Awaited<ReturnType<typeof brownfield>>;
    let uuid: string;
    before(async function () {
        w = await brownfield([byHand()]);
        uuid = (await w.all())[0].uuid;
    });
    after(async () => w?.close());

    it("preview plans the adoption and writes nothing", async function () {
        const preview = await w.ws.preview([...policy, "--diff"]);
        assert.equal(preview.code, 0, preview.output);
        assert.match(preview.output, /plan\s*:\s*"adopt"/);
        assert.equal(w.writes(), 0);
    });

    it("up adopts it whatever its Gyldig fra, says so in one line, and writes only its note", async function () {
        const up = await w.ws.up(policy);
        assert.equal(up.code, 0, up.output);
        assert.match(up.output, /Policies:\s+✅ fk-klassifikation/);
        // The progress view repeats a resource's message on its line; Diagnostics has it once.
        const diagnostics = up.output.slice(up.output.indexOf("Diagnostics:"));
        const said = diagnostics.match(
            /adopted subscription [0-9a-f-]{36} \(made by .+? on \d{4}-\d{2}-\d{2}, Gyldig fra [\d-]+\): its values are untouched; its note now names this stack as its owner/g,
        );
        assert.equal(said?.length, 1, up.output);
        assert.ok(said[0].includes(uuid) && said[0].includes(BY) && said[0].includes("2023-06-01"), said[0]);
        assert.equal(w.writes(), 1, "one write");
        assert.equal(w.s.server.stats().retAbonnement?.total, 1, "a Ret of the note alone");
        const [noted] = await w.all();
        assert.deepEqual(noted.virkning, { from: "2023-06-01", to: null }, "its dates untouched");
        assert.match(noted.note, /^managed by pulumi: gb10-borgerblikket\/dev\/borgerblikket-debitorsystem$/);
        const out = await w.ws.outputs();
        assert.equal(out.abonnementUuid, uuid);
        const abonnement = out.abonnement as Record<string, unknown>;
        assert.equal(abonnement.gyldigFra, "2023-06-01", "its real Gyldig fra");
        assert.equal(abonnement.adopted, true);
        assert.equal(abonnement.oprettetAf, BY);
        assert.equal(abonnement.oprettet, "2023-06-01T08:12:00.000Z");
    });

    it("then preview --expect-no-changes passes, refresh changes nothing, nor does the next day; no further write", async function () {
        w.s.server.resetStats();
        const again = await w.ws.preview(["--expect-no-changes", ...policy]);
        assert.equal(again.code, 0, again.output);
        const refresh = await w.ws.refresh(["--expect-no-changes"]);
        assert.equal(refresh.code, 0, refresh.output);
        const tomorrow = new Date(Date.parse(`${today()}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
        const later = await w.ws.preview(["--expect-no-changes", ...policy], {
            FK_KLASSIFIKATION_TODAY: tomorrow,
        });
        assert.equal(later.code, 0, later.output);
        const up = await w.ws.up(policy);
        assert.equal(up.code, 0, up.output);
        assert.doesNotMatch(up.output, /adopted subscription/, "said once, in the run that adopted it");
        assert.equal(w.writes(), 0);
    });

    it("destroy ends the adopted subscription as onDestroy says (endDate: Gyldig til today, history kept)", async function () {
        const destroy = await w.ws.destroy();
        assert.equal(destroy.code, 0, destroy.output);
        const [a] = await w.all();
        assert.equal(a.uuid, uuid);
        assert.equal(a.virkning.to, today());
        assert.equal(a.virkning.from, "2023-06-01");
        assert.equal(w.s.server.stats().retAbonnement?.total, 1, "one Ret, no Slet");
        assert.equal(w.s.server.stats().sletAbonnement, undefined);
    });
});

describe("already done by hand, with other values: refused by default, repaired when asked", function () {
    let w: Awaited<ReturnType<typeof brownfield>>;
    let wrong: string;
    before(async function () {
        w = await brownfield([byHand({ skemaversion: "1.2" })]);
        wrong = (await w.all())[0].uuid;
    });
    after(async () => w?.close());

    for (const command of ["preview", "up"] as const) {
        it(`${command} refuses it before any write, naming it, who made it and when, and the ways forward`, async function () {
            const res = command === "preview" ? await w.ws.preview(policy) : await w.ws.up(policy);
            assert.notEqual(res.code, 0, res.output);
            assert.match(res.output, new RegExp(`subscription ${wrong} already exists`));
            assert.match(
                res.output,
                /skemaversion 1\.2, validFrom 2023-06-01, validTo \(empty\); made by bruger:mh .* on 2023-06-01/,
            );
            assert.match(res.output, /asks for skemaversion 1\.3/);
            assert.match(res.output, /pulumi config set repairExisting true/);
            assert.match(res.output, /FK_CONFLICT/);
            assert.equal(w.writes(), 0);
        });
    }

    it("with repairExisting, preview shows the repair plan to the policy pack and writes nothing", async function () {
        await w.ws.setConfig("repairExisting", "true");
        const preview = await w.ws.preview(policy);
        assert.equal(preview.code, 0, preview.output);
        assert.match(
            preview.output,
            new RegExp(`this update ends ${wrong} \\(skemaversion 1\\.2, Gyldig fra 2023-06-01`),
        );
        assert.equal(w.writes(), 0);
    });

    it("up ends the wrong one (history kept) and creates the declared one; then nothing changes", async function () {
        const up = await w.ws.up(policy);
        assert.equal(up.code, 0, up.output);
        assert.match(
            up.output,
            new RegExp(`repaired: ended ${wrong} \\(Gyldig til today, history kept\\) and created [0-9a-f-]{36}`),
        );
        const all = await w.all();
        assert.equal(all.length, 2, "nothing deleted");
        const old = all.find((a) => a.uuid === wrong);
        assert.equal(old.virkning.to, today());
        assert.notEqual(old.livscyklus, "Slettet");
        const [now] = await w.active();
        assert.equal((await w.active()).length, 1);
        assert.deepEqual([now.skemaversion, now.virkning.from, now.virkning.to], ["1.3", today(), null]);
        const out = await w.ws.outputs();
        assert.equal(out.abonnementUuid, now.uuid);
        const preview = await w.ws.preview(["--expect-no-changes", ...policy]);
        assert.equal(preview.code, 0, preview.output);
    });
});

describe("ended and passive subscriptions do not block", function () {
    it("up creates a new one from today beside an ended and a passivated one", async function () {
        const w = await brownfield([
            byHand({ virkning: { from: "2023-06-01", to: "2024-03-01" }, livscyklus: "Rettet" }),
            byHand({ oprettet: "2023-05-01T08:00:00Z", virkning: { from: "2023-05-01", to: "2023-06-01" } }),
            byHand({
                oprettet: "2024-04-01T08:00:00Z",
                virkning: { from: "2024-04-01", to: null },
                livscyklus: "Passiv",
            }),
        ]);
        try {
            const up = await w.ws.up(policy);
            assert.equal(up.code, 0, up.output);
            assert.doesNotMatch(up.output, /adopted subscription/);
            assert.equal(w.s.server.stats().opretAbonnement?.total, 1);
            const active = await w.active();
            assert.equal(active.length, 1);
            assert.deepEqual([active[0].skemaversion, active[0].virkning.from], ["1.3", today()]);
            assert.equal((await w.all()).length, 4, "the old ones are kept");
        } finally {
            await w.close();
        }
    });
});

describe("a kill -9 in the middle of a repair", function () {
    it("and a rerun end with exactly one active, correct subscription and the wrong one ended", async function () {
        const w = await brownfield([byHand({ skemaversion: "1.2" })]);
        try {
            await w.ws.setConfig("repairExisting", "true");
            const wrong = (await w.all())[0].uuid;
            const child = w.ws.start(["up", "--yes", "--skip-preview", "--stack", w.ws.stack]);
            const done = collect(child);
            // Killed as soon as the wrong one is ended, before the new one is created.
            await new Promise<void>((resolve) => {
                const timer = setInterval(() => {
                    if (w.s.log.some((e) => e.operation === "retAbonnement")) {
                        clearInterval(timer);
                        killGroup(child, "SIGKILL");
                        resolve();
                    }
                }, 2);
                child.once("exit", () => {
                    clearInterval(timer);
                    resolve();
                });
            });
            await done;
            await w.ws.mustRun(["cancel", "--yes", "--stack", w.ws.stack]);
            const up = await w.ws.up();
            assert.equal(up.code, 0, up.output);
            const active = await w.active();
            assert.equal(active.length, 1, JSON.stringify(await w.all()));
            assert.equal(active[0].skemaversion, "1.3");
            const old = (await w.all()).find((a) => a.uuid === wrong);
            assert.equal(old.virkning.to, today(), "the wrong one is ended, not deleted");
            assert.equal((await w.ws.preview(["--expect-no-changes"])).code, 0);
        } finally {
            await w.close();
        }
    });
});
