// The upgrade guard: a new serialized shim or a new output shape fails here unless it is released
// with what an upgrade needs: a fixture of its own (so the e2e replay, test/e2e/upgrade.test.ts, runs
// every recorded shim and shape on the real engine) and a CHANGELOG entry that says so. A change that
// would replace existing subscriptions fails that replay (preview --expect-no-changes) unless a
// migration step keeps the stored state matching.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { STATE_VERSION } from "../../../provider/src/outputs";
import { PROVIDER_VERSION } from "../../../provider/src/version";
import { repoRoot } from "../../helpers/pulumi";
import { sha256Hex } from "@fk-iac/klassifikation-standin";
import { serializedShim } from "../../helpers/shim";
import {
    changelogSection,
    FixtureMeta,
    loadFixture,
    recordedVersions,
    UpgradeFacts,
    upgradeProblems,
} from "../../helpers/upgrade";

const changelog = fs.readFileSync(path.join(repoRoot, "CHANGELOG.md"), "utf8");

/** A recorded version for the synthetic cases. */
function meta(version: string, stateVersion: number, shimSha256: string): FixtureMeta {
    return {
        version,
        recorded: "2026-12-02",
        stack: "upgrade",
        config: {},
        endpoint: "http://127.0.0.1:1",
        passphrase: "p",
        stateVersion,
        shimSha256,
        inputs: [],
        onDestroy: "endDate",
    };
}

const OLD = "a".repeat(64);
const NEW = "b".repeat(64);
const base: UpgradeFacts = {
    providerVersion: "0.3.0",
    stateVersion: 2,
    shimSha256: OLD,
    fixtures: [meta("0.1.0", 1, OLD), meta("0.2.0", 2, OLD)],
    changelog: "# Changelog\n\n## Unreleased\n\nNothing.\n\n## 0.2.0\n\nOutputs of STATE_VERSION 2.\n\n## 0.1.0\n",
};

describe("upgrade guard", function () {
    it("today's code upgrades every recorded version in place, and the CHANGELOG says what changed", async function () {
        const facts: UpgradeFacts = {
            providerVersion: PROVIDER_VERSION,
            stateVersion: STATE_VERSION,
            shimSha256: sha256Hex(await serializedShim()),
            fixtures: recordedVersions().map((v) => loadFixture(v).meta),
            changelog,
        };
        assert.deepEqual(upgradeProblems(facts), []);
    });

    it("passes a release that changes neither shim nor shape", function () {
        assert.deepEqual(upgradeProblems(base), []);
    });

    it("fails a new serialized shim until it is released with a fixture of its own", function () {
        const [problem, ...more] = upgradeProblems({ ...base, shimSha256: NEW });
        assert.deepEqual(more, []);
        assert.match(problem, /since 0\.2\.0 \(aaaaaaaaaaaa -> bbbbbbbbbbbb\)/);
        assert.match(problem, /keep running the recorded one on refresh and destroy/);
        assert.match(problem, /npm run record-fixture/);
    });

    it("fails a released new shim whose CHANGELOG section does not name it", function () {
        const released = { ...base, shimSha256: NEW, fixtures: [...base.fixtures, meta("0.3.0", 2, NEW)] };
        const unsaid = base.changelog.replace("## Unreleased", "## 0.3.0");
        assert.deepEqual(upgradeProblems({ ...released, changelog: unsaid }), [
            "CHANGELOG.md, section 0.3.0: name its new serialized shim (bbbbbbbbbbbb)",
        ]);
        const said = unsaid.replace("Nothing.", "A new serialized shim (bbbbbbbbbbbb); nothing to do.");
        assert.deepEqual(upgradeProblems({ ...released, changelog: said }), []);
    });

    it("fails a new output shape without a fixture of its own, or without its CHANGELOG entry", function () {
        const raised = upgradeProblems({ ...base, stateVersion: 3 }).join("\n");
        assert.match(raised, /STATE_VERSION is 3 but the latest recorded version \(0\.2\.0\) wrote 2/);
        assert.match(raised, /section 0\.3\.0: name the new output shape \(STATE_VERSION 3\)/);
        const unsaid = { ...base, changelog: base.changelog.replace("STATE_VERSION 2", "two") };
        assert.match(
            upgradeProblems(unsaid).join("\n"),
            /section 0\.2\.0: name the new output shape \(STATE_VERSION 2\)/,
        );
    });

    it("reads a version's CHANGELOG section, else Unreleased", function () {
        assert.match(changelogSection(base.changelog, "0.2.0"), /STATE_VERSION 2/);
        assert.match(changelogSection(base.changelog, "0.9.0"), /Nothing/);
        assert.equal(changelogSection("# Changelog\n", "0.1.0"), "");
    });
});
