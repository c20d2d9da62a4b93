// The policy pack in the real engine, started as this project's commands start it (its analyzer
// executable, `--policy-pack policy/analyzer`) and as the standard folder (`--policy-pack policy`,
// through the SDK's run-policy-pack); and the pack as `pulumi policy publish` ships it (`npm pack`),
// installed on its own outside the repository, in both ways.
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { collect, PulumiWorkspace, repoRoot } from "../helpers/pulumi";
import { startTestStandin, TestStandin } from "../helpers/standin";
import { POLICY_PACK_DIR, policyPackArgument } from "../../cli/policy-pack";

const fixture = path.join(repoRoot, "test", "fixtures", "subscription");
const pack = policyPackArgument();

/**
 * Puts the stack's config back as before() left it, after every test, pass or fail: each test sets what
 * it needs, and one failure cannot leak its values into the next test.
 */
async function restoreConfig(ws: PulumiWorkspace, s: TestStandin): Promise<void> {
    const config = JSON.parse((await ws.mustRun(["config", "--json", "--stack", ws.stack])).stdout) as Record<
        string,
        unknown
    >;
    for (const key of Object.keys(config).filter((k) => k.startsWith("sub:")))
        await ws.mustRun(["config", "rm", "--stack", ws.stack, key]);
    await ws.setConfig("fk:endpoint", s.url);
    await ws.setConfig("kommune:kode", "0101");
}

