// The upgrade guard: a change that would replace existing subscriptions (a new serialized shim) or
// change the output shape fails here unless it comes with what an upgrade needs: a declaration in
// REPLACING_RELEASES, a fixture of its own, and a CHANGELOG entry that says so. The e2e replay of the
// recorded versions (test/e2e/upgrade.test.ts) then proves the upgrade on the real engine.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPLACING_RELEASES } from "../../../provider/src/migrations";
import { STATE_VERSION } from "../../../provider/src/outputs";
import { PROVIDER_VERSION } from "../../../provider/src/version";
import { repoRoot } from "../../helpers/pulumi";
import { serializedShim } from "../../helpers/shim";
import {
    changelogSection,
    FixtureMeta,
    loadFixture,
    recordedVersions,
    sha256,
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
    replacing: [],
};

describe("upgrade guard", function () {
    it("today's code upgrades every recorded version in place, and the CHANGELOG says what changed", async function () {
        const facts: UpgradeFacts = {
            providerVersion: PROVIDER_VERSION,
            stateVersion: STATE_VERSION,
            shimSha256: sha256(await serializedShim()),
            fixtures: recordedVersions().map((v) => loadFixture(v).meta),
            changelog,
            replacing: REPLACING_RELEASES,
        };
        assert.deepEqual(upgradeProblems(facts), []);
    });

    it("passes a release that changes neither shim nor shape", function () {
        assert.deepEqual(upgradeProblems(base), []);
    });

    it("fails a new serialized shim that is not declared: it would replace every subscription", function () {
        const [problem, ...more] = upgradeProblems({ ...base, shimSha256: NEW });
        assert.deepEqual(more, []);
        assert.match(problem, /since 0\.2\.0 \(aaaaaaaaaaaa -> bbbbbbbbbbbb\)/);
        assert.match(problem, /replace every existing subscription/);
        assert.match(problem, /REPLACING_RELEASES/);
    });

    it("fails a declared new shim until its CHANGELOG section says it replaces and names it", function () {
        const declared = { ...base, shimSha256: NEW, replacing: [{ version: "0.3.0", shimSha256: NEW, why: "x" }] };
        assert.match(upgradeProblems(declared).join("\n"), /section 0\.3\.0: say that upgrading replaces/);
        const said = base.changelog.replace(
            "Nothing.",
            "Upgrading replaces every subscription (new shim bbbbbbbbbbbb): end them first.",
        );
        assert.deepEqual(upgradeProblems({ ...declared, changelog: said }), []);
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
