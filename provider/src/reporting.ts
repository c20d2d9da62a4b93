// How a failed operation reaches the user: its reason once, without a JavaScript stack trace.
//
// The Pulumi SDK's dynamic provider server prints `${error}: ${error.stack}` to stderr when check,
// diff, read or delete fail, and the engine then reports the same error again. So each failure would
// show twice, with a stack trace. The provider notes each error it hands to the SDK, and a console
// filter drops exactly that one echo; anything else on stderr passes. FK_KLASSIFIKATION_DEBUG=1
// keeps the echo, stack and all, for debugging.

import { hasUrlCredentials } from "./endpoint";
import type { CheckFailure } from "./inputs";
import { MAX_SHOWN_CHARACTERS } from "./text";

const echoes = new Set<string>();
let installed = false;

function installFilter(): void {
    if (installed || process.env.FK_KLASSIFIKATION_DEBUG) return;
    installed = true;
    const original = console.error.bind(console);
    console.error = (...args: unknown[]) => {
        if (args.length === 1 && typeof args[0] === "string" && echoes.delete(args[0])) return;
        original(...args);
    };
}

/**
 * Runs one provider operation; if it fails, the SDK's echo of that failure (with its stack) is
 * suppressed, and the error itself goes on to the engine, which shows its message once.
 */
export async function reported<T>(operation: () => Promise<T>): Promise<T> {
    installFilter();
    try {
        return await operation();
    } catch (err) {
        if (err instanceof Error) echoes.add(`${err}: ${err.stack}`);
        throw err;
    }
}

/**
 * Check failures as the engine should get them. The engine prints a failure that names a property
 * with that property's whole value ("property sortiment value {...} has a problem: ..."); for a value
 * longer than a message shows (or a property the program did not set, such as a missing required
 * input), or one with a credential in a URL, the property is left out, so the engine prints only the
 * reason, which names the input and shows its value cut to a readable length and masked.
 */
export function forEngine(
    failures: CheckFailure[] | undefined,
    news: Record<string, unknown>,
): CheckFailure[] | undefined {
    return failures?.map((f) => {
        let shown: string;
        try {
            shown = JSON.stringify(news?.[f.property]) ?? "";
        } catch {
            shown = "";
        }
        // The engine prints the value as it is: never one that carries a credential in a URL.
        const readable =
            f.property in (news ?? {}) && shown.length <= MAX_SHOWN_CHARACTERS && !hasUrlCredentials(shown);
        return readable ? f : { property: "", reason: f.reason };
    });
}
