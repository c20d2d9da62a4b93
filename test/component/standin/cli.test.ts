// The stand-in's command line as a newcomer meets it: --help answers, and a flag it does not know is
// named.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { repoRoot } from "../../helpers/pulumi";

const cli = path.join(repoRoot, "standin", "dist", "cli.js");
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 20_000 });

describe("fk-standin's command line", function () {
    it("--help prints every option and a seed, and exits 0 without starting", function () {
        const res = run("--help");
        assert.equal(res.status, 0, res.stderr);
        for (const flag of ["--port", "--db", "--seed", "--brownfield", "--faults", "--tls-cert", "hash-token"]) {
            assert.ok(res.stdout.includes(flag), flag);
        }
        assert.match(res.stdout, /FK_STANDIN_ADMIN_TOKEN/);
        assert.match(res.stdout, /serviceAgreements/);
    });

    it("names an unknown flag", function () {
        const res = run("--no-such-flag");
        assert.equal(res.status, 2);
        assert.match(res.stderr, /no-such-flag/);
    });
});
