// Secrets never reach a log or an error message: every text that may hold a response, a network
// error or a request passes through `redact` first.

/**
 * The text with every secret replaced by `[secret]`, and any bearer token after an Authorization
 * header too.
 *
 * @example
 * redact("token abc failed", ["abc"]); // "token [secret] failed"
 */
export function redact(text: string, secrets: readonly string[]): string {
    let out = text;
    for (const s of secrets) out = out.split(s).join("[secret]");
    return out.replace(/(authorization:\s*bearer\s+)\S+/gi, "$1[secret]");
}

/** Logs to stderr when FK_KLASSIFIKATION_DEBUG is set, with every secret replaced by [secret]. */
export type DebugLog = (message: string) => void;

/** The debug log for a connection with these secrets: silent unless FK_KLASSIFIKATION_DEBUG is set. */
export function makeDebugLog(secrets: readonly string[]): DebugLog {
    if (!process.env.FK_KLASSIFIKATION_DEBUG) return () => undefined;
    return (message) => process.stderr.write(`[fk-klassifikation] ${redact(message, secrets)}\n`);
}
