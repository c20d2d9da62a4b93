// Benchmark: the fleet `up` over all 98 municipalities against the engine's floor for the same work,
// side by side in one run: the floor is 98 stacks of an empty JavaScript program, each `pulumi stack
// init` + `pulumi up`, at the same concurrency. Wall time and peak memory of each whole process tree,
// each from empty state against a fresh stand-in and backend. The stand-in holds the world the project
// meets (brownfield: most municipalities made the subscription by hand, some with other values, some
// ended), so most stacks adopt; the fleet runs with --repair, so every municipality ends with the task's
// subscription in force.
//
//   bash scripts/run.sh exec npm run --silent bench:fleet
//       BENCH_FLEET_CONCURRENCY=2,4 (default: the fleet's default, the machine's cores)
//       BENCH_FLEET_SIZE=98 (municipalities)
//       BENCH_FLEET_WORLD=brownfield|empty (default brownfield: the stand-in's seeded mix)
import { ChildProcess, spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { brownfieldSubscriptions, startStandin } from "@fk-iac/klassifikation-standin";
import { tenantsFor } from "../test/helpers/standin";
import { KOMMUNER } from "@fk-iac/klassifikation/rules";
import { startFleet } from "../test/helpers/fleet";
import { repoRoot } from "../test/helpers/pulumi";
import { benchDir, machine, measure, Measured, writeSection } from "./common";
import { RoleUsage, sampleCpu } from "./cpu";
import { localBackendUrl } from "../cli/local";

/** The targets of issue 13 on a 2-core machine. */
const TARGET = { ratio: 1.5, seconds: 150, peakMiB: 1024 };

interface Run extends Measured {
    usage: RoleUsage;
}

interface Row {
    c: number;
    fleet: Run;
    floor: Run;
    /** What the fleet did: subscriptions created, Ret writes (adoptions' notes, repairs' ends), and how many municipalities have the task's subscription in force after it. */
    outcome: Outcome;
}

interface Outcome {
    created: number;
    rets: number;
    inForce: number;
}

const WORLD = (process.env.BENCH_FLEET_WORLD ?? "brownfield") as "brownfield" | "empty";

/** Measures a started child: wall time, peak memory and CPU per role (sampled every 50 ms). */
async function measureRun(child: ChildProcess): Promise<Run> {
    const cpu = sampleCpu(child.pid!, 50);
    const m = await measure(child);
    return { ...m, usage: cpu.stop() };
}

function engineEnv(dir: string): NodeJS.ProcessEnv {
    fs.mkdirSync(path.join(dir, "backend"), { recursive: true });
    return {
        ...process.env,
        PULUMI_BACKEND_URL: localBackendUrl(path.join(dir, "backend")),
        PULUMI_CONFIG_PASSPHRASE: "bench",
        PULUMI_HOME: path.join(dir, "pulumi-home"),
    };
}

/** `fleet up` over the municipalities; returns the measurement and how many subscriptions were created. */
async function fleetUp(
    dir: string,
    kommuner: ReadonlyArray<readonly [string, string, ...string[]]>,
    c: number,
): Promise<{ m: Run; outcome: Outcome }> {
    const env = engineEnv(dir);
    const tokens = new Map(kommuner.map(([kode]) => [kode, `-${crypto.randomBytes(18).toString("base64url")}`]));
    const tenants = tenantsFor(tokens);
    const standin = await startStandin({
        seed: { tenants, ...(WORLD === "brownfield" ? { abonnementer: brownfieldSubscriptions(tenants) } : {}) },
    });
    try {
        const inventory = path.join(dir, "inventory.csv");
        fs.writeFileSync(
            inventory,
            [
                "kommunekode,navn,endpoint,credentials",
                ...kommuner.map(([kode, navn]) => `${kode},${navn},${standin.url},env:FK_TOKEN_${kode}`),
            ].join("\n"),
        );
        const args = [
            "up",
            "--inventory",
            inventory,
            "--concurrency",
            String(c),
            "--state-dir",
            path.join(dir, "state"),
            "--repair",
        ];
        const tokenEnv = Object.fromEntries(kommuner.map(([kode]) => [`FK_TOKEN_${kode}`, tokens.get(kode)!]));
        const child = startFleet(args, { ...env, ...tokenEnv });
        const m = await measureRun(child);
        if (m.result.code !== 0) process.stderr.write(m.result.output.slice(-3000));
        const stats = standin.stats();
        const inForce = new Set(
            standin.service
                .all()
                .filter(
                    (a) =>
                        ["Opstaaet", "Rettet"].includes(a.livscyklus) &&
                        a.virkning.to === null &&
                        a.skemaversion === "1.3",
                )
                .map((a) => a.kommunekode),
        ).size;
        return {
            m,
            outcome: {
                created: stats.opretAbonnement?.byStatus["201"] ?? 0,
                rets: stats.retAbonnement?.byStatus["200"] ?? 0,
                inForce,
            },
        };
    } finally {
        await standin.close();
    }
}

/** The floor: `pulumi stack init` + `pulumi up` of an empty JavaScript program for each stack, `c` at a time. */
async function floorUp(dir: string, stacks: string[], c: number): Promise<Run> {
    const project = path.join(dir, "project");
    fs.cpSync(path.join(benchDir, "fixtures", "empty-js"), project, { recursive: true });
    const script =
        'pulumi stack init "$1" >/dev/null && pulumi up --yes --skip-preview --non-interactive -s "$1" >/dev/null';
    const child = spawn("xargs", ["-P", String(c), "-I{}", "sh", "-c", script, "floor", "{}"], {
        cwd: project,
        env: engineEnv(dir),
        stdio: ["pipe", "pipe", "pipe"],
    });
    child.stdin.end(stacks.map((s) => `s${s}`).join("\n"));
    const m = await measureRun(child);
    if (m.result.code !== 0) process.stderr.write(m.result.output.slice(-3000));
    return m;
}

function usageRows(row: Row, count: number): string[] {
    return (Object.keys(row.fleet.usage) as Array<keyof RoleUsage>)
        .filter((role) => row.fleet.usage[role].processes + row.floor.usage[role].processes > 0)
        .map((role) => {
            const [f, b] = [row.fleet.usage[role], row.floor.usage[role]];
            return `| ${role} | ${(f.cpu / count).toFixed(2)} | ${(f.processes / count).toFixed(2)} | ${(b.cpu / count).toFixed(2)} | ${(b.processes / count).toFixed(2)} |`;
        });
}

function report(rows: Row[], count: number): string {
    const verdict = (r: Row) => {
        const ratio = r.fleet.seconds / r.floor.seconds;
        const met = ratio <= TARGET.ratio && r.fleet.seconds <= TARGET.seconds && r.fleet.peakMiB <= TARGET.peakMiB;
        return met ? "met" : "NOT met";
    };
    return [
        "## Fleet up over all municipalities, against the floor",
        "",
        `Command: \`bash scripts/run.sh exec npm run --silent bench:fleet\` (${count} municipalities). Machine: ${machine()}.`,
        "",
        `For each concurrency, one \`fleet up --repair\` of all ${count} municipalities from empty state, against ${WORLD === "brownfield" ? "the stand-in's brownfield (most made by hand and adopted, some with other values and repaired, some ended or missing and created)" : "a stand-in with no subscriptions"} (each program inline in the fleet's process, the policy pack and the real CLI per stack), then the floor: ${count} stacks of an empty JavaScript program, \`pulumi stack init\` + \`pulumi up\` each, at the same concurrency. Wall time and peak resident memory of each whole process tree (the CLIs, policy packs and provider plugins running at once). Targets (issue 13): fleet ≤ ${TARGET.ratio}x the floor, ≤ ${TARGET.seconds} s, ≤ ${TARGET.peakMiB} MiB.`,
        "",
        "| concurrency | fleet wall s | floor wall s | fleet / floor | fleet peak MiB | floor peak MiB | created / Ret / in force | targets |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        ...rows.map(
            (r) =>
                `| ${r.c} | ${r.fleet.seconds.toFixed(1)} | ${r.floor.seconds.toFixed(1)} | ${(r.fleet.seconds / r.floor.seconds).toFixed(2)}x | ${r.fleet.peakMiB.toFixed(0)} | ${r.floor.peakMiB.toFixed(0)} | ${r.outcome.created} / ${r.outcome.rets} / ${r.outcome.inForce}${r.outcome.inForce === count && r.fleet.result.code === 0 ? "" : " (NOT all)"} | ${verdict(r)} |`,
        ),
        "",
        `Where the CPU time goes, per municipality (concurrency ${rows[0]?.c}; CPU seconds of all processes of a role divided by ${count}, and processes per municipality; sampled every 50 ms, so the shortest CLI calls may be missed):`,
        "",
        "| process | fleet CPU s | fleet processes | floor CPU s | floor processes |",
        "| --- | --- | --- | --- | --- |",
        ...(rows[0] ? usageRows(rows[0], count) : []),
    ].join("\n");
}

