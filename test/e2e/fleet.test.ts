// The fleet command over 10 municipalities, each with its own credentials, against the stand-in:
// one failing municipality does not stop the others, and a rerun converges doing only what is needed.
// The CLI on PATH is wrapped so the test sees every call the fleet makes: one per stack and operation
// (and one `stack select --create` when a stack is first seen), with the program run inline.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { InventoryError, readInventory } from "../../cli/fleet/inventory";
import { fleetIn, startFleet } from "../helpers/fleet";
import { collect, repoRoot } from "../helpers/pulumi";
import { which } from "../helpers/proc";
import { randomToken, startTestStandin, tenantsFor, TestStandin } from "../helpers/standin";
import { localBackendUrl } from "../../cli/local";

const KOMMUNER: Array<[string, string]> = [
    ["0101", "København"],
    ["0147", "Frederiksberg"],
    ["0151", "Ballerup"],
    ["0153", "Brøndby"],
    ["0155", "Dragør"],
    ["0157", "Gentofte"],
    ["0159", "Gladsaxe"],
    ["0161", "Glostrup"],
    ["0163", "Herlev"],
    ["0165", "Albertslund"],
];

describe("fleet (real engine, programs inline)", function () {
    let s: TestStandin;
    const dir = path.join(repoRoot, ".work", `fleet-${process.pid}`);
    const inventory = path.join(dir, "inventory.yaml");
    const tokens = new Map(KOMMUNER.map(([kode]) => [kode, randomToken()]));
    let env: NodeJS.ProcessEnv;

    const fleet = fleetIn(dir, inventory, () => env);
    const report = () => JSON.parse(fs.readFileSync(path.join(dir, "report.json"), "utf8"));
    const cliLog = path.join(dir, "cli-calls.log");
    /** The CLI calls since the last look, one line of arguments each. */
    const cliCalls = () => {
        const calls = fs.existsSync(cliLog) ? fs.readFileSync(cliLog, "utf8").split("\n").filter(Boolean) : [];
        fs.rmSync(cliLog, { force: true });
        return calls;
    };
    const stackOf = (call: string) => /--stack (\S+)/.exec(call)?.[1];

    before(async function () {
        fs.mkdirSync(dir, { recursive: true });
        s = await startTestStandin({
            kommuner: 0,
            seed: { tenants: tenantsFor(tokens) },
        });
        const rows = KOMMUNER.map(
            ([kode, navn]) =>
                `  - { kommunekode: "${kode}", navn: ${navn}, endpoint: "${s.url}", credentials: "env:FK_TOKEN_${kode}" }`,
        );
        fs.writeFileSync(inventory, `kommuner:\n${rows.join("\n")}\n`);
        env = {
            ...process.env,
            PULUMI_BACKEND_URL: localBackendUrl(path.join(dir, "backend")),
            PULUMI_CONFIG_PASSPHRASE: "fleet-test",
            PULUMI_HOME: path.join(dir, "pulumi-home"),
            ...Object.fromEntries(KOMMUNER.map(([kode]) => [`FK_TOKEN_${kode}`, tokens.get(kode)!])),
        };
        fs.mkdirSync(path.join(dir, "backend"), { recursive: true });
        const shim = path.join(dir, "shim");
        fs.mkdirSync(shim);
        fs.writeFileSync(
            path.join(shim, "pulumi"),
            `#!/bin/sh\nprintf '%s\\n' "$*" >> '${cliLog}'\nexec '${which("pulumi")}' "$@"\n`,
            { mode: 0o755 },
        );
        env.PATH = `${shim}${path.delimiter}${env.PATH}`;
        // Gladsaxe's token is wrong in this run.
        env.FK_TOKEN_0159 = "wrong-token-for-gladsaxe";
    });
    after(async function () {
        await s?.close();
        if (process.env.FK_KEEP_WORK !== "1") fs.rmSync(dir, { recursive: true, force: true });
    });

    it("up: nine municipalities succeed while one fails on its credentials", async function () {
        const res = await fleet(["up", "--concurrency", "4"]);
        assert.equal(res.code, 1, res.output);
        const r = report();
        assert.deepEqual(r.totals, { succeeded: 9, failed: 1, skipped: 0 });
        const failed = r.stacks.find((x: any) => x.result === "failed");
        assert.equal(failed.kommunekode, "0159");
        assert.match(failed.message, /FK_UNAUTHORIZED/);
        assert.doesNotMatch(res.output, /wrong-token-for-gladsaxe/);
        for (const [kode] of KOMMUNER.filter(([k]) => k !== "0159")) {
            const subs = (await s.admin("GET", `/admin/abonnementer?kommunekode=${kode}`)).items;
            assert.equal(subs.length, 1, `kommune ${kode}`);
        }
        assert.match(res.stdout, /up: 9 succeeded, 1 failed, 0 skipped \(10 municipalities, concurrency 4\)/);
        assert.match(res.stderr, /\[0159 Gladsaxe\] failed/, "plain progress lines when not on a terminal");
        const calls = cliCalls();
        assert.equal(calls.filter((c) => c === "version").length, 1, calls.join("\n"));
        for (const c of calls.filter((c) => c !== "version"))
            assert.match(c, /^(stack select --create|up) --stack /, c);
        const ups = calls.filter((c) => c.startsWith("up "));
        assert.equal(ups.length, 10, calls.join("\n"));
        assert.equal(new Set(ups.map(stackOf)).size, 10, "one up per stack");
        assert.equal(calls.filter((c) => c.startsWith("stack select --create")).length, 10, calls.join("\n"));
        for (const up of ups)
            assert.match(up, /--client=127\.0\.0\.1:\d+ --exec-kind auto\.inline/, "the program runs inline");
    });

    it("rerun with the credentials fixed converges, touching only the failed one", async function () {
        s.server.resetStats();
        const res = await fleet(["up", "--concurrency", "4"], { FK_TOKEN_0159: tokens.get("0159")! });
        assert.equal(res.code, 0, res.output);
        const r = report();
        assert.deepEqual(r.totals, { succeeded: 1, failed: 0, skipped: 9 });
        assert.equal(s.server.stats().opretAbonnement.total, 1);
        // The stack exists now: one call, its up.
        assert.deepEqual(
            cliCalls()
                .filter((c) => c !== "version")
                .map((c) => c.split(" --")[0] + " " + stackOf(c)),
            ["up 0159-gladsaxe"],
        );
        const subs = (await s.admin("GET", "/admin/abonnementer?kommunekode=0159")).items;
        assert.equal(subs.length, 1);
    });

    it("status: every municipality's task is created correctly, delivery pending", async function () {
        const res = await fleet(["status", "--concurrency", "5"], { FK_TOKEN_0159: tokens.get("0159")! });
        assert.equal(res.code, 10, res.output);
        const tasks = report().stacks.map((x: any) => x.task);
        assert.deepEqual(tasks, Array(10).fill("pending"), "all ten municipalities, each pending");
        const calls = cliCalls().filter((c) => c !== "version");
        assert.equal(calls.length, 10, calls.join("\n"));
        for (const c of calls) assert.match(c, /^stack output --json --stack /, c);
    });

    it("rejects a bad inventory before touching any stack, naming line and field", async function () {
        const bad = path.join(dir, "bad.csv");
        fs.writeFileSync(
            bad,
            `kommunekode,navn,endpoint,credentials\n0101,København,https://k.example,env:T1\n12,Ugyldig,http://k.example,token\n0101,Igen,https://k.example,env:T2\n`,
        );
        assert.throws(
            () => readInventory(bad),
            (e: InventoryError) => {
                assert.match(
                    e.message,
                    /bad\.csv:3: kommunekode "12" must be one of the 98 municipalities' kommunekoder/,
                );
                assert.match(e.message, /bad\.csv:3: endpoint "http:\/\/k\.example" uses plain HTTP; use https:\/\//);
                assert.match(
                    e.message,
                    /bad\.csv:3: credentials "token" must be env:NAME, file:PATH or cert:CERT\.pem,KEY\.pem/,
                );
                assert.match(e.message, /bad\.csv:4: kommunekode "0101" is listed twice \(first on line 2\)/);
                return true;
            },
        );
        const res = await collect(
            startFleet(["up", "--inventory", bad, "--state-dir", path.join(dir, "bad-state")], env),
        );
        assert.equal(res.code, 2, res.output);
        assert.ok(!fs.existsSync(path.join(dir, "bad-state")), "no stack was touched");
    });

    it("destroy ends every subscription", async function () {
        const res = await fleet(["destroy", "--concurrency", "5"], { FK_TOKEN_0159: tokens.get("0159")! });
        assert.equal(res.code, 0, res.output);
        assert.deepEqual(report().totals, { succeeded: 10, failed: 0, skipped: 0 });
        const all = (await s.admin("GET", "/admin/abonnementer")).items as any[];
        assert.ok(all.length >= 10, `the ten municipalities' subscriptions, found ${all.length}`);
        assert.deepEqual(
            all.filter((a) => a.virkning.to === null).map((a) => a.kommunekode),
            [],
            "every subscription end-dated",
        );
        const calls = cliCalls().filter((c) => c !== "version");
        assert.equal(calls.length, 10, calls.join("\n"));
        for (const c of calls) assert.match(c, /^destroy --stack /, c);
    });
});
