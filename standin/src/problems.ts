// RFC 9457 problem documents, built in one place so every error of the stand-in has the same shape.

export interface FieldError {
    /** JSON path of the field, e.g. "virkning.to". */
    field: string;
    message: string;
    value?: unknown;
}

export interface Problem {
    type: string;
    title: string;
    status: number;
    detail?: string;
    existing?: string;
    errors?: FieldError[];
}

/** An error that the HTTP layer turns into a problem+json response. */
export class ProblemError extends Error {
    readonly problem: Problem;
    readonly headers: Record<string, string>;

    constructor(problem: Problem, headers: Record<string, string> = {}) {
        super(problem.detail ?? problem.title);
        this.problem = problem;
        this.headers = headers;
    }
}

const base = "https://fk-iac.invalid/problems/";

function make(status: number, slug: string, title: string, detail?: string, extra: Partial<Problem> = {}) {
    return new ProblemError({ type: base + slug, title, status, ...(detail ? { detail } : {}), ...extra });
}

export const problems = {
    badRequest: (detail: string, errors?: FieldError[]) =>
        make(400, "bad-request", "The request is malformed", detail, errors ? { errors } : {}),
    unauthorized: (detail: string) => make(401, "unauthorized", "Missing or invalid credentials", detail),
    notFound: (what: string, id: string) => make(404, "not-found", `${what} not found`, `${what} ${id} does not exist`),
    conflict: (detail: string, existing?: string) =>
        make(409, "conflict", "Conflicts with the current state", detail, existing ? { existing } : {}),
    preconditionFailed: (expected: string, actual: string) =>
        make(
            412,
            "precondition-failed",
            "The subscription changed since it was read",
            `If-Match ${expected} does not match the current ETag ${actual}`,
        ),
    unsupportedMediaType: (got: string, expected: string) =>
        make(415, "unsupported-media-type", "Unsupported media type", `expected ${expected}, got ${got || "nothing"}`),
    unprocessable: (detail: string, errors: FieldError[]) =>
        make(422, "validation", "The request is not valid", detail, { errors }),
    preconditionRequired: () =>
        make(428, "precondition-required", "If-Match is required", "send If-Match with the ETag from the last read"),
    tooManyRequests: (retryAfterSeconds: number) =>
        new ProblemError(
            {
                type: base + "rate-limited",
                title: "Too many requests",
                status: 429,
                detail: `retry after ${retryAfterSeconds}s`,
            },
            { "Retry-After": String(retryAfterSeconds) },
        ),
    unavailable: (status: 500 | 503) =>
        make(status, "injected-fault", status === 503 ? "Service unavailable" : "Internal error", "injected fault"),
    payloadTooLarge: (limit: number) =>
        make(413, "payload-too-large", "Request body too large", `the body must be at most ${limit} bytes`),
    methodNotAllowed: (method: string, path: string) =>
        make(405, "method-not-allowed", "Method not allowed", `${method} is not allowed on ${path}`),
    internal: () => make(500, "internal", "Internal error", "an unexpected error occurred; see the server log"),
};
