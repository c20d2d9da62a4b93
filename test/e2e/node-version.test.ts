// A Node.js that is too old says so in one sentence. `pulumi` runs the program with the first `node` on
// PATH; several current Linux distributions ship Node.js 20, which cannot run index.ts. Through the real
// CLI with such a node first on PATH, the root program must stop with the version found and the one needed,
// not with Node's TypeError and stack trace.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { PulumiWorkspace, repoRoot } from "../helpers/pulumi";
import { rootProgram } from "../helpers/workspaces";

/** An installed Node.js older than the project needs (Debian's is 20), or undefined. */
function oldNode(): { bin: string; version: string } | undefined {
    for (const bin of ["/usr/bin/node", "/usr/local/bin/node"]) {
        if (!fs.existsSync(bin)) continue;
        const version = execFileSync(bin, ["--version"], { encoding: "utf8" }).trim().replace(/^v/, "");
        const [major, minor] = version.split(".").map(Number);
        if (major < 22 || (major === 22 && minor < 18)) return { bin, version };
    }
    return undefined;
}

describe("a Node.js too old for the program", function () {
    it("pulumi preview of the root program ends in one sentence naming the version found and the one needed", async function () {
        const found = oldNode();
        if (!found) return this.skip(); // no older Node.js on this machine to try it with
        const old = found;
        const program = rootProgram();
        const shadow = fs.mkdtempSync(path.join(repoRoot, ".work", "old-node-"));
        fs.symlinkSync(old.bin, path.join(shadow, "node"));
        const ws = await PulumiWorkspace.create({ programDir: program, kommunekode: "0101" });
        try {
            await ws.setConfig("kommune:navn", "København");
            const res = await ws.preview([], { PATH: `${shadow}${path.delimiter}${process.env.PATH}` });
            assert.notEqual(res.code, 0, res.output);
            assert.match(
                res.output,
                new RegExp(
                    `Node\\.js ${old.version.replace(/\./g, "\\.")} \\(.*\\) is too old for this program: it needs Node\\.js 22\\.18 or newer`,
                ),
            );
            assert.doesNotMatch(res.output, /Unknown file extension|TypeError/);
            assert.doesNotMatch(res.output, /^\s+at .*:\d+:\d+\)?$/m, "no stack trace");
        } finally {
            ws.dispose();
            fs.rmSync(program, { recursive: true, force: true });
            fs.rmSync(shadow, { recursive: true, force: true });
        }
    });
});
