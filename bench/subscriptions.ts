// Benchmark: 1, 10 and 100 subscriptions in one stack. For each size, the wall time and peak memory
// of `pulumi up`, a no-change `pulumi preview`, `pulumi refresh` and `pulumi destroy`; the API calls
// per resource per operation (from the stand-in's log); the size of the serialized provider; and
// side by side, the lower bound: a plain axios script making the same API calls.
//
//   bash scripts/run.sh exec npm run --silent bench            (sizes: BENCH_SIZES=1,10,100)
import { spawn } from "node:child_process";
import * as path from "node:path";
import { RunningStandin, startStandin, sha256Hex } from "@fk-iac/klassifikation-standin";
import { PulumiWorkspace } from "../test/helpers/pulumi";
import { benchDir, machine, measure, Measured, syntheticSystemSeed, writeSection } from "./common";

const PARALLEL = 16;

const TOKEN_ENGINE = "bench-token-engine";
const TOKEN_BASELINE = "bench-token-baseline";

interface Tables {
    rows: string[];
    calls: string[];
    providerBytes: number;
}

/** The engine's commands for one size: label, CLI arguments, and the baseline operation alike. */
function operations(stack: string): Array<[string, string[], string | undefined]> {
    const parallel = ["--parallel", String(PARALLEL), "--stack", stack];
    return [
        ["up", ["up", "--yes", "--skip-preview", ...parallel], "create"],
        ["preview (no changes)", ["preview", "--expect-no-changes", ...parallel], undefined],
        ["refresh", ["refresh", "--yes", "--skip-preview", ...parallel], "refresh"],
        ["destroy", ["destroy", "--yes", "--skip-preview", ...parallel], "destroy"],
    ];
}

/** The baseline script's same calls, as a child process measured like the engine. */
async function runBaseline(op: string, n: number, standin: RunningStandin, uuids: string[]): Promise<Measured> {
    const args = ["-r", "ts-node/register/transpile-only", path.join(benchDir, "baseline.ts")];
    const child = spawn(process.execPath, [...args, op, standin.url, TOKEN_BASELINE, String(n), String(PARALLEL)], {
        env: { ...process.env, BENCH_UUIDS: JSON.stringify(uuids) },
        stdio: ["ignore", "pipe", "pipe"],
    });
    const baseline = await measure(child);
    if (baseline.result.code !== 0) throw new Error(`baseline ${op} failed: ${baseline.result.output}`);
    return baseline;
}

/** The API calls per subscription that one engine command made, as a table row. */
function callsRow(n: number, label: string, stats: ReturnType<RunningStandin["stats"]>): string {
    const total = Object.values(stats).reduce((a, s) => a + s.total, 0);
    const byOperation = Object.entries(stats).map(([op, s]) => `${op} ${(s.total / n).toFixed(1)}`);
    return `| ${n} | ${label} | ${(total / n).toFixed(1)} | ${byOperation.join(", ") || "none"} |`;
}

/** One size: each operation through the engine, then the baseline's same calls, side by side. */
async function benchSize(n: number, standin: RunningStandin, t: Tables): Promise<void> {
    const ws = await PulumiWorkspace.create({
        programDir: path.join(benchDir, "fixtures", "many"),
        kommunekode: "0101",
    });
    try {
        await ws.setConfig("bench:count", String(n));
        await ws.setConfig("fk:endpoint", standin.url);
        await ws.setConfig("fk:token", TOKEN_ENGINE, true);
        let uuids: string[] = [];
        for (const [label, args, baselineOp] of operations(ws.stack)) {
            standin.resetStats();
            const engine: Measured = await measure(ws.start(args));
            if (engine.result.code !== 0) throw new Error(`pulumi ${label} failed:\n${engine.result.output}`);
            if (label === "up") {
                const state = ws.resources().filter((r) => r.type.endsWith(":SortimentSubscription"));
                const inputs = state[0]?.inputs as { __provider?: string } | undefined;
                t.providerBytes = inputs?.__provider?.length ?? 0;
            }
            t.calls.push(callsRow(n, label, standin.stats()));
            const baseline = baselineOp ? await runBaseline(baselineOp, n, standin, uuids) : undefined;
            if (baselineOp === "create" && baseline)
                uuids = (JSON.parse(baseline.result.stdout) as { uuids: string[] }).uuids;
            const ratio = baseline ? `${(engine.seconds / baseline.seconds).toFixed(1)}x` : "n/a (no API calls)";
            t.rows.push(
                `| ${n} | ${label} | ${engine.seconds.toFixed(2)} | ${engine.peakMiB.toFixed(0)} | ${baseline ? baseline.seconds.toFixed(2) : "-"} | ${baseline ? baseline.peakMiB.toFixed(0) : "-"} | ${ratio} |`,
            );
            process.stderr.write(`${t.rows[t.rows.length - 1]}\n`);
        }
    } finally {
        ws.dispose();
    }
}

function render(sizes: number[], t: Tables): string {
    const { rows, calls, providerBytes } = t;
    return [
        "## Subscriptions in one stack",
        "",
        `Command: \`bash scripts/run.sh exec npm run --silent bench\` (sizes ${sizes.join(", ")}; engine and baseline both at parallelism ${PARALLEL}). Machine: ${machine()}.`,
        "",
        "Wall time in seconds and peak resident memory (MiB) of the whole process tree: for the engine the CLI, language host, program and provider plugin; for the baseline one Node.js process. The ratio is engine time over baseline time, measured side by side in one run against the same in-process stand-in.",
        "",
        "| subscriptions | operation | engine s | engine MiB | baseline s | baseline MiB | engine / baseline |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        ...rows,
        "",
        "API calls per resource per operation (from the stand-in's request log):",
        "",
        "| subscriptions | operation | calls / resource | by operation |",
        "| --- | --- | --- | --- |",
        ...calls,
        "",
        `Serialized provider in state: ${providerBytes} bytes per resource (seven one-line shims that load the installed implementation).`,
    ].join("\n");
}

async function main() {
    const sizes = (process.env.BENCH_SIZES ?? "1,10,100").split(",").map(Number);
    const standin = await startStandin({
        seed: {
            itSystemInstanser: syntheticSystemSeed(Math.max(...sizes)),
            tenants: [
                {
                    kommunekode: "0101",
                    navn: "Engine",
                    tokenSha256: [sha256Hex(TOKEN_ENGINE)],
                    certificateFingerprints: [],
                },
                {
                    kommunekode: "0751",
                    navn: "Baseline",
                    tokenSha256: [sha256Hex(TOKEN_BASELINE)],
                    certificateFingerprints: [],
                },
            ],
        },
    });
    const tables: Tables = { rows: [], calls: [], providerBytes: 0 };
    try {
        for (const n of sizes) await benchSize(n, standin, tables);
    } finally {
        await standin.close();
    }
    const md = render(sizes, tables);
    writeSection("subscriptions", md);
    process.stdout.write(`${md}\n`);
}

main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
});
