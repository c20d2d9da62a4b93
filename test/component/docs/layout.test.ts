// CONTRIBUTING's layout names every module of the product, so a newcomer finds each one's job there:
// a module added or renamed without a line there fails here.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

const root = path.resolve(__dirname, "..", "..", "..");
const FOLDERS = ["provider/src", "standin/src", "policy", "cli", "cli/fleet", "cli/page"];

describe("CONTRIBUTING's layout", function () {
    it("names every module of the provider, the stand-in, the policy pack and the CLI", function () {
        const contributing = fs.readFileSync(path.join(root, "CONTRIBUTING.md"), "utf8");
        const layout = /## Layout\n([\s\S]*?)\n## /.exec(contributing)?.[1] ?? "";
        const modules = FOLDERS.flatMap((folder) =>
            fs
                .readdirSync(path.join(root, folder))
                .filter((f) => /\.(ts|js|mustache|css)$/.test(f) && !f.endsWith(".d.ts"))
                .map((f) => `${folder}/${f}`),
        );
        assert.ok(modules.length > 60, `${modules.length} modules`);
        const unnamed = modules.filter(
            (m) => !new RegExp(`\\b${path.basename(m).replace(/\./g, "\\.")}\\b`).test(layout),
        );
        assert.deepEqual(unnamed, [], "each needs a line in CONTRIBUTING.md's layout");
    });
});
