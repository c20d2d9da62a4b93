// Smoke tests for the engine set-up itself: the real CLI, our language host, the dynamic-provider
// plugin launcher and a policy pack, on the local file backend.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { PulumiWorkspace, repoRoot } from "../helpers/pulumi";

const fixtures = path.join(repoRoot, "test", "fixtures");

describe("engine smoke (real Pulumi CLI)", function () {
    let ws: PulumiWorkspace;
    let target: string;

    before(async function () {
        ws = await PulumiWorkspace.create({ programDir: path.join(fixtures, "smoke") });
        target = path.join(ws.root, "owned.txt");
        await ws.setConfig("path", target);
    });
    after(() => ws?.dispose());

    it("reports the pinned CLI version or newer", async function () {
        const res = await ws.mustRun(["version"]);
        // The version the project builds (scripts/tools.sh); a user's own CLI may be newer, never older.
        const tools = fs.readFileSync(path.join(repoRoot, "scripts", "tools.sh"), "utf8");
        const pinned = /^FK_PULUMI_VERSION="(\d+)\.(\d+)\.(\d+)"/m.exec(tools);
        assert.ok(pinned, "FK_PULUMI_VERSION in scripts/tools.sh");
        const found = /^v(\d+)\.(\d+)\.(\d+)/.exec(res.stdout.trim());
        assert.ok(found, `pulumi version printed ${JSON.stringify(res.stdout)}`);
        const [a, b] = [found, pinned].map((m) => m.slice(1, 4).map(Number));
        const newer = a[0] === b[0] && (a[1] > b[1] || (a[1] === b[1] && a[2] >= b[2]));
        assert.ok(newer, `pulumi ${res.stdout.trim()} is older than the pinned v${pinned.slice(1, 4).join(".")}`);
    });

    it("up creates the dynamic resource", async function () {
        const res = await ws.up();
        assert.equal(res.code, 0, res.output);
        assert.equal(fs.readFileSync(target, "utf8"), "hello");
        assert.equal((await ws.outputs()).filePath, target);
        const types = ws.resources().map((r) => r.type);
        assert.ok(types.includes("pulumi-nodejs:dynamic/smoke:OwnedFile"), types.join(", "));
    });

    it("preview afterwards reports no changes", async function () {
        const res = await ws.preview(["--expect-no-changes"]);
        assert.equal(res.code, 0, res.output);
    });

    it("an input change is previewed as an update and applied", async function () {
        await ws.setConfig("content", "changed");
        const pre = await ws.preview(["--expect-no-changes"]);
        assert.notEqual(pre.code, 0, "preview must report the pending change");
        assert.match(pre.output, /~ +(pulumi-nodejs:dynamic\/smoke:OwnedFile|smoke:OwnedFile) +owned +update/);
        const res = await ws.up();
        assert.equal(res.code, 0, res.output);
        assert.equal(fs.readFileSync(target, "utf8"), "changed");
    });

    it("a policy pack blocks a violating resource under preview --policy-pack", async function () {
        await ws.setConfig("forbidden", "true");
        const res = await ws.preview(["--policy-pack", path.join(fixtures, "smoke-policy")]);
        assert.notEqual(res.code, 0, res.output);
        assert.match(res.output, /no-forbidden-files/);
        assert.match(res.output, /mandatory/);
        assert.match(res.output, /owned is marked forbidden; set forbidden to false/);
        await ws.setConfig("forbidden", "false");
        const ok = await ws.preview(["--policy-pack", path.join(fixtures, "smoke-policy")]);
        assert.equal(ok.code, 0, ok.output);
    });

    it("destroy removes it", async function () {
        const res = await ws.destroy();
        assert.equal(res.code, 0, res.output);
        assert.equal(fs.existsSync(target), false);
        assert.equal(ws.resources().length, 0);
    });
});
