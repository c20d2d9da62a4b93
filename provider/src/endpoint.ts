// The rule for the classification API's endpoint URL: https, or plain http to a loopback address only,
// and never credentials in the URL; and the one way a URL is shown (`maskUrl`): a password in it, or a
// query parameter that carries a credential, never reaches a message, a log, state or a report. Shared
// by the provider, the CLIs and the policy pack (through `@fk-iac/klassifikation/rules`).

/** True for localhost, ::1 and 127.0.0.0/8. */
export function isLoopback(hostname: string): boolean {
    const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
    return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Checks an endpoint URL: https, or plain http to a loopback address only. Returns a problem
 * description, or undefined when it is fine.
 */
export function endpointProblem(endpoint: string): { insecure: boolean; problem: string } | undefined {
    let url: URL;
    try {
        url = new URL(endpoint);
    } catch {
        return { insecure: false, problem: "is not a URL; expected e.g. https://klassifikation.example.dk" };
    }
    if (url.protocol !== "https:" && url.protocol !== "http:")
        return { insecure: false, problem: "must be an https:// URL" };
    if (url.protocol === "http:" && !isLoopback(url.hostname)) {
        return {
            insecure: true,
            problem: "uses plain HTTP; use https:// (plain HTTP is allowed only to loopback addresses)",
        };
    }
    if (url.username || url.password)
        return { insecure: false, problem: "must not contain credentials; use fk:token or a client certificate" };
    return undefined;
}

/** Query parameters whose values are credentials (matched without case, `-` and `_`). */
const CREDENTIAL_PARAMETERS =
    /^(access)?(token|password|passwd|pwd|secret|key|apikey|sig|signature|auth|authorization|code|credentials?|clientsecret|sas)$/;

/** What stands in a shown URL for a credential. */
export const MASK = "***";

/**
 * A URL as it may be shown anywhere: the user name kept, the password replaced by `***` (a user part
 * alone is masked too: it may be a token), and the value of every query parameter that carries a
 * credential (`token`, `password`, `sig`, `key`, ...) replaced by `***`. Text that is no URL is masked
 * the same way where it has the `scheme://user:password@` form.
 *
 * @example
 * maskUrl("https://svc:s3cret@k.example.dk/api?token=abc&x=1") // "https://svc:***@k.example.dk/api?token=***&x=1"
 */
export function maskUrl(text: string): string {
    let url: URL;
    try {
        url = new URL(text);
    } catch {
        return maskUrlsIn(text);
    }
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return maskUrlsIn(text);
    if (url.password) url.password = MASK;
    else if (url.username) url.username = MASK;
    let masked = url.password !== "" || url.username !== "";
    for (const name of [...url.searchParams.keys()]) {
        if (CREDENTIAL_PARAMETERS.test(name.toLowerCase().replace(/[-_]/g, ""))) {
            url.searchParams.set(name, MASK);
            masked = true;
        }
    }
    // Nothing to hide: the text as it was given (the URL parser would normalise it).
    return masked ? url.toString().replace(/%2A%2A%2A/g, MASK) : text;
}

/**
 * Every URL inside a text masked as {@link maskUrl} does (an error message, a report line).
 *
 * @example
 * maskUrlsIn('endpoint "https://u:p@h/x" is bad') // 'endpoint "https://u:***@h/x" is bad'
 */
export function maskUrlsIn(text: string): string {
    return text.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, (found) => {
        const trailing = /[).,;\]}]+$/.exec(found)?.[0] ?? "";
        const url = found.slice(0, found.length - trailing.length);
        let parsed: URL;
        try {
            parsed = new URL(url);
        } catch {
            return found.replace(/(\/\/[^/@\s:]*):[^/@\s]*@/, `$1:${MASK}@`);
        }
        return (parsed.username || parsed.search ? maskUrl(url) : url) + trailing;
    });
}

/** True when a text holds a URL with a credential in it (a password, or a credential parameter). */
export function hasUrlCredentials(text: string): boolean {
    return maskUrlsIn(text) !== text;
}
