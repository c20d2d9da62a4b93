// The user's own path, on a clean clone of the repository: `npm ci`, then plain `pulumi` commands
// (the CLI on PATH, no project script and no test helper that builds anything in between), as an IT
// team with Node.js and its own Pulumi CLI runs it. Also: a stack never acts for another
// municipality, and a hung endpoint fails within a deadline with its reason printed once.
//
// The clone is of the committed HEAD (uncommitted changes are not in it), outside the repository, so
// nothing of this working tree (node_modules, dist, .pulumi-local) can help it.
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { collect, CliResult, POLICY_PASSED, repoRoot } from "../helpers/pulumi";
import { startTestStandin, TestStandin } from "../helpers/standin";

const WRITES = ["opretAbonnement", "retAbonnement", "passiverAbonnement", "sletAbonnement"];

describe("the user's path on a clean clone: npm ci, then plain pulumi", function () {
    let dir: string;
    let clone: string;
    let s: TestStandin;
    let env: NodeJS.ProcessEnv;
    let closed = false;
    const writes = () => WRITES.reduce((n, op) => n + (s.server.stats()[op]?.total ?? 0), 0);

    /** Runs a command in the clone; `input` goes to its standard input. */
    function run(cmd: string, args: string[], input?: string): Promise<CliResult> {
        const child = spawn(cmd, args, {
            cwd: clone,
            env,
            stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
        });
        if (input !== undefined) child.stdin!.end(input);
        return collect(child);
    }
    async function must(cmd: string, args: string[], input?: string): Promise<CliResult> {
        const res = await run(cmd, args, input);
        assert.equal(res.code, 0, `${cmd} ${args.join(" ")} exited ${res.code}:\n${res.output.slice(-4000)}`);
        return res;
    }
    // Global flags first: anything after a "--" in args is a value, never a flag.
    const pulumi = (args: string[], input?: string) =>
        run("pulumi", ["--non-interactive", "--color", "never", ...args], input);

    before(async function () {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "fk-user-path-"));
        clone = path.join(dir, "clone");
        env = {
            ...process.env,
            PULUMI_HOME: path.join(dir, "pulumi-home"),
            PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
            PULUMI_CONFIG_PASSPHRASE: "user-path-passphrase",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            NO_COLOR: "1",
        };
        for (const k of Object.keys(env)) if (k.startsWith("FK_KLASSIFIKATION_")) delete env[k];
        fs.mkdirSync(path.join(dir, "state"));
        s = await startTestStandin();
        const cloned = await collect(
            spawn("git", ["clone", "-q", repoRoot, clone], { stdio: ["ignore", "pipe", "pipe"] }),
        );
        assert.equal(cloned.code, 0, cloned.output);
        assert.ok(!fs.existsSync(path.join(clone, "provider", "dist")), "the clone starts with nothing built");
    });
    after(async function () {
        if (!closed) await s?.close();
        if (process.env.FK_KEEP_WORK !== "1" && dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("npm ci installs and builds what the program needs", async function () {
        await must("npm", ["ci", "--no-audit", "--no-fund"]);
        for (const built of [
            "provider/dist/index.js",
            "provider/dist/rules.js",
            "standin/dist/cli.js",
            "policy/dist/policy/index.js",
        ]) {
            assert.ok(fs.existsSync(path.join(clone, built)), `${built} was built by npm ci`);
        }
    });

    it('pulumi stack init, config set (a token beginning with "-", on stdin) and up --policy-pack create the subscription', async function () {
        const kbh = s.kommuner[0];
        assert.ok(kbh.token.startsWith("-"), "the test token begins with '-' on purpose");
        assert.equal((await pulumi(["stack", "init", "kobenhavn"])).code, 0);
        assert.equal((await pulumi(["config", "set", "fk:endpoint", s.url])).code, 0);
        // As the README says: the token on standard input, so no value can be read as a flag.
        const set = await pulumi(["config", "set", "--secret", "fk:token"], `${kbh.token}\n`);
        assert.equal(set.code, 0, set.output);
        const up = await pulumi(["up", "--yes", "--policy-pack", "policy"]);
        assert.equal(up.code, 0, up.output);
        assert.match(up.output, POLICY_PASSED);
        assert.doesNotMatch(up.output, /\(node:\d+\) \[?\w*\]? ?\w*Warning/, "Node.js warns about nothing");
        const subs = (await s.admin("GET", "/admin/abonnementer?kommunekode=0101")).items;
        assert.equal(subs.length, 1);
        assert.equal(subs[0].skemaversion, "1.3");
        assert.equal(subs[0].virkning.to, null);
        const stackFile = fs.readFileSync(path.join(clone, "Pulumi.kobenhavn.yaml"), "utf8");
        assert.ok(!stackFile.includes(kbh.token), "the token is stored encrypted");
    });

    it('the README\'s other form, `config set --secret fk:token -- "$TOKEN"`, works for a token beginning with "-"', async function () {
        const set = await pulumi(["config", "set", "--secret", "fk:token", "--", s.kommuner[0].token]);
        assert.equal(set.code, 0, set.output);
        const shown = await pulumi(["config", "get", "fk:token"]);
        assert.equal(shown.stdout.trim(), s.kommuner[0].token);
        const preview = await pulumi(["preview", "--expect-no-changes", "--policy-pack", "policy"]);
        assert.equal(preview.code, 0, preview.output);
    });

    it("the policy pack runs compiled, and refuses to run stale after its sources change", async function () {
        // As after a `git pull` without a build: the source is newer than its compiled file. The build's
        // time is set an hour before the source's own time, so the source is newer by construction,
        // however long the steps before this one took.
        const source = fs.statSync(path.join(clone, "policy", "schema-version.ts")).mtimeMs;
        const earlier = new Date(source - 3_600_000);
        fs.utimesSync(path.join(clone, "policy", "dist", "policy", "schema-version.js"), earlier, earlier);
        const stale = await pulumi(["preview", "--policy-pack", "policy"]);
        assert.notEqual(stale.code, 0, stale.output);
        assert.match(
            stale.output,
            /the policy pack in .*policy was built before its sources changed \(policy\/schema-version\.ts newer than dist\/\)\. Run `npm run build`/,
        );
        assert.doesNotMatch(stale.output, /at assertBuiltFromCurrentSources/, "no stack trace");
        await must("npm", ["run", "--silent", "build"]);
        const fresh = await pulumi(["preview", "--expect-no-changes", "--policy-pack", "policy"]);
        assert.equal(fresh.code, 0, fresh.output);
    });

    it("a København stack with Aarhus's token refuses create and destroy before any write, naming both", async function () {
        const aarhus = s.kommuner[1];
        assert.equal((await pulumi(["stack", "init", "kbh-other-token"])).code, 0);
        await must("pulumi", ["config", "set", "kommune:kode", "0101", "--non-interactive"]);
        await must("pulumi", ["config", "set", "kommune:navn", "København", "--non-interactive"]);
        await must("pulumi", ["config", "set", "fk:endpoint", s.url, "--non-interactive"]);
        await must("pulumi", ["config", "set", "--secret", "fk:token", "--non-interactive"], aarhus.token);
        s.server.resetStats();
        const up = await pulumi(["up", "--yes", "--policy-pack", "policy"]);
        assert.notEqual(up.code, 0, up.output);
        assert.match(
            up.output,
            /belongs to København \(0101\), but the credentials for http:\/\/127\.0\.0\.1:\d+ act for Aarhus \(0751\)\. Nothing was sent/,
        );
        assert.match(up.output, /FK_WRONG_MUNICIPALITY/);
        assert.equal(writes(), 0, "no write reached the API");
        assert.equal(
            (await s.admin("GET", "/admin/abonnementer?kommunekode=0751")).items.length,
            0,
            "nothing was created for Aarhus",
        );
        assert.ok(!up.output.includes(aarhus.token));

        // The København stack that has a subscription, given Aarhus's token. An up with no changes
        // writes nothing and records the new settings (refresh and destroy use the recorded ones);
        // then refresh refuses rather than dropping the subscription from state as gone, and destroy
        // refuses rather than ending it.
        await must("pulumi", ["stack", "select", "kobenhavn", "--non-interactive"]);
        await must("pulumi", ["config", "set", "--secret", "fk:token", "--non-interactive"], aarhus.token);
        await must("pulumi", ["up", "--yes", "--non-interactive", "--policy-pack", "policy"]);
        for (const args of [
            ["refresh", "--yes"],
            ["destroy", "--yes"],
        ]) {
            const res = await pulumi(args);
            assert.notEqual(res.code, 0, res.output);
            const operation = args[0] === "refresh" ? "Laes abonnement" : "Ret abonnement";
            assert.match(
                res.output,
                new RegExp(`refusing ${operation}: .*belongs to København \\(0101\\).*act for Aarhus \\(0751\\)`),
            );
        }
        assert.equal(writes(), 0, "no write reached the API");
        const kbh = (await s.admin("GET", "/admin/abonnementer?kommunekode=0101")).items;
        assert.deepEqual(
            kbh.map((a: any) => a.virkning.to),
            [null],
            "København's subscription is untouched",
        );
        const state = JSON.parse((await must("pulumi", ["stack", "export", "--non-interactive"])).stdout);
        assert.equal(
            state.deployment.resources.filter((r: any) => r.type.endsWith("fk-klassifikation:SortimentSubscription"))
                .length,
            1,
            "the subscription is still in state",
        );
        await must("pulumi", ["config", "set", "--secret", "fk:token", "--non-interactive"], s.kommuner[0].token);
        await must("pulumi", ["up", "--yes", "--non-interactive", "--policy-pack", "policy"]);
    });

    it("a hung endpoint fails refresh within 60 s by default, naming the endpoint and the deadline, once, without a stack trace", async function () {
        // The recorded endpoint now accepts connections and never answers.
        const port = Number(new URL(s.url).port);
        await s.close();
        closed = true;
        const hung = net.createServer(() => undefined);
        await new Promise<void>((resolve) => hung.listen(port, "127.0.0.1", resolve));
        try {
            const started = Date.now();
            const refresh = await pulumi(["refresh", "--yes"]);
            const seconds = (Date.now() - started) / 1000;
            assert.notEqual(refresh.code, 0, refresh.output);
            assert.ok(seconds < 60, `refresh took ${seconds.toFixed(1)} s`);
            // The engine's progress view repeats each resource's error on its line; the Diagnostics
            // section, where a failure is explained, has it once, and nothing else from the provider.
            const diagnostics = refresh.output.slice(refresh.output.indexOf("Diagnostics:"));
            const reason =
                /the classification API at http:\/\/127\.0\.0\.1:\d+ did not finish Laes myndighed within the deadline of 45 s/g;
            assert.equal(diagnostics.match(reason)?.length, 1, `the reason once:\n${refresh.output}`);
            assert.doesNotMatch(diagnostics, /FkError/, "no echo of the error object");
            assert.match(refresh.output, /fk:deadlineMs/);
            assert.doesNotMatch(refresh.output, /^\s+at .+\(.+:\d+:\d+\)$/m, "no JavaScript stack trace");
        } finally {
            hung.close();
        }
    });
});
