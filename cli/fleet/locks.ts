// Stack locks that a fleet run leaves behind. The state backend's lock records who holds it (user, host,
// pid, time: the CLI names them when it refuses a locked stack), and the fleet records, per stack, the
// pid of the CLI run it started until that run ends (`runs/<stack>.json` in its state folder). A lock is
// then one of three kinds: the fleet's own run that died (killed with the fleet: its pid is recorded and
// no longer alive on this host), a live run (never touched), or someone else's (never touched). Only the
// first is cleared, and only when asked (`--clear-dead-locks`), with `pulumi cancel`; the table says
// which it was either way.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { CliContext } from "./pulumi";

/** One lock as the CLI reports it when it refuses a locked stack. */
export interface StackLock {
    /** Where the lock lives in the backend (credentials in the URL masked by the CLI). */
    where: string;
    user: string;
    host: string;
    pid: number;
    at: string;
}

/** A run of the CLI the fleet started on a stack, recorded until it ends. */
export interface RecordedRun {
    pid: number;
    host: string;
    startedAt: string;
    /** The fleet operation, e.g. "up". */
    operation: string;
}

/**
 * What a lock is to the fleet: its own run that died, a live run, or someone else's.
 *
 * @example
 * const kind: LockKind = "dead-own";
 */
export type LockKind = "dead-own" | "live" | "foreign";

/** The CLI's words when it refuses a locked stack. */
const LOCKED = "the stack is currently locked by";
const LOCK_LINE = /^\s*(\S+): created by (.*)@(\S+) \(pid (\d+)\) at (\S+)\s*$/;

/** True when a CLI output is the refusal of a locked stack. */
export function isLocked(output: string): boolean {
    return output.includes(LOCKED);
}

/** The locks a CLI output names (one line each after the refusal). */
export function locksIn(output: string): StackLock[] {
    const out: StackLock[] = [];
    for (const line of output.split("\n")) {
        const m = LOCK_LINE.exec(line);
        if (m) out.push({ where: m[1], user: m[2], host: m[3], pid: Number(m[4]), at: m[5] });
    }
    return out;
}

/** True when a process with this pid runs on this host (one we may not signal counts as running). */
export function isAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (err) {
        return (err as NodeJS.ErrnoException).code === "EPERM";
    }
}

/** What a lock is, judged by the runs the fleet recorded for the stack. */
export function judgeLock(lock: StackLock, recorded: readonly RecordedRun[], alive = isAlive): LockKind {
    const ours = recorded.some((r) => r.pid === lock.pid && r.host === lock.host);
    if (lock.host !== os.hostname()) return "foreign";
    if (alive(lock.pid)) return "live";
    return ours ? "dead-own" : "foreign";
}

/**
 * The CLI runs the fleet has under way on each stack (or left behind when it was killed): one file per
 * run, `runs/<stack>/<pid>.json` in the state folder, written before the run can take a lock and removed
 * when it ends.
 */
export class RunRecords {
    private readonly dir: string;

    constructor(stateDir: string) {
        this.dir = path.join(stateDir, "runs");
    }

    private stackDir(stack: string): string {
        return path.join(this.dir, stack);
    }

    /** The runs recorded for the stack that have not ended (as far as the fleet saw). */
    of(stack: string): RecordedRun[] {
        let files: string[];
        try {
            files = fs.readdirSync(this.stackDir(stack));
        } catch {
            return [];
        }
        return files.flatMap((f) => {
            try {
                return [JSON.parse(fs.readFileSync(path.join(this.stackDir(stack), f), "utf8")) as RecordedRun];
            } catch {
                return [];
            }
        });
    }

    /** Recorded as soon as the CLI is started, synchronously: a kill right after still finds it. */
    started(stack: string, pid: number, operation: string): void {
        fs.mkdirSync(this.stackDir(stack), { recursive: true, mode: 0o700 });
        const run: RecordedRun = { pid, host: os.hostname(), startedAt: new Date().toISOString(), operation };
        fs.writeFileSync(path.join(this.stackDir(stack), `${pid}.json`), `${JSON.stringify(run)}\n`);
    }

    /** The run ended (or, after its lock was cleared, is known dead). */
    ended(stack: string, pid: number): void {
        fs.rmSync(path.join(this.stackDir(stack), `${pid}.json`), { force: true });
    }
}

/** The sentence for the table on a locked stack, by what its locks are. */
export function describeLocks(
    stack: string,
    locks: readonly StackLock[],
    kinds: readonly LockKind[],
    clear: boolean,
): string {
    const who = (l: StackLock) => `${l.user}@${l.host} pid ${l.pid} since ${l.at}`;
    const parts = locks.map((l, i) => {
        if (kinds[i] === "dead-own") return `a fleet run that died (${who(l)})`;
        if (kinds[i] === "live") return `a run that is still going (${who(l)}): wait for it`;
        return `someone else (${who(l)}), not a run of this fleet: if it is really gone, pulumi cancel --yes --stack ${stack} in the fleet's project folder`;
    });
    const allDeadOwn = kinds.length > 0 && kinds.every((k) => k === "dead-own");
    const advice =
        allDeadOwn && !clear
            ? "; run again with --clear-dead-locks to remove it and continue (the interrupted run is adopted, no duplicate)"
            : "";
    return `stack ${stack} is locked by ${parts.join("; and by ")}${advice}`;
}

/** A stack the fleet left alone because of its lock; the message says whose lock and what to do. */
export class LockedStackError extends Error {}

/**
 * Runs `attempt`; when the stack is locked, judges its locks. Only locks that are all the fleet's own dead
 * runs are cleared, and only with `clearDeadLocks`: then `cancel` removes them and `attempt` runs once
 * more. Every other case fails with a {@link LockedStackError} naming the lock and the way forward.
 */
export async function withDeadLocksCleared<T extends { message: string }>(
    ctx: Pick<CliContext, "stack">,
    records: RunRecords,
    clearDeadLocks: boolean,
    attempt: () => Promise<T>,
    cancel: () => Promise<void>,
): Promise<T> {
    try {
        return await attempt();
    } catch (err) {
        if (!(err instanceof Error) || !isLocked(err.message)) throw err;
        const locks = locksIn(err.message);
        const kinds = locks.map((l) => judgeLock(l, records.of(ctx.stack)));
        const allDeadOwn = locks.length > 0 && kinds.every((k) => k === "dead-own");
        if (!allDeadOwn || !clearDeadLocks) {
            throw new LockedStackError(describeLocks(ctx.stack, locks, kinds, clearDeadLocks));
        }
        await cancel();
        for (const l of locks) records.ended(ctx.stack, l.pid);
        const outcome = await attempt();
        const cleared = locks.map((l) => `pid ${l.pid} since ${l.at}`).join(", ");
        return {
            ...outcome,
            message: `cleared the lock of a fleet run that died (${cleared}); then ${outcome.message}`,
        };
    }
}
