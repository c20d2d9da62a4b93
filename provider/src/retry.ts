// The one backoff rule of the provider: exponential with full jitter, capped, and a server's
// Retry-After honoured when it gives one. The HTTP client's retries of idempotent calls and create's
// look-up-then-create loop both wait with it, so many municipalities' runs that failed together do
// not retry together.

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
