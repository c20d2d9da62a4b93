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

/** One size: each operation through the engine, then the baseline's same calls, side by side. */
async function benchSize(n: number, standin: RunningStandin, t: Tables): Promise<void> {
    const tokenB = TOKEN_BASELINE;
    const rows = t.rows;
    const calls = t.calls;
    const ws = await PulumiWorkspace.create({
        programDir: path.join(benchDir, "fixtures", "many"),
        kommunekode: "0101",
    });
    try {
        await ws.setConfig("bench:count", String(n));
        await ws.setConfig("fk:endpoint", standin.url);
        await ws.setConfig("fk:token", TOKEN_ENGINE, true);
        const ops: Array<[string, string[], string | undefined]> = [
            ["up", ["up", "--yes", "--skip-preview", "--parallel", String(PARALLEL), "--stack", ws.stack], "create"],
            [
                "preview (no changes)",
                ["preview", "--expect-no-changes", "--parallel", String(PARALLEL), "--stack", ws.stack],
                undefined,
            ],
            [
                "refresh",
                ["refresh", "--yes", "--skip-preview", "--parallel", String(PARALLEL), "--stack", ws.stack],
                "refresh",
            ],
            [
                "destroy",
                ["destroy", "--yes", "--skip-preview", "--parallel", String(PARALLEL), "--stack", ws.stack],
                "destroy",
            ],
        ];
        let uuids: string[] = [];
        for (const [label, args, baselineOp] of ops) {
            standin.resetStats();
            const engine: Measured = await measure(ws.start(args));
            if (engine.result.code !== 0) throw new Error(`pulumi ${label} failed:\n${engine.result.output}`);
            if (label === "up") {
                const state = ws.resources().filter((r) => r.type.endsWith(":SortimentSubscription"));
                t.providerBytes = state[0]?.inputs?.__provider?.length ?? 0;
            }
            const stats = standin.stats();
            const total = Object.values(stats).reduce((a, s) => a + s.total, 0);
            calls.push(
                `| ${n} | ${label} | ${(total / n).toFixed(1)} | ${
                    Object.entries(stats)
                        .map(([op, s]) => `${op} ${(s.total / n).toFixed(1)}`)
                        .join(", ") || "none"
                } |`,
            );
            let baseline: Measured | undefined;
            if (baselineOp) {
                const child = spawn(
                    process.execPath,
                    [
                        "-r",
                        "ts-node/register/transpile-only",
                        path.join(benchDir, "baseline.ts"),
                        baselineOp,
                        standin.url,
                        tokenB,
                        String(n),
                        String(PARALLEL),
                    ],
                    { env: { ...process.env, BENCH_UUIDS: JSON.stringify(uuids) }, stdio: ["ignore", "pipe", "pipe"] },
                );
                baseline = await measure(child);
                if (baseline.result.code !== 0)
                    throw new Error(`baseline ${baselineOp} failed: ${baseline.result.output}`);
                if (baselineOp === "create") uuids = JSON.parse(baseline.result.stdout).uuids;
            }
            const ratio = baseline ? `${(engine.seconds / baseline.seconds).toFixed(1)}x` : "n/a (no API calls)";
            rows.push(
                `| ${n} | ${label} | ${engine.seconds.toFixed(2)} | ${engine.peakMiB.toFixed(0)} | ${baseline ? baseline.seconds.toFixed(2) : "-"} | ${baseline ? baseline.peakMiB.toFixed(0) : "-"} | ${ratio} |`,
            );
            process.stderr.write(`${rows[rows.length - 1]}\n`);
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

main().catch((err) => {
    process.stderr.write(`${err?.stack ?? err}\n`);
    process.exit(1);
});
