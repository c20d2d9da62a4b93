// Benchmark: a no-change `pulumi preview` of the root program with its policy pack, side by side with
// the smallest thing of the same shape (one JavaScript dynamic resource that calls nothing, previewed
// with an empty JavaScript policy pack), interleaved, several rounds. The pack runs both ways: the
// standard folder (`--policy-pack policy`, through the SDK's run-policy-pack) and its analyzer
// executable (`--policy-pack policy/analyzer`). Each command is the user's plain `pulumi`.
//
//   bash scripts/run.sh exec npm run --silent bench:preview     (rounds: BENCH_ROUNDS, default 7)
import * as fs from "node:fs";
import * as path from "node:path";
import { POLICY_ANALYZER, POLICY_PACK_DIR } from "../cli/policy-pack";
import type { PulumiWorkspace } from "../test/helpers/pulumi";
import { benchDir, machine, measure } from "./common";
import { Role, RoleUsage, sampleCpu } from "./cpu";
import { benchMain } from "./root";

interface Variant {
    label: string;
    ws: PulumiWorkspace;
    /** The --policy-pack argument, if any. */
    pack?: string;
}

const BASELINE = "trivial dynamic resource, empty JavaScript pack (folder)";

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
}

interface Rounds {
    times: Map<string, number[]>;
    /** Per variant, CPU seconds per process role, of its last round. */
    cpu: Map<string, RoleUsage>;
}

/** Rounds of one no-change preview per variant, in a rotating order so no variant always goes first. */
async function runRounds(rounds: number, variants: Variant[]): Promise<Rounds> {
    const times = new Map<string, number[]>(variants.map((v) => [v.label, []]));
    const cpu = new Map<string, RoleUsage>();
    for (let r = 0; r < rounds; r++) {
        for (let i = 0; i < variants.length; i++) {
            const v = variants[(i + r) % variants.length];
            const pack = v.pack ? ["--policy-pack", v.pack] : [];
            const child = v.ws.start(["preview", "--expect-no-changes", ...pack, "--stack", v.ws.stack]);
            const sampler = sampleCpu(child.pid!);
            const m = await measure(child);
            cpu.set(v.label, sampler.stop());
            if (m.result.code !== 0) throw new Error(`${v.label}: preview failed:\n${m.result.output}`);
            times.get(v.label)!.push(m.seconds);
        }
    }
    return { times, cpu };
}

const ROLES: Role[] = ["CLI", "language host", "program", "policy pack", "provider", "other"];

function cpuTable(cpu: Map<string, RoleUsage>): string[] {
    return [
        `| what | ${ROLES.join(" | ")} | total |`,
        `| --- | ${ROLES.map(() => "---").join(" | ")} | --- |`,
        ...[...cpu].map(([label, usage]) => {
            const cells = ROLES.map((r) => (usage[r].processes > 0 ? usage[r].cpu.toFixed(2) : "-"));
            const total = ROLES.reduce((sum, r) => sum + usage[r].cpu, 0);
            return `| ${label} | ${cells.join(" | ")} | ${total.toFixed(2)} |`;
        }),
    ];
}

function render(rounds: number, { times, cpu }: Rounds): string {
    const base = median(times.get(BASELINE)!);
    const rows = [...times].map(([label, xs]) => {
        const m = median(xs);
        return `| ${label} | ${m.toFixed(2)} | ${Math.min(...xs).toFixed(2)} | ${(m / base).toFixed(2)}x |`;
    });
    return [
        "## A no-change preview against the smallest thing of its shape",
        "",
        `Command: \`bash scripts/run.sh exec npm run --silent bench:preview\` (${rounds} interleaved rounds, rotating order). Machine: ${machine()}.`,
        "",
        "Wall seconds of `pulumi preview --expect-no-changes` with the user's plain `pulumi` on the local file backend, after one `up`; the root program reaches the stand-in over HTTPS with the system certificate and the STS (a no-change preview makes no call). The baseline is one JavaScript dynamic resource that calls nothing, previewed with an empty JavaScript policy pack started the standard way. The analyzer and the root program's `index.js` keep Node's compile cache of what they load (in the system's temporary folder); the first run starts both cold, the rounds after it run warm; nothing else has a compile cache, as for a user who has not set NODE_COMPILE_CACHE. Target: the root program with its pack at most 1.0x the baseline.",
        "",
        "| what | median s | min s | median / baseline median |",
        "| --- | --- | --- | --- |",
        ...rows,
        "",
        "Where the CPU time of each goes (its last round; CPU seconds per process role, sampled every 20 ms):",
        "",
        ...cpuTable(cpu),
    ].join("\n");
}

benchMain("preview", async (ctx) => {
    const rounds = Number(process.env.BENCH_ROUNDS ?? "7");
    // As a user has it: no compile cache of ours in the environment (scripts/run.sh sets one), and a
    // temporary folder of its own, so the analyzer's and the program's compile caches start cold.
    delete process.env.NODE_COMPILE_CACHE;
    process.env.TMPDIR = path.join(ctx.work, "tmp");
    fs.mkdirSync(process.env.TMPDIR);
    const trivial = await ctx.fixture("trivial-dynamic");
    const empty = await ctx.fixture("empty-js");
    const root = await ctx.root("root", { access: "sts" });
    for (const ws of [trivial, empty, root]) {
        const up = await ws.up();
        if (up.code !== 0) throw new Error(`up failed:\n${up.output}`);
    }
    const cold = await measure(
        root.start(["preview", "--expect-no-changes", "--policy-pack", POLICY_ANALYZER, "--stack", root.stack]),
    );
    if (cold.result.code !== 0) throw new Error(`cold preview failed:\n${cold.result.output}`);
    const result = await runRounds(rounds, [
        { label: BASELINE, ws: trivial, pack: path.join(benchDir, "fixtures", "empty-pack") },
        { label: "root program, --policy-pack policy (folder, standard)", ws: root, pack: POLICY_PACK_DIR },
        { label: "root program, --policy-pack policy/analyzer", ws: root, pack: POLICY_ANALYZER },
        { label: "trivial dynamic resource, no pack", ws: trivial },
        { label: "root program, no pack", ws: root },
        { label: "empty program, no pack", ws: empty },
    ]);
    result.times.set("root program, --policy-pack policy/analyzer, the first run (cold compile caches)", [
        cold.seconds,
    ]);
    return render(rounds, result);
});
