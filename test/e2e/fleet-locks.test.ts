// A fleet run killed mid-way (its whole process group, as a CI job's timeout does) leaves the stacks it
// was running locked. The next run tells that lock from a live one by the run the fleet recorded for the
// stack, says so in the table, clears it only when asked (--clear-dead-locks), and converges: the
// interrupted creates are adopted, never made twice. A live run's lock and someone else's are never removed.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { InventoryRow } from "../../cli/fleet/inventory";
import { stackName } from "../../cli/fleet/stacks";
import { fleetFiles, fleetIn, startFleet } from "../helpers/fleet";
import { collect, killGroup, repoRoot } from "../helpers/pulumi";
import { randomToken, startTestStandin, tenantsFor, TestStandin } from "../helpers/standin";
import { localBackendUrl } from "../../cli/local";

const KOMMUNER: Array<[string, string]> = [
    ["0101", "København"],
    ["0147", "Frederiksberg"],
    ["0151", "Ballerup"],
    ["0153", "Brøndby"],
    ["0155", "Dragør"],
    ["0157", "Gentofte"],
];
const PROJECT = "gb10-borgerblikket";
const stackOf = ([kommunekode, navn]: [string, string]) => stackName({ kommunekode, navn } as InventoryRow);

describe("fleet: a run killed mid-way does not leave a stack locked for good", function () {
    let s: TestStandin;
    const dir = path.join(repoRoot, ".work", `fleet-locks-${process.pid}`);
    const backend = path.join(dir, "backend");
    const inventory = path.join(dir, "inventory.yaml");
    const tokens = new Map(KOMMUNER.map(([kode]) => [kode, randomToken()]));
    let env: NodeJS.ProcessEnv;
    const files = () => fleetFiles(dir, inventory);
    const fleet = fleetIn(dir, inventory, () => env);
    const report = () => JSON.parse(fs.readFileSync(path.join(dir, "report.json"), "utf8"));
    const lockDir = (stack: string) => path.join(backend, ".pulumi", "locks", "organization", PROJECT, stack);
    const active = async (kode: string) =>
        ((await s.admin("GET", `/admin/abonnementer?kommunekode=${kode}`)).items as any[]).filter(
            (a) => a.virkning.to === null,
        );

    before(async function () {
        fs.mkdirSync(backend, { recursive: true });
        s = await startTestStandin({ kommuner: 0, seed: { tenants: tenantsFor(tokens) } });
        const rows = KOMMUNER.map(
            ([kode, navn]) =>
                `  - { kommunekode: "${kode}", navn: ${navn}, endpoint: "${s.url}", credentials: "env:FK_TOKEN_${kode}" }`,
        );
        fs.writeFileSync(inventory, `kommuner:\n${rows.join("\n")}\n`);
        env = {
            ...process.env,
            PULUMI_BACKEND_URL: localBackendUrl(backend),
            PULUMI_CONFIG_PASSPHRASE: "fleet-test",
            PULUMI_HOME: path.join(dir, "pulumi-home"),
            ...Object.fromEntries(KOMMUNER.map(([kode]) => [`FK_TOKEN_${kode}`, tokens.get(kode)!])),
        };
    });
    after(async function () {
        await s?.close();
        if (process.env.FK_KEEP_WORK !== "1") fs.rmSync(dir, { recursive: true, force: true });
    });

    it("a kill of the whole fleet mid-create leaves locks; the next run names them and clears none unasked", async function () {
        // Each Opret is held for a while and then carried out: the kill lands while creates are under way.
        await s.admin("PUT", "/admin/faults", { latencyMs: 4000, operations: ["opretAbonnement"] });
        const child = startFleet(["up", "--concurrency", "2", ...files()], env, true);
        const done = collect(child);
        const lockedNow = () =>
            KOMMUNER.map(stackOf).some(
                (stack) => fs.existsSync(lockDir(stack)) && fs.readdirSync(lockDir(stack)).length > 0,
            );
        await new Promise<void>((resolve) => {
            const timer = setInterval(() => {
                if (lockedNow()) {
                    clearInterval(timer);
                    // A stack's up holds its lock and is on its way to the Opret the stand-in holds: kill everything.
                    setTimeout(() => {
                        killGroup(child, "SIGKILL");
                        resolve();
                    }, 2500);
                }
            }, 20);
        });
        await done;
        // Let the held creates be carried out, as a server does whatever the client does.
        await new Promise((r) => setTimeout(r, 4500));
        await s.admin("PUT", "/admin/faults", {});
        const locked = KOMMUNER.map(stackOf).filter(
            (stack) => fs.existsSync(lockDir(stack)) && fs.readdirSync(lockDir(stack)).length > 0,
        );
        assert.ok(locked.length > 0, "the killed run left at least one stack locked");

        const res = await fleet(["up", "--concurrency", "2"]);
        assert.equal(res.code, 1, res.output);
        const byStack = new Map<string, any>(report().stacks.map((x: any) => [x.stack, x]));
        for (const stack of locked) {
            const row = byStack.get(stack);
            assert.equal(row.result, "failed", stack);
            assert.match(row.message, new RegExp(`stack ${stack} is locked by a fleet run that died \\(.*pid \\d+`));
            assert.match(row.message, /--clear-dead-locks/);
            assert.ok(fs.readdirSync(lockDir(stack)).length > 0, "not cleared unasked");
        }
    });

    it("--clear-dead-locks removes only those, and the run converges with no duplicate", async function () {
        const res = await fleet(["up", "--concurrency", "2", "--clear-dead-locks"]);
        assert.equal(res.code, 0, res.output);
        const cleared = report().stacks.filter((x: any) => /cleared the lock of a fleet run that died/.test(x.message));
        assert.ok(cleared.length > 0, JSON.stringify(report().stacks));
        for (const [kode] of KOMMUNER) assert.equal((await active(kode)).length, 1, `kommune ${kode}: exactly one`);
        const created = s.log.filter((e) => e.operation === "opretAbonnement" && e.status === 201).length;
        assert.equal(created, KOMMUNER.length, "each created once: the interrupted creates were adopted");
    });

    it("a live run's lock and someone else's are never removed, and the table says whose they are", async function () {
        const [kode] = KOMMUNER[0];
        const stack = stackOf(KOMMUNER[0]);
        fs.mkdirSync(lockDir(stack), { recursive: true });
        const dead = spawnSync("true").pid; // a pid that has ended, and that no fleet run recorded
        const lock = (pid: number) =>
            JSON.stringify({
                pid,
                username: os.userInfo().username,
                hostname: os.hostname(),
                timestamp: new Date().toISOString(),
            });
        for (const [name, pid, says] of [
            ["live", process.pid, /a run that is still going .*pid \d+.*: wait for it/],
            ["foreign", dead, /someone else .*not a run of this fleet/],
        ] as const) {
            const file = path.join(lockDir(stack), `${name}.json`);
            fs.writeFileSync(file, lock(pid));
            const res = await fleet(["up", "--only", kode, "--force", "--clear-dead-locks"]);
            assert.equal(res.code, 1, res.output);
            const [row] = report().stacks;
            assert.match(row.message, says, name);
            assert.ok(fs.existsSync(file), `the ${name} lock is left alone`);
            fs.rmSync(file);
        }
        assert.equal((await active(kode)).length, 1);
    });
});
