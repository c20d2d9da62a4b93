// How a response of the classification API becomes a value or an FkError: its body validated against
// the contract's schema (wire.ts), its problem document read, and an unexpected status mapped to the
// error that says what to do. Details from the service are redacted of every secret.
import type { AxiosResponse } from "axios";
import type { z } from "zod";
import { errors, FkError } from "./errors";
import { redact } from "./redaction";
import { RETRYABLE_STATUS } from "./transport";
import { Problem, problemSchema } from "./wire";

/** How a response is read: which status is success, and whether 404 means "absent". */
export interface Expect {
    /** @default 200 */
    ok?: number;
    /** @default false: a 404 is an error */
    absentOn404?: boolean;
}

/** What a failure's message needs to know of the connection. */
export interface FailureContext {
    endpoint: string;
    /** The token came from the STS (a 401 then means something else). */
    viaSts: boolean;
    /** How many attempts a retryable status came after. */
    attempts: number;
    /** Values no message may show. */
    secrets: readonly string[];
}

/** The body, validated against the contract's schema; FK_MALFORMED_RESPONSE when it does not conform. */
export function parseBody<T>(operation: string, schema: z.ZodType<T>, res: AxiosResponse): T {
    const result = schema.safeParse(res.data);
    if (!result.success) {
        const issue = result.error.issues[0];
        throw errors.malformedResponse(
            operation,
            `HTTP ${res.status}, ${issue.path.join(".") || "body"}: ${issue.message}`,
        );
    }
    return result.data;
}

/** The RFC 9457 problem document of an error response, or nothing when there is none. */
export function problemOf(res: AxiosResponse): Problem {
    const parsed = problemSchema.safeParse(res.data);
    return parsed.success ? parsed.data : {};
}

/** The FkError an unexpected status means. */
export function failureOf(operation: string, res: AxiosResponse, context: FailureContext): FkError {
    const p = problemOf(res);
    const detail = redact(
        [p.detail ?? p.title ?? `HTTP ${res.status}`, ...(p.errors ?? []).map((e) => `${e.field}: ${e.message}`)].join(
            "; ",
        ),
        context.secrets,
    );
    if (res.status === 401) return errors.unauthorized(operation, context.endpoint, context.viaSts, detail);
    if (res.status === 403) return errors.forbidden(operation, detail);
    if (res.status === 412) return new FkError("FK_CONCURRENT_CHANGE", `${operation}: ${detail}`, 412);
    if (RETRYABLE_STATUS.has(res.status))
        return errors.unavailable(operation, context.attempts, `HTTP ${res.status}: ${detail}`);
    return errors.rejected(operation, res.status, detail);
}
