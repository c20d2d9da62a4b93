// One rule for "is the task done": the survey (and so `npm run status`, `fleet status`, `fleet survey`
// and the page) judges each subscription with the task's own criteria (task.ts) and finds the sortiment
// as create does. Exit 0 only when created correctly and delivered, 10 when only delivery is pending,
// 1 otherwise, whoever made the subscription. (The stand-in keeps brugervendtnoegler unique, so the
// shared sortiment look-up, provider/src/sortiment.ts, is exercised by the component tests.)
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { AbonnementSeed, KMD_OPUS_DEBITOR_UUID } from "@fk-iac/klassifikation-standin";
import { startFleet } from "../helpers/fleet";
import { collect, repoRoot } from "../helpers/pulumi";
import { addDays, today } from "../helpers/days";
import { randomToken, startTestStandin, tenantsFor } from "../helpers/standin";

const byHand = (kommunekode: string, over: Partial<AbonnementSeed> = {}): AbonnementSeed => ({
    kommunekode,
    sortiment: "Borgerblikket",
    itSystemInstans: KMD_OPUS_DEBITOR_UUID,
    skemaversion: "1.3",
    virkning: { from: today(), to: null },
    oprettet: new Date().toISOString(),
    oprettetAf: "bruger:mh (web-UI)",
    ...over,
});

describe("one rule for done: survey and status judge by the task's criteria", function () {
    const dir = path.join(repoRoot, ".work", `done-${process.pid}`);
    const tokens = new Map([
        ["0101", randomToken()],
        ["0751", randomToken()],
    ]);
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    async function survey(abonnementer: AbonnementSeed[]) {
        const s = await startTestStandin({ kommuner: 0, seed: { tenants: tenantsFor(tokens), abonnementer } });
        try {
            fs.mkdirSync(dir, { recursive: true });
            const inventory = path.join(dir, "inventory.yaml");
            const report = path.join(dir, "report.json");
            fs.writeFileSync(
                inventory,
                `kommuner:\n${[...tokens.keys()]
                    .map(
                        (k) =>
                            `  - { kommunekode: "${k}", navn: "K${k}", endpoint: "${s.url}", credentials: "env:FK_T_${k}" }`,
                    )
                    .join("\n")}\n`,
            );
            const env = { ...process.env, ...Object.fromEntries([...tokens].map(([k, t]) => [`FK_T_${k}`, t])) };
            const res = await collect(
                startFleet(
                    ["survey", "--inventory", inventory, "--report", report, "--state-dir", path.join(dir, "state")],
                    env,
                ),
            );
            const rows = new Map<string, any>(
                (JSON.parse(fs.readFileSync(report, "utf8")).municipalities as any[]).map((m) => [m.kommunekode, m]),
            );
            return { code: res.code, output: res.output, rows };
        } finally {
            await s.close();
        }
    }

    it("made by hand with the task's values but not yet delivered is pending (exit 10), not done", async function () {
        const r = await survey([
            byHand("0101"),
            byHand("0751", { oprettet: "2023-06-01T08:00:00Z", virkning: { from: "2023-06-01", to: null } }),
        ]);
        assert.equal(r.code, 10, r.output);
        assert.equal(r.rows.get("0101").state, "pending");
        assert.match(r.rows.get("0101").next, /pulumi up adopts it/);
        const criteria = r.rows.get("0101").assessment.criteria as Array<{ name: string; ok: boolean }>;
        assert.deepEqual(
            criteria.filter((c) => !c.name.startsWith(" ")).map((c) => [c.name, c.ok]),
            [
                ["1. created correctly", true],
                ["2. visible to the debtor system", false],
            ],
        );
        assert.equal(r.rows.get("0751").state, "by-hand", "delivered long ago: done, by hand");
    });

    it("a Gyldig fra in the future is not done by either judge (exit 1), naming it", async function () {
        const later = addDays(today(), 5);
        const r = await survey([byHand("0101", { virkning: { from: later, to: null } }), byHand("0751")]);
        assert.equal(r.code, 1, r.output);
        assert.equal(r.rows.get("0101").state, "wrong-values");
        assert.match(r.rows.get("0101").detail, new RegExp(`gyldig fra is ${later}`));
    });
});
