// State shapes: outputs written by an older version are migrated one step at a time, state from a
// newer version is refused before anything is sent, and the shape of the outputs this version writes
// is pinned per STATE_VERSION, so a shape change without a new version and its migration fails here.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { FkError, gb10Subscription } from "../../../provider/src/index";
import { MIGRATIONS, migrateOutputs, stateVersionOf } from "../../../provider/src/migrations";
import { STATE_VERSION } from "../../../provider/src/outputs";
import { SortimentSubscriptionProvider } from "../../../provider/src/provider";
import { apiOf, startTestStandin, TestStandin } from "../../helpers/standin";
import { loadFixture, recordedVersions, StateResource, subscriptionOf } from "../../helpers/upgrade";

const shapesFile = path.resolve(__dirname, "..", "..", "fixtures", "upgrade", "state-shapes.json");
/** The output keys of each state shape, as recorded when the shape was released. */
const SHAPES = JSON.parse(fs.readFileSync(shapesFile, "utf8")) as Record<string, string[]>;

/** The subscription's outputs as a released version recorded them, without the SDK's `__provider`. */
function recordedOutputs(version: string): Record<string, unknown> {
    const resources = JSON.parse(loadFixture(version).stackExport).deployment.resources as StateResource[];
    const { __provider, ...outputs } = subscriptionOf(resources).outputs!;
    assert.equal(typeof __provider, "string", "the dynamic provider keeps the shim in outputs too");
    return outputs;
}

describe("state shapes and their migrations", function () {
    let s: TestStandin;
    before(async () => (s = await startTestStandin({ kommuner: 1 })));
    after(async () => s?.close());

    it("has one migration step for every shape before STATE_VERSION, and one recorded shape per version", function () {
        const steps = Object.keys(MIGRATIONS).map(Number).sort();
        assert.deepEqual(
            steps,
            Array.from({ length: STATE_VERSION - 1 }, (_, i) => i + 1),
        );
        assert.deepEqual(
            Object.keys(SHAPES).map(Number).sort(),
            Array.from({ length: STATE_VERSION }, (_, i) => i + 1),
        );
    });

    it("writes exactly the recorded shape of STATE_VERSION (a new output needs a new version)", async function () {
        const api = apiOf(s);
        const p = new SortimentSubscriptionProvider(api);
        const checked = await p.check(
            {},
            {
                ...gb10Subscription,
                kommunekode: "0101",
                managedBy: "p/s/n",
                validTo: "2099-01-01",
                repairExisting: false,
            },
        );
        assert.deepEqual(checked.failures ?? [], []);
        const { outs } = await p.create(checked.inputs as never);
        const keys = Object.keys(outs as object).sort();
        // Every key this version can write, beyond those of one create, is optional: recorded too.
        const recorded = SHAPES[String(STATE_VERSION)];
        const missing = keys.filter((k) => !recorded.includes(k));
        assert.deepEqual(missing, [], `outputs not in shape ${STATE_VERSION}: raise STATE_VERSION and add a migration`);
        assert.equal((outs as { stateVersion: number }).stateVersion, STATE_VERSION);
    });

    it("step 1 -> 2 records the version that wrote shape 1 (0.1.0) and changes nothing else", function () {
        const recorded = recordedOutputs("0.1.0");
        assert.equal(recorded.stateVersion, 1);
        const migrated = MIGRATIONS[1](recorded);
        assert.deepEqual(migrated, { ...recorded, providerVersion: "0.1.0" });
        assert.deepEqual(
            Object.keys(migrated).filter((k) => !SHAPES["2"].includes(k)),
            [],
        );
    });

    it("step 2 -> 3 takes the resource as the owner its note names (earlier versions wrote that note)", function () {
        const recorded = MIGRATIONS[1](recordedOutputs("0.1.0"));
        const migrated = MIGRATIONS[2](recorded);
        assert.deepEqual(migrated, { ...recorded, owner: recorded.managedBy });
        assert.equal(typeof migrated.owner, "string");
        // No managedBy recorded: no owner is assumed (the next refresh reads it from the note).
        assert.deepEqual(MIGRATIONS[2]({ stateVersion: 2, managedBy: "" }), { stateVersion: 2, managedBy: "" });
        assert.deepEqual(
            Object.keys(migrated).filter((k) => !SHAPES["3"].includes(k)),
            [],
        );
    });

    it("every recorded version's outputs migrate into today's shape: a renamed or dropped key needs a step", function () {
        for (const version of recordedVersions()) {
            const recorded = recordedOutputs(version);
            const shape = SHAPES[String(recorded.stateVersion)];
            assert.deepEqual(
                Object.keys(recorded).filter((k) => !shape.includes(k)),
                [],
                `${version} as recorded`,
            );
            const migrated = migrateOutputs(recorded) as unknown as Record<string, unknown>;
            const today = SHAPES[String(STATE_VERSION)];
            assert.deepEqual(
                Object.keys(migrated).filter((k) => !today.includes(k)),
                [],
                `${version} migrated`,
            );
            assert.equal(migrated.stateVersion, STATE_VERSION);
            assert.equal(typeof migrated.providerVersion, "string");
        }
    });

    it("reads outputs without a stateVersion as shape 1, and today's as they are", function () {
        assert.equal(stateVersionOf({}), 1);
        assert.equal(stateVersionOf({ stateVersion: STATE_VERSION }), STATE_VERSION);
        const today = { stateVersion: STATE_VERSION, abonnementUuid: "x", livscyklus: "Opstaaet" };
        assert.deepEqual(migrateOutputs(today), today);
    });

    it("refuses state written by a newer version before anything is sent (FK_NEWER_STATE)", async function () {
        const newer = { stateVersion: STATE_VERSION + 1, abonnementUuid: "0f0f0f0f-0000-4000-8000-000000000001" };
        assert.throws(
            () => migrateOutputs(newer),
            (e: FkError) =>
                e.code === "FK_NEWER_STATE" &&
                e.message.includes(`shape ${STATE_VERSION + 1}`) &&
                e.message.includes(newer.abonnementUuid),
        );
        // Through the provider: delete of such a subscription writes nothing.
        const p = new SortimentSubscriptionProvider();
        await assert.rejects(p.delete(newer.abonnementUuid, newer as never), /FK_NEWER_STATE|newer version/);
    });
});
