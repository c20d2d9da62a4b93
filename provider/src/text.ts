// How values appear in messages. Every user-facing message (provider errors, check failures, policy
// violations) shows a value through showValue, so a 10,000-character input is never echoed in full.
import { maskUrlsIn } from "./endpoint";

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
        // A credential in a URL is never shown (see maskUrl).
        const safe = maskUrlsIn(value);
        if (safe.length <= max) return JSON.stringify(safe);
        return `${JSON.stringify(`${safe.slice(0, max)}…`)} (${safe.length} characters)`;
    }
    try {
        text = JSON.stringify(value) ?? plain(value);
    } catch {
        text = plain(value); // a BigInt, or an object with a cycle
    }
    return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** What JSON cannot show: a BigInt as its digits, else the kind of value. */
function plain(value: unknown): string {
    switch (typeof value) {
        case "bigint":
        case "number":
        case "boolean":
            return String(value);
        case "symbol":
            return value.toString();
        case "function":
            return "(a function)";
        default:
            return Object.prototype.toString.call(value);
    }
}
