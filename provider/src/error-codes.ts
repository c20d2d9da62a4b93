// The provider's error codes: a closed set, each with its row in the README's troubleshooting table
// (the row's anchor is the code in lower case, `#fk-timeout`), which a test checks resolves.

/**
 * Every stable code of the provider's errors (for tests, for scripts that read the output, and for the
 * README's troubleshooting rows).
 */
export const FK_ERROR_CODES = [
    "FK_INVALID_CONNECTION",
    "FK_INSECURE_ENDPOINT",
    "FK_UNAUTHORIZED",
    "FK_FORBIDDEN",
    "FK_CONFLICT",
    "FK_CONCURRENT_CHANGE",
    "FK_REJECTED",
    "FK_UNAVAILABLE",
    "FK_TIMEOUT",
    "FK_WRONG_MUNICIPALITY",
    "FK_TLS",
    "FK_MALFORMED_RESPONSE",
    "FK_UNKNOWN_SORTIMENT",
    "FK_UNSUPPORTED_SKEMAVERSION",
    "FK_UNKNOWN_IT_SYSTEM",
    "FK_NEWER_STATE",
    "FK_OWNED_ELSEWHERE",
    "FK_TAKEN_OVER",
    "FK_NOTHING_IN_FORCE",
    "FK_MUNICIPALITY_CHANGE",
    "FK_PROXY",
    "FK_NO_SERVICE_AGREEMENT",
    "FK_STS_REFUSED",
    "FK_TOKEN_MISMATCH",
] as const;

/**
 * A stable code of the provider's errors.
 *
 * @example
 * const code: FkErrorCode = "FK_TIMEOUT";
 */
export type FkErrorCode = (typeof FK_ERROR_CODES)[number];

/** Where the README explains what to do about errors. */
export const TROUBLESHOOTING = "README.md#troubleshooting";

/**
 * The README's troubleshooting row for a code, as a link relative to the repository's root.
 *
 * @example
 * troubleshootingLink("FK_TIMEOUT"); // "README.md#fk-timeout"
 */
export function troubleshootingLink(code: FkErrorCode): string {
    return `README.md#${code.toLowerCase().replace(/_/g, "-")}`;
}
