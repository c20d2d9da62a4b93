// Every example in examples/ runs in the real engine against the stand-in.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { BORGERBLIKKET_UUID } from "@fk-iac/klassifikation-standin";
import { PulumiWorkspace, repoRoot } from "../helpers/pulumi";
import { startTestStandin, TestStandin } from "../helpers/standin";
import { today } from "../helpers/days";
import { policyPackArgument } from "../../cli/policy-pack";

const examples = path.join(repoRoot, "examples");
const pack = policyPackArgument();
const KMD = "362ebac2-761b-4a44-abc6-679f2d5615ce";
const OTHER_SYSTEM = "0a0a0a0a-1111-4222-8333-444455556666";
const OTHER_SORTIMENT = "6c8d1e4f-9a2b-4d3c-8e7f-1a2b3c4d5e6f";

/** Structured config goes into the stack file, as a team keeps it in git. */
function setSubscriptions(ws: PulumiWorkspace, list: unknown[]): void {
    const file = path.join(ws.programDir, `Pulumi.${ws.stack}.yaml`);
    const doc = (YAML.parse(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    doc.config = { ...(doc.config ?? {}), "several-subscriptions:subscriptions": list };
    fs.writeFileSync(file, YAML.stringify(doc));
}

describe("examples (real engine)", function () {
    let s: TestStandin;
    const subs = async (kommunekode: string) =>
        (await s.admin("GET", `/admin/abonnementer?kommunekode=${kommunekode}`)).items as any[];

    before(async function () {
        s = await startTestStandin({
            seed: {
                itSystemInstanser: [{ uuid: OTHER_SYSTEM, navn: "Other Debitor" }],
                sortimenter: [
                    {
                        uuid: OTHER_SORTIMENT,
                        brugervendtnoegle: "Kontoplan",
                        titel: "Kontoplan",
                        skemaversioner: ["1.1"],
                    },
                ],
            },
        });
    });
    after(async () => s?.close());

    async function workspace(example: string, kommune: number): Promise<PulumiWorkspace> {
        const ws = await PulumiWorkspace.create({
            programDir: path.join(examples, example),
            kommunekode: s.kommuner[kommune].kommunekode,
        });
        await ws.setConfig("fk:endpoint", s.url);
        await ws.setConfig("fk:token", s.kommuner[kommune].token, true);
        return ws;
    }

    it("gb10-task: creates the task's subscription under the policy pack, and destroys it", async function () {
        const ws = await workspace("gb10-task", 0);
        try {
            const up = await ws.up(["--policy-pack", pack]);
            assert.equal(up.code, 0, up.output);
            const [a] = await subs("0101");
            assert.deepEqual(
                [a.sortiment, a.itSystemInstans, a.skemaversion, a.virkning],
                [BORGERBLIKKET_UUID, KMD, "1.3", { from: today(), to: null }],
            );
            assert.equal((await ws.outputs()).gyldigFra, today());
            assert.equal((await ws.destroy()).code, 0);
        } finally {
            ws.dispose();
        }
    });

    it("several-subscriptions: three subscriptions from structured config; removing one ends it", async function () {
        const ws = await workspace("several-subscriptions", 1);
        try {
            const list = [
                { name: "borgerblikket-opus", sortiment: "Borgerblikket", itSystemInstans: KMD },
                { name: "borgerblikket-other", sortiment: "Borgerblikket", itSystemInstans: OTHER_SYSTEM },
                { name: "kontoplan-opus", sortiment: "Kontoplan", itSystemInstans: KMD, skemaversion: "1.1" },
            ];
            setSubscriptions(ws, list);
            const up = await ws.up();
            assert.equal(up.code, 0, up.output);
            const created = await subs("0751");
            assert.equal(created.length, 3);
            const out = (await ws.outputs()).abonnementer as Record<string, any>;
            assert.equal(out["kontoplan-opus"].sortiment, "Kontoplan");
            assert.equal(out["borgerblikket-other"].system, "Other Debitor");

            setSubscriptions(ws, list.slice(0, 2));
            assert.equal((await ws.up()).code, 0);
            const after = await subs("0751");
            const ended = after.find((a) => a.sortiment === OTHER_SORTIMENT);
            assert.equal(ended.virkning.to, today(), "the removed entry is end-dated, not deleted");
            assert.equal(after.filter((a) => a.virkning.to === null).length, 2);
            assert.equal((await ws.destroy()).code, 0);
        } finally {
            ws.dispose();
        }
    });

    it("end-subscription: Gyldig til set in place, then destroy passivates", async function () {
        const ws = await workspace("end-subscription", 2);
        try {
            assert.equal((await ws.up()).code, 0);
            const [first] = await subs("0851");
            await ws.setConfig("endOn", "2030-06-30");
            const up = await ws.up();
            assert.equal(up.code, 0, up.output);
            const [changed] = await subs("0851");
            assert.equal(changed.uuid, first.uuid, "changed in place");
            assert.equal(changed.virkning.to, "2030-06-30");
            await ws.setConfig("onDestroy", "passivate");
            assert.equal((await ws.up()).code, 0);
            assert.equal((await ws.destroy()).code, 0);
            const [gone] = await subs("0851");
            assert.equal(gone.livscyklus, "Passiv");
        } finally {
            ws.dispose();
        }
    });

    it("adopt-existing: a subscription made outside Pulumi is adopted, not duplicated", async function () {
        // A fresh municipality: the one the web UI already subscribed.
        const made = await s.admin("POST", "/admin/abonnementer", {
            kommunekode: "0101",
            sortiment: BORGERBLIKKET_UUID,
            itSystemInstans: KMD,
            skemaversion: "1.3",
            virkning: { from: "2025-03-01", to: null },
        });
        const ws = await workspace("adopt-existing", 0);
        try {
            await ws.setConfig("existingValidFrom", "2025-03-01");
            // The Gyldig fra window judges what a new subscription would get, never an adoption.
            const preview = await ws.preview(["--policy-pack", pack, "--diff"]);
            assert.equal(preview.code, 0, preview.output);
            assert.match(preview.output, /plan\s*:\s*"adopt"/);
            const up = await ws.up(["--policy-pack", pack]);
            assert.equal(up.code, 0, up.output);
            const out = await ws.outputs();
            assert.equal(out.abonnementUuid, made.uuid);
            assert.equal(out.adopted, true);
            assert.equal(
                (await subs("0101")).filter((a) => a.virkning.to === null && a.livscyklus !== "Slettet").length,
                1,
            );
            const again = await ws.preview(["--expect-no-changes", "--policy-pack", pack]);
            assert.equal(again.code, 0, again.output);
        } finally {
            ws.dispose();
        }
    });
});
