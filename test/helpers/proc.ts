// Process trees from /proc (Linux): a CLI and every process it starts. Peak memory for the
// benchmarks; descendants and liveness for the kill tests.
import * as fs from "node:fs";
import * as path from "node:path";

function children(): Map<number, number[]> {
    const byParent = new Map<number, number[]>();
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
            const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
            const list = byParent.get(ppid) ?? [];
            list.push(Number(entry));
            byParent.set(ppid, list);
        } catch {
            // the process ended meanwhile
        }
    }
    return byParent;
}

/** Pids of every descendant of pid. */
export function descendants(pid: number): number[] {
    const tree = children();
    const out: number[] = [];
    const stack = [...(tree.get(pid) ?? [])];
    while (stack.length) {
        const p = stack.pop()!;
        out.push(p);
        stack.push(...(tree.get(p) ?? []));
    }
    return out;
}

/** True while a process exists and is not a zombie. */
export function alive(pid: number): boolean {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        return stat[stat.lastIndexOf(")") + 2] !== "Z";
    } catch {
        return false;
    }
}

function rssKiB(pid: number): number {
    try {
        const m = fs.readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB/m);
        return m ? Number(m[1]) : 0;
    } catch {
        return 0;
    }
}

/** Sum of resident memory of pid and all its descendants, in MiB. */
export function treeRssMiB(pid: number): number {
    const tree = children();
    let total = 0;
    const stack = [pid];
    while (stack.length) {
        const p = stack.pop()!;
        total += rssKiB(p);
        stack.push(...(tree.get(p) ?? []));
    }
    return total / 1024;
}

/** Samples the tree every intervalMs until stopped; returns the peak in MiB. */
export function sampleTree(pid: number, intervalMs = 100): { stop(): number } {
    let peak = treeRssMiB(pid);
    const timer = setInterval(() => {
        peak = Math.max(peak, treeRssMiB(pid));
    }, intervalMs);
    return {
        stop() {
            clearInterval(timer);
            return peak;
        },
    };
}

/** The full path of an executable on PATH, as a shell would find it; throws when there is none. */
export function which(name: string, searchPath = process.env.PATH ?? ""): string {
    for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
        const candidate = path.join(dir, name);
        try {
            fs.accessSync(candidate, fs.constants.X_OK);
            return candidate;
        } catch {
            // not here
        }
    }
    throw new Error(`${name} is not on PATH`);
}
