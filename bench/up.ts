// Benchmark: the root program's `pulumi up --policy-pack policy` and no-change `preview`, side by side
// with the engine's floor (`pulumi up` of an empty JavaScript program), interleaved, several rounds;
// and where the time of one `up` goes, per process (CLI, language host, program, policy pack, provider).
// The stand-in runs over HTTPS; the root program reaches it as a municipality reaches KOMBIT's
// services (system certificate, a token from the STS), and once more with a gateway's fixed token,
// so the STS step's cost shows side by side.
//
//   bash scripts/run.sh exec npm run --silent bench:up          (rounds: BENCH_ROUNDS, default 3)
import type { PulumiWorkspace } from "../test/helpers/pulumi";
import { machine, measure } from "./common";
import { RoleUsage, sampleCpu } from "./cpu";
import { benchMain } from "./root";
import { POLICY_PACK_DIR } from "../cli/policy-pack";

function stats(xs: number[]): { min: number; median: number } {
    const s = [...xs].sort((a, b) => a - b);
    return { min: s[0], median: s[Math.floor(s.length / 2)] };
}

interface Workspaces {
    floor: PulumiWorkspace;
    variants: Array<[string, PulumiWorkspace]>;
}

/** Rounds of: the floor's up, then each variant's up (CPU sampled in the last round), preview, destroy. */
async function runRounds(rounds: number, ws: Workspaces, policy: string) {
    const times: Record<string, number[]> = {};
    const record = (label: string, s: number) => (times[label] ??= []).push(s);
    let breakdown: RoleUsage | undefined;
    for (let r = 0; r < rounds; r++) {
        const f = await measure(ws.floor.start(["up", "--yes", "--skip-preview", "--stack", ws.floor.stack]));
        if (f.result.code !== 0) throw new Error(`floor up failed:\n${f.result.output}`);
        record(FLOOR, f.seconds);
        for (const [label, w] of ws.variants) {
            const child = w.start(["up", "--yes", "--skip-preview", "--policy-pack", policy, "--stack", w.stack]);
            const cpu = label === "root program" && r === rounds - 1 ? sampleCpu(child.pid!) : undefined;
            const up = await measure(child);
            if (cpu) breakdown = cpu.stop();
            if (up.result.code !== 0) throw new Error(`${label} up failed:\n${up.result.output}`);
            record(`${label}: up --policy-pack policy`, up.seconds);
            const preview = await measure(
                w.start(["preview", "--expect-no-changes", "--policy-pack", policy, "--stack", w.stack]),
            );
            if (preview.result.code !== 0) throw new Error(`${label} preview failed:\n${preview.result.output}`);
            record(`${label}: preview --policy-pack policy, no changes`, preview.seconds);
            const destroy = await w.destroy();
            if (destroy.code !== 0) throw new Error(`${label} destroy failed:\n${destroy.output}`);
        }
    }
    return { times, breakdown: breakdown ?? ({} as RoleUsage) };
}

function render(rounds: number, times: Record<string, number[]>, breakdown: RoleUsage): string {
    const floorMin = stats(times[FLOOR]).min;
    const rows = Object.entries(times).map(([label, xs]) => {
        const s = stats(xs);
        return `| ${label} | ${s.min.toFixed(2)} | ${s.median.toFixed(2)} | ${(s.min / floorMin).toFixed(2)}x |`;
    });
    const cpuRows = Object.entries(breakdown)
        .filter(([, u]) => u.cpu > 0)
        .map(([role, u]) => `| ${role} | ${u.cpu.toFixed(2)} | ${u.processes} |`);
    return [
        "## The root program against the engine's floor",
        "",
        `Command: \`bash scripts/run.sh exec npm run --silent bench:up\` (${rounds} interleaved rounds). Machine: ${machine()}.`,
        "",
        "Wall seconds of each command on the local file backend against the in-process stand-in over HTTPS, one subscription; the root program with the system certificate and a token from the stand-in's STS (the real flow, its STS step included), and once with a gateway's fixed token; the floor is `pulumi up` of an empty JavaScript program. Each round: floor, then each variant's `up` (a create), no-change `preview`, and (unmeasured) `destroy`.",
        "",
        "| what | min s | median s | min / floor min |",
        "| --- | --- | --- | --- |",
        ...rows,
        "",
        "Where the CPU time of one `up --policy-pack policy` of the root program goes (last round; processes sampled every 20 ms):",
        "",
        "| process | CPU s | processes |",
        "| --- | --- | --- |",
        ...cpuRows,
    ].join("\n");
}

const FLOOR = "floor: up of an empty JavaScript program";

benchMain("up", async (ctx) => {
    const rounds = Number(process.env.BENCH_ROUNDS ?? "3");
    const floor = await ctx.fixture("empty-js");
    const variants: Array<[string, PulumiWorkspace]> = [
        ["root program", await ctx.root("root", { access: "sts" })],
        ["root program with a gateway's token (no STS step)", await ctx.root("token", { access: "token" })],
        ["root program under ts-node (type-checked)", await ctx.root("ts-node", { tsNode: true, access: "sts" })],
    ];
    const { times, breakdown } = await runRounds(rounds, { floor, variants }, POLICY_PACK_DIR);
    return render(rounds, times, breakdown);
});
