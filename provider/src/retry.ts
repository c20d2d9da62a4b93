// The one retry mechanism of the provider: a loop of attempts (`retrying`), within a deadline when it
// has one, waiting between them by the one backoff rule: exponential with full jitter, capped, and a
// server's Retry-After honoured when it gives one. The HTTP transport's retries and create's
// look-up-then-create loop both run on it, so many municipalities' runs that failed together do not
// retry together.

/** How long to wait before the next attempt. */
export interface BackoffOptions {
    /** The attempt that just failed, counted from 0. */
    attempt: number;
    /** The first attempt's upper bound; it doubles per attempt. */
    baseMs: number;
    /** No wait is longer than this, Retry-After included. */
    capMs: number;
    /** The server's Retry-After header: seconds, or an HTTP date. */
    retryAfter?: string;
    /** A number in [0, 1): `Math.random` unless a test fixes it. */
    random?: () => number;
}

/**
 * Milliseconds to wait: the server's Retry-After when it parses (capped), else a uniformly random
 * wait in [0, min(cap, base × 2^attempt)).
 *
 * @example
 * backoffDelay({ attempt: 2, baseMs: 200, capMs: 5000 }); // somewhere in [0, 800)
 * backoffDelay({ attempt: 0, baseMs: 200, capMs: 5000, retryAfter: "3" }); // 3000
 */
export function backoffDelay(opts: BackoffOptions): number {
    if (opts.retryAfter !== undefined) {
        const seconds = Number(opts.retryAfter);
        const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(opts.retryAfter) - Date.now();
        if (Number.isFinite(ms)) return Math.min(Math.max(ms, 0), opts.capMs);
    }
    const random = opts.random ?? Math.random;
    return Math.floor(random() * Math.min(opts.capMs, opts.baseMs * 2 ** opts.attempt));
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/** How `retrying` goes about it. */
export interface RetryPolicy {
    /** Attempts at most. */
    attempts: number;
    /** The backoff's first upper bound and its cap (backoffDelay). */
    baseMs: number;
    capMs: number;
    /** Give up when it has passed, or the next wait would pass it (ms since the epoch). @default none */
    deadline?: number;
    /** @default sleep */
    wait?: (ms: number) => Promise<void>;
    /** Told each wait and why, before it. @default nothing */
    onRetry?: (delayMs: number, cause: string) => void;
}

/**
 * One attempt's outcome: done, or again with why. `retryAfter`: the server's; `backoff: false` tries
 * again at once; `final` stops (nothing more to try).
 */
export type Attempted<T> =
    | { kind: "done"; value: T }
    | { kind: "again"; cause: string; retryAfter?: string; backoff?: boolean; final?: boolean };

/** What the attempts came to: done, or given up after `attempts`, `overdue` when the deadline ended them. */
export type Retried<T> =
    { kind: "done"; value: T } | { kind: "gaveUp"; attempts: number; cause: string; overdue: boolean };

/**
 * Makes attempts until one is done, the attempts are used up, an attempt is final, or the deadline
 * passes; between attempts it waits by backoffDelay. Each attempt is told its number (from 0), the
 * time left before the deadline, and whether it is the last.
 *
 * @example
 * const r = await retrying({ attempts: 3, baseMs: 250, capMs: 10_000 }, async () => ({ kind: "done", value: 1 }));
 */
export async function retrying<T>(
    policy: RetryPolicy,
    attempt: (n: number, remainingMs: number, last: boolean) => Promise<Attempted<T>>,
): Promise<Retried<T>> {
    const { deadline, wait = sleep } = policy;
    const left = () => (deadline === undefined ? Infinity : deadline - Date.now());
    let cause = "";
    let made = 0;
    for (let n = 0; n < policy.attempts; n++) {
        if (left() <= 0) return { kind: "gaveUp", attempts: made, cause, overdue: true };
        const last = n === policy.attempts - 1;
        const result = await attempt(n, left(), last);
        made = n + 1;
        if (result.kind === "done") return result;
        cause = result.cause;
        if (left() <= 0) return { kind: "gaveUp", attempts: made, cause, overdue: true };
        if (last || result.final) break;
        if (result.backoff === false) continue;
        const delay = backoffDelay({
            attempt: n,
            baseMs: policy.baseMs,
            capMs: policy.capMs,
            ...(result.retryAfter !== undefined ? { retryAfter: result.retryAfter } : {}),
        });
        if (delay >= left()) return { kind: "gaveUp", attempts: made, cause, overdue: true };
        policy.onRetry?.(delay, cause);
        await wait(delay);
    }
    return { kind: "gaveUp", attempts: made, cause, overdue: false };
}
