// Shared pieces of the benchmarks: timing a child process with its peak memory, and keeping
// bench/RESULTS.md up to date section by section.
import { ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { collect, CliResult } from "../test/helpers/pulumi";
import { sampleTree } from "../test/helpers/proc";
export { syntheticSystem, syntheticSystemSeed } from "../test/helpers/systems";

export const benchDir = __dirname;

export interface Measured {
    result: CliResult;
    seconds: number;
    peakMiB: number;
}

/** Waits for a started child, measuring wall time and the peak memory of its process tree. */
export async function measure(child: ChildProcess): Promise<Measured> {
    const started = process.hrtime.bigint();
    const sampler = sampleTree(child.pid!);
    const result = await collect(child);
    const peakMiB = sampler.stop();
    return { result, seconds: Number(process.hrtime.bigint() - started) / 1e9, peakMiB };
}

/** Replaces the section between <!-- name:start --> and <!-- name:end --> in bench/RESULTS.md. */
export function writeSection(name: string, markdown: string): void {
    const file = path.join(benchDir, "RESULTS.md");
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    let text = fs.existsSync(file)
        ? fs.readFileSync(file, "utf8")
        : "# Benchmark results\n\nWritten by the benchmark scripts; rerun them to refresh a section.\n";
    const block = `${start}\n${markdown.trim()}\n${end}`;
    const re = new RegExp(`${start}[\\s\\S]*?${end}`);
    text = re.test(text) ? text.replace(re, block) : `${text.trimEnd()}\n\n${block}\n`;
    fs.writeFileSync(file, text);
}

export function machine(): string {
    return `${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
}
