// The rule for the classification API's endpoint URL: https, or plain http to a loopback address only,
// and never credentials in the URL. Shared by the provider's check, its connection settings and the
// policy pack (through `@fk-iac/klassifikation/rules`).

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
