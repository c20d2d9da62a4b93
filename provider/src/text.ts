// How values appear in messages. Every user-facing message (provider errors, check failures, policy
// violations) shows a value through showValue, so a 10,000-character input is never echoed in full.

/** Longest part of a value a message shows. */
export const MAX_SHOWN_CHARACTERS = 80;

/**
 * A value as a message shows it: strings quoted, long ones cut with their length named, anything else
 * as JSON, `undefined` as "(not set)".
 *
 * @example
 * showValue("1.2");               // "\"1.2\""
 * showValue("B".repeat(10_000));  // "\"BBBB…\" (10000 characters)"
 */
export function showValue(value: unknown, max: number = MAX_SHOWN_CHARACTERS): string {
    if (value === undefined) return "(not set)";
    let text: string;
    if (typeof value === "string") {
        if (value.length <= max) return JSON.stringify(value);
        return `${JSON.stringify(`${value.slice(0, max)}…`)} (${value.length} characters)`;
    }
    try {
        text = JSON.stringify(value) ?? String(value);
    } catch {
        text = String(value);
    }
    return text.length > max ? `${text.slice(0, max)}…` : text;
}