async function main() {
    const levels = (process.env.BENCH_FLEET_CONCURRENCY ?? String(Math.min(32, os.availableParallelism())))
        .split(",")
        .map(Number);
    const count = Number(process.env.BENCH_FLEET_SIZE ?? KOMMUNER.length);
    const kommuner = KOMMUNER.slice(0, count);
    const rows: Row[] = [];
    for (const c of levels) {
        const dir = path.join(repoRoot, ".work", `bench-fleet-${process.pid}-${c}`);
        try {
            const { m: fleet, outcome } = await fleetUp(path.join(dir, "fleet"), kommuner, c);
            process.stderr.write(
                `fleet, concurrency ${c}: ${fleet.seconds.toFixed(1)} s, peak ${fleet.peakMiB.toFixed(0)} MiB, exit ${fleet.result.code}, ${JSON.stringify(outcome)}\n`,
            );
            const floor = await floorUp(
                path.join(dir, "floor"),
                kommuner.map(([kode]) => kode),
                c,
            );
            process.stderr.write(
                `floor, concurrency ${c}: ${floor.seconds.toFixed(1)} s, peak ${floor.peakMiB.toFixed(0)} MiB, exit ${floor.result.code}\n`,
            );
            rows.push({ c, fleet, floor, outcome });
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }
    const md = report(rows, count);
    writeSection("fleet", md);
    process.stdout.write(`${md}\n`);
    if (rows.some((r) => r.fleet.result.code !== 0 || r.floor.result.code !== 0 || r.outcome.inForce !== count))
        process.exitCode = 1;
}

main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
});