describe("policy pack in the real engine", function () {
    let ws: PulumiWorkspace;
    let s: TestStandin;

    before(async function () {
        // Preview of a new stack reads what exists (the provider's plan), so it has a stand-in to ask.
        s = await startTestStandin({ kommuner: 1 });
        ws = await PulumiWorkspace.create({ programDir: fixture, kommunekode: "0101" });
        await ws.setConfig("fk:endpoint", s.url);
        await ws.setConfig("fk:token", s.kommuner[0].token, true);
    });
    afterEach(async () => ws && restoreConfig(ws, s));
    after(async () => {
        ws?.dispose();
        await s?.close();
    });

    it("passes a compliant stack", async function () {
        const res = await ws.preview(["--policy-pack", pack]);
        assert.equal(res.code, 0, res.output);
        assert.match(res.output, /fk-klassifikation/);
    });

    it("blocks schema version 1.2, naming the policy and what to change", async function () {
        await ws.setConfig("sub:skemaversion", "1.2");
        const res = await ws.preview(["--policy-pack", pack]);
        assert.notEqual(res.code, 0, res.output);
        assert.match(res.output, /fk-skemaversion/);
        assert.match(res.output, /mandatory/);
        assert.match(
            res.output,
            /SortimentSubscription "sub": skemaversion is "1\.2", expected "1\.3"\. Set skemaversion: "1\.3" in the program\./,
        );
    });

    it("a policy config file can widen the allowed versions", async function () {
        await ws.setConfig("sub:skemaversion", "1.2");
        const file = path.join(ws.root, "allow-1.2.json");
        fs.writeFileSync(file, JSON.stringify({ "fk-skemaversion": { allowedVersions: ["1.2", "1.3"] } }));
        const res = await ws.preview(["--policy-pack", pack, "--policy-pack-config", file]);
        assert.equal(res.code, 0, res.output);
    });

    it("a policy config file can lower the enforcement level to advisory", async function () {
        await ws.setConfig("sub:skemaversion", "1.2");
        const file = path.join(ws.root, "advisory.json");
        fs.writeFileSync(file, JSON.stringify({ "fk-skemaversion": "advisory" }));
        const res = await ws.preview(["--policy-pack", pack, "--policy-pack-config", file]);
        assert.equal(res.code, 0, res.output);
        assert.match(res.output, /advisory/);
        assert.match(res.output, /skemaversion is "1\.2"/);
    });

    it("blocks an explicit validFrom far in the past but not the default", async function () {
        await ws.setConfig("sub:validFrom", "2020-01-01");
        const res = await ws.preview(["--policy-pack", pack]);
        assert.notEqual(res.code, 0, res.output);
        assert.match(res.output, /fk-valid-from-window/);
        assert.match(res.output, /validFrom is "2020-01-01"/);
    });

    it("blocks two subscriptions for the same pair in one stack", async function () {
        await ws.setConfig("sub:count", "2");
        const res = await ws.preview(["--policy-pack", pack]);
        assert.notEqual(res.code, 0, res.output);
        assert.match(res.output, /fk-unique-subscription/);
        assert.match(res.output, /"sub-0" and "sub-1" both subscribe/);
    });

    it("a 10,000-character input: the provider's check (no policy judges it) shows it cut to a readable length", async function () {
        await ws.setConfig("sub:sortiment", "B".repeat(10_000));
        const res = await ws.preview(["--policy-pack", pack]);
        assert.notEqual(res.code, 0, res.output);
        assert.match(res.output, /sortiment is "B{80}…" \(10000 characters\): must be at most 200 characters/);
        assert.match(res.output, /✅ fk-klassifikation@/, "no policy fired: the message is the provider's");
        const longest = Math.max(...res.output.split("\n").map((l) => l.length));
        assert.ok(longest < 600, `the longest line has ${longest} characters`);
    });

    it("a value unknown at preview: the policy SDK reports the policy as not run (advisory); no guard of ours is reached", async function () {
        await ws.setConfig("sub:lateSkemaversion", "1.2");
        await ws.setConfig("sub:lateItSystemInstans", "00000000-0000-4000-8000-000000000001");
        const res = await ws.preview(["--policy-pack", pack]);
        assert.equal(res.code, 0, res.output);
        assert.match(res.output, /can't run policy 'fk-skemaversion' from policy pack .* during preview/);
        assert.doesNotMatch(res.output, /skemaversion is "1\.2"/);
    });

    it("blocks a plain-HTTP endpoint to another host", async function () {
        await ws.setConfig("fk:endpoint", "http://klassifikation.example.dk");
        const res = await ws.preview(["--policy-pack", pack]);
        assert.notEqual(res.code, 0, res.output);
        // The policy's own verdict, not only the provider's check (which refuses it too).
        assert.match(res.output, /\[mandatory\]\s+fk-https-endpoint/);
        assert.match(res.output, /endpoint is "http:\/\/klassifikation\.example\.dk", expected an https:\/\/ URL/);
    });

    it("the standard folder (--policy-pack policy, through the SDK) judges the same", async function () {
        assert.notEqual(pack, POLICY_PACK_DIR, "the other tests run the analyzer executable");
        const ok = await ws.preview(["--policy-pack", POLICY_PACK_DIR]);
        assert.equal(ok.code, 0, ok.output);
        assert.match(ok.output, new RegExp(`fk-klassifikation@v[0-9.]+ \\(local: ${POLICY_PACK_DIR}\\)`));
        await ws.setConfig("sub:skemaversion", "1.2");
        const res = await ws.preview(["--policy-pack", POLICY_PACK_DIR]);
        assert.notEqual(res.code, 0, res.output);
        assert.match(res.output, /\[mandatory\]\s+fk-skemaversion/);
        assert.match(res.output, /skemaversion is "1\.2", expected "1\.3"/);
    });
});

describe("policy pack as `pulumi policy publish` ships it", function () {
    let ws: PulumiWorkspace;
    let s: TestStandin;
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "fk-policy-pack-"));
    const installed = path.join(work, "package");

    /** Runs a command to its end; fails the test with its output when it does not succeed. */
    const mustRun = async (cmd: string, args: string[], cwd: string) => {
        const res = await collect(spawn(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"] }));
        assert.equal(res.code, 0, `${cmd} ${args.join(" ")}:\n${res.output}`);
        return res.stdout;
    };

    /** Every file under dir, relative to it. */
    const filesUnder = (dir: string): string[] =>
        fs
            .readdirSync(dir, { recursive: true, encoding: "utf8" })
            .filter((f) => fs.statSync(path.join(dir, f)).isFile());

    before(async function () {
        // What `pulumi policy publish` uploads is `npm pack` of the pack's folder.
        const out = await mustRun("npm", ["pack", "--pack-destination", work, "--silent"], POLICY_PACK_DIR);
        const tarball = path.join(work, out.trim().split("\n").pop()!);
        await mustRun("tar", ["-xzf", tarball, "-C", work], work);
        // Installed with its own dependencies only, where no package of this repository can be found.
        await mustRun(
            "npm",
            ["install", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline"],
            installed,
        );
        s = await startTestStandin({ kommuner: 1 });
        ws = await PulumiWorkspace.create({ programDir: fixture, kommunekode: "0101" });
        await ws.setConfig("fk:endpoint", s.url);
        await ws.setConfig("fk:token", s.kommuner[0].token, true);
    });
    afterEach(async () => ws && restoreConfig(ws, s));
    after(async () => {
        await s?.close();
        ws?.dispose();
        fs.rmSync(work, { recursive: true, force: true });
    });

    it("holds the compiled pack and the rules it judges by, and names no package of ours", function () {
        const files = filesUnder(installed).filter((f) => !f.startsWith("node_modules"));
        assert.ok(files.includes(path.join("dist", "policy", "index.js")), files.join("\n"));
        assert.ok(files.includes("analyzer"), files.join("\n"));
        assert.ok(files.includes("LICENSE"), files.join("\n"));
        assert.ok(files.includes(path.join("dist", "provider", "src", "kommuner.js")), files.join("\n"));
        assert.ok(!files.some((f) => f.endsWith(".ts")), "no sources");
        for (const f of files.filter((f) => f.endsWith(".js"))) {
            assert.doesNotMatch(fs.readFileSync(path.join(installed, f), "utf8"), /require\("@fk-iac\//, f);
        }
        const manifest = JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8"));
        assert.deepEqual(Object.keys(manifest.dependencies).sort(), ["@pulumi/policy", "@pulumi/pulumi"]);
    });

    it("passes a compliant stack and blocks schema version 1.2, as the repository's pack does", async function () {
        const ok = await ws.preview(["--policy-pack", installed]);
        assert.equal(ok.code, 0, ok.output);
        await ws.setConfig("sub:skemaversion", "1.2");
        const res = await ws.preview(["--policy-pack", installed]);
        assert.notEqual(res.code, 0, res.output);
        assert.match(res.output, /fk-skemaversion/);
        assert.match(res.output, /skemaversion is "1\.2", expected "1\.3"/);
    });

    it("its analyzer executable, installed with it, serves the same pack", async function () {
        const analyzer = path.join(installed, "analyzer");
        assert.ok((fs.statSync(analyzer).mode & 0o111) !== 0, "the analyzer stays executable in the package");
        await ws.setConfig("sub:skemaversion", "1.2");
        const res = await ws.preview(["--policy-pack", analyzer]);
        assert.notEqual(res.code, 0, res.output);
        assert.match(res.output, /\[mandatory\]\s+fk-skemaversion/);
        assert.match(res.output, /skemaversion is "1\.2", expected "1\.3"/);
    });

    it("refuses a kommunekode that is not one of the 98, from the rules compiled into it", async function () {
        await ws.setConfig("kommune:kode", "0102");
        const res = await ws.preview(["--policy-pack", installed]);
        assert.notEqual(res.code, 0, res.output);
        assert.match(res.output, /\[mandatory\]\s+fk-kommunekode/);
    });
});
