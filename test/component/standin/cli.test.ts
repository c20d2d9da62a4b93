// The stand-in's command line as a newcomer meets it: --help answers, a flag it does not know is
// named, and a start prints its URL without Node's warning about node:sqlite.
import * as assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { seedFileSchema, startStandin } from "@fk-iac/klassifikation-standin";
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

    it("starts without Node's SQLite warning, and says where it listens", async function () {
        const child = spawn(process.execPath, [cli, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
        let stderr = "";
        child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
        const first = await new Promise<string>((resolve, reject) => {
            child.stdout.setEncoding("utf8").once("data", resolve);
            child.once("exit", (code) => reject(new Error(`exited ${code}: ${stderr}`)));
        });
        child.kill();
        assert.match(JSON.parse(first.split("\n")[0]).url as string, /^http:\/\/127\.0\.0\.1:\d+/);
        assert.doesNotMatch(stderr, /SQLite|ExperimentalWarning/);
    });

    it("drops only that warning: others still print", function () {
        const quiet = path.join(repoRoot, "standin", "dist", "quiet-sqlite.js");
        const res = spawnSync(
            process.execPath,
            [
                "-e",
                `require(${JSON.stringify(quiet)});
                process.emitWarning("SQLite is an experimental feature and might change at any time", "ExperimentalWarning");
                process.emitWarning("Another feature is experimental", "ExperimentalWarning");
                process.emitWarning("something else", { type: "DeprecationWarning" });`,
            ],
            { encoding: "utf8" },
        );
        assert.doesNotMatch(res.stderr, /SQLite/);
        assert.match(res.stderr, /ExperimentalWarning: Another feature is experimental/);
        assert.match(res.stderr, /DeprecationWarning: something else/);
    });
});

describe("the stand-in's README", function () {
    it("its seed example is a valid seed, and a stand-in started with it serves what it says", async function () {
        const readme = fs.readFileSync(path.join(repoRoot, "standin", "README.md"), "utf8");
        const example = /```json\n([\s\S]*?)```/.exec(readme)?.[1];
        assert.ok(example, "the README has a seed example");
        const seed = seedFileSchema.parse(JSON.parse(example));
        const standin = await startStandin({ seed });
        try {
            const [a] = standin.service.all("0101");
            assert.equal(a.virkning.to, "2024-05-16");
            assert.equal(a.registrering.oprettetAf, "bruger:klassifikationsadministrator (København, web-UI)");
            // The hash is of the token "test": the README's example is usable as it stands.
            const res = await fetch(`${standin.url}/api/v1/myndighed`, { headers: { Authorization: "Bearer test" } });
            assert.deepEqual(await res.json(), { kommunekode: "0101", navn: "København" });
        } finally {
            await standin.close();
        }
    });
});
