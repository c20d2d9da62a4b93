// The one retry mechanism (provider/src/retry.ts) that the HTTP transport and create's loop share:
// attempts until done, used up or final, waits by the backoff between them (Retry-After honoured),
// and gives up at the deadline, saying so.
import * as assert from "node:assert/strict";
import { Attempted, retrying } from "../../../provider/src/retry";

/** A fake clock's waits, and attempts that answer from a script. */
function scripted(answers: Attempted<string>[]) {
    const waits: number[] = [];
    const seen: Array<{ n: number; last: boolean }> = [];
    const attempt = (n: number, _remaining: number, last: boolean) => {
        seen.push({ n, last });
        return Promise.resolve(answers[n]);
    };
    const wait = (ms: number) => {
        waits.push(ms);
        return Promise.resolve();
    };
    return { waits, seen, attempt, wait };
}

describe("retrying", function () {
    it("tries again after a failure, waiting as the server's Retry-After says, until one is done", async function () {
        const s = scripted([
            { kind: "again", cause: "HTTP 429", retryAfter: "2" },
            { kind: "again", cause: "HTTP 503", retryAfter: "1" },
            { kind: "done", value: "ok" },
        ]);
        const r = await retrying({ attempts: 5, baseMs: 100, capMs: 10_000, wait: s.wait }, s.attempt);
        assert.deepEqual(r, { kind: "done", value: "ok" });
        assert.deepEqual(s.waits, [2000, 1000]);
    });

    it("gives up when the attempts are used up, with no wait after the last, which knows it is last", async function () {
        const again = { kind: "again", cause: "HTTP 500", retryAfter: "0" } as const;
        const s = scripted([again, again, again]);
        const r = await retrying({ attempts: 3, baseMs: 100, capMs: 1000, wait: s.wait }, s.attempt);
        assert.deepEqual(r, { kind: "gaveUp", attempts: 3, cause: "HTTP 500", overdue: false });
        assert.deepEqual(s.waits, [0, 0]);
        assert.deepEqual(
            s.seen.map((x) => x.last),
            [false, false, true],
        );
    });

    it("stops at a final failure, and tries at once when told not to back off", async function () {
        const s = scripted([
            { kind: "again", cause: "ended the wrong one", backoff: false },
            { kind: "again", cause: "ECONNRESET", final: true },
        ]);
        const r = await retrying({ attempts: 6, baseMs: 100, capMs: 1000, wait: s.wait }, s.attempt);
        assert.deepEqual(r, { kind: "gaveUp", attempts: 2, cause: "ECONNRESET", overdue: false });
        assert.deepEqual(s.waits, []);
    });

    it("gives up, overdue, rather than wait past the deadline", async function () {
        const s = scripted([{ kind: "again", cause: "HTTP 429", retryAfter: "5" }]);
        const r = await retrying(
            { attempts: 6, baseMs: 100, capMs: 10_000, deadline: Date.now() + 1000, wait: s.wait },
            s.attempt,
        );
        assert.deepEqual(r, { kind: "gaveUp", attempts: 1, cause: "HTTP 429", overdue: true });
        assert.deepEqual(s.waits, []);
    });
});
