// Check failures as the engine should print them: never a value too long to read, never one with a
// credential in a URL.
import { hasUrlCredentials } from "./endpoint";
import type { CheckFailure } from "./inputs";
import { MAX_SHOWN_CHARACTERS } from "./text";

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
