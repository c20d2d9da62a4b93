// Benchmark: the fleet `up` over all 98 municipalities, at concurrency 1 and at higher settings, side
// by side in one run (a fresh stand-in and backend for each setting). Wall time and peak memory of
// the fleet's whole process tree.
//
//   bash scripts/run.sh exec npm run --silent bench:fleet      (BENCH_FLEET_CONCURRENCY=1,4,8)
import { spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { startStandin, sha256Hex } from "@fk-iac/klassifikation-standin";
import { repoRoot } from "../test/helpers/pulumi";
import { machine, measure, writeSection } from "./common";
import { KOMMUNER } from "@fk-iac/klassifikation/rules";

async function main() {
    const levels = (process.env.BENCH_FLEET_CONCURRENCY ?? "1,4,8").split(",").map(Number);
    const count = Number(process.env.BENCH_FLEET_SIZE ?? KOMMUNER.length);
    const kommuner = KOMMUNER.slice(0, count);
    const tokens = new Map(kommuner.map(([kode]) => [kode, crypto.randomBytes(18).toString("base64url")]));
    const rows: Array<{ c: number; seconds: number; peak: number; ok: boolean }> = [];
    for (const c of levels) {
        const dir = path.join(repoRoot, ".work", `bench-fleet-${process.pid}-${c}`);
        fs.mkdirSync(path.join(dir, "backend"), { recursive: true });
        const standin = await startStandin({
            seed: { tenants: kommuner.map(([kode, navn]) => ({ kommunekode: kode, navn, tokenSha256: [sha256Hex(tokens.get(kode)!)], certificateFingerprints: [] })) },
        });
        try {
            const inventory = path.join(dir, "inventory.csv");
            fs.writeFileSync(inventory, ["kommunekode,navn,endpoint,credentials", ...kommuner.map(([kode, navn]) => `${kode},${navn},${standin.url},env:FK_TOKEN_${kode}`)].join("\n"));
            const child = spawn("npm", ["run", "--silent", "fleet", "--", "up", "--inventory", inventory, "--concurrency", String(c), "--state-dir", path.join(dir, "state")], {
                cwd: repoRoot,
                env: {
                    ...process.env,
                    PULUMI_BACKEND_URL: `file://${path.join(dir, "backend")}`,
                    PULUMI_CONFIG_PASSPHRASE: "bench",
                    PULUMI_HOME: path.join(dir, "pulumi-home"),
                    ...Object.fromEntries(kommuner.map(([kode]) => [`FK_TOKEN_${kode}`, tokens.get(kode)!])),
                },
                stdio: ["ignore", "pipe", "pipe"],
            });
            const m = await measure(child);
            const created = standin.stats().opretAbonnement?.byStatus["201"] ?? 0;
            rows.push({ c, seconds: m.seconds, peak: m.peakMiB, ok: m.result.code === 0 && created === kommuner.length });
            process.stderr.write(`concurrency ${c}: ${m.seconds.toFixed(1)} s, peak ${m.peakMiB.toFixed(0)} MiB, exit ${m.result.code}, ${created} created\n`);
            if (m.result.code !== 0) process.stderr.write(m.result.output.slice(-3000));
        } finally {
            await standin.close();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }
    const base = rows.find((r) => r.c === 1) ?? rows[0];
    const best = rows.filter((r) => r.ok).sort((a, b) => a.seconds - b.seconds)[0];
    const md = [
        "## Fleet up over all municipalities",
        "",
        `Command: \`bash scripts/run.sh exec npm run --silent bench:fleet\` (${kommuner.length} municipalities, concurrency ${levels.join(", ")}). Machine: ${machine()}.`,
        "",
        "One `fleet up` per setting from empty state, each against a fresh stand-in; wall time and peak resident memory of the fleet's whole process tree (Node.js, the CLIs, language hosts, programs and provider plugins running at once).",
        "",
        "| concurrency | wall s | peak MiB | speed-up vs 1 | all created |",
        "| --- | --- | --- | --- | --- |",
        ...rows.map((r) => `| ${r.c} | ${r.seconds.toFixed(1)} | ${r.peak.toFixed(0)} | ${(base.seconds / r.seconds).toFixed(2)}x | ${r.ok ? "yes" : "NO"} |`),
        "",
        best ? `Best setting here: concurrency ${best.c} (${best.seconds.toFixed(1)} s, ${(base.seconds / best.seconds).toFixed(2)}x faster than 1, ${(best.peak / base.peak).toFixed(1)}x the memory).` : "No setting succeeded.",
    ].join("\n");
    writeSection("fleet", md);
    process.stdout.write(`${md}\n`);
}

main().catch((err) => {
    process.stderr.write(`${err?.stack ?? err}\n`);
    process.exit(1);
});
