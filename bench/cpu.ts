// CPU time per process role (CLI, language host, program, policy pack, provider, fleet) over the life
// of a process tree, from /proc: where the time of a run goes, so the next regression is visible.
import * as fs from "node:fs";
import { alive, descendants } from "../test/helpers/proc";

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** What a process of a Pulumi run is; "fleet" is the fleet command's own process, with the inline programs. */
export type Role = "CLI" | "language host" | "program" | "policy pack" | "provider" | "fleet" | "other";

function roleOf(pid: number): Role {
    let cmd: string;
    try {
        cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
    } catch {
        return "other";
    }
    if (/cmd\/run-policy-pack|^\S*node\s+\S*policy\/analyzer\b/.test(cmd)) return "policy pack";
    if (/cmd\/dynamic-provider|pulumi-resource-pulumi-nodejs/.test(cmd)) return "provider";
    if (/cmd\/run\b/.test(cmd)) return "program";
    if (/pulumi-language-nodejs/.test(cmd)) return "language host";
    if (/cli\/fleet(\.ts|\/)/.test(cmd)) return "fleet";
    if (/(^|\/)pulumi\s/.test(cmd)) return "CLI";
    return "other";
}

function cpuSeconds(pid: number): number {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
    } catch {
        return -1;
    }
}

/** Per role: CPU seconds, and how many processes ran. */
export type RoleUsage = Record<Role, { cpu: number; processes: number }>;

/**
 * CPU seconds per role over the life of a process tree, sampled every `everyMs` (a process's last
 * `everyMs` may be missed, and a process shorter than that may not be seen at all).
 */
export function sampleCpu(root: number, everyMs = 20): { stop(): RoleUsage } {
    const seen = new Map<number, { role: Role; cpu: number }>();
    const sample = () => {
        for (const pid of [root, ...descendants(root)]) {
            const cpu = cpuSeconds(pid);
            if (cpu < 0 || !alive(pid)) continue;
            const entry = seen.get(pid) ?? { role: roleOf(pid), cpu: 0 };
            entry.cpu = Math.max(entry.cpu, cpu);
            seen.set(pid, entry);
        }
    };
    const timer = setInterval(sample, everyMs);
    return {
        stop() {
            clearInterval(timer);
            const roles: Role[] = ["CLI", "language host", "program", "policy pack", "provider", "fleet", "other"];
            const out = Object.fromEntries(roles.map((r) => [r, { cpu: 0, processes: 0 }])) as RoleUsage;
            for (const { role, cpu } of seen.values()) {
                out[role].cpu += cpu;
                out[role].processes += 1;
            }
            return out;
        },
    };
}
