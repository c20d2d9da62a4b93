// Peak memory of a process tree (a CLI and every process it starts), sampled from /proc.
import * as fs from "node:fs";

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
