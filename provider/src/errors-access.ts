// The errors of reaching the services: connection settings, credentials and the STS, the proxy, TLS,
// the network and the deadline, and statuses no operation expects. Part of the one factory, `errors`
// (errors.ts); none ever shows a credential.
import { maskUrl } from "./endpoint";
import { CLASSIFICATION_API, FkError, NOTHING_WRITTEN, Service, STS_SERVICE } from "./fk-error";
import { describeKommune } from "./kommuner";
import { showValue as show } from "./text";

/** Where a municipality's IT team asks for what the STS wants. */
const ASK_FOR_AGREEMENT =
    "a service agreement (serviceaftale) for this system and service in Fælleskommunalt Administrationsmodul";

export const accessErrors = {
    /** A connection setting is invalid; never shows the value when it is a secret. */
    invalidConnection: (setting: string, problem: string, value?: unknown) =>
        new FkError(
            "FK_INVALID_CONNECTION",
            `connection setting ${setting} ${value === undefined ? "" : `is ${show(value)}: `}${problem}`,
        ),

    insecureEndpoint: (endpoint: string) =>
        new FkError(
            "FK_INSECURE_ENDPOINT",
            `endpoint ${show(endpoint)} uses plain HTTP; the classification API must be reached over HTTPS ` +
                "(plain HTTP is allowed only to loopback addresses such as 127.0.0.1 or localhost). " +
                "Set fk:endpoint to an https:// URL",
        ),

    unauthorized: (operation: string, endpoint: string, viaSts: boolean, detail: string) =>
        new FkError(
            "FK_UNAUTHORIZED",
            `the classification API at ${maskUrl(endpoint)} refused the credentials (401) during ${operation}: ${show(detail, 200)}. ` +
                (viaSts
                    ? "It refused a token just renewed from the STS too. Check that fk:entityId is this service's entity id " +
                      "and that fk:stsEndpoint is the STS the service trusts"
                    : "Check fk:token (pulumi config set --secret fk:token ...) or the client certificate settings; " +
                      "they must be registered for your municipality"),
            401,
        ),

    forbidden: (operation: string, detail: string) =>
        new FkError(
            "FK_FORBIDDEN",
            `the classification API refused ${operation} (403): ${detail}. ` +
                "Your municipality's credentials lack the role needed (for subscriptions: abonner)",
            403,
        ),

    rejected: (operation: string, status: number, detail: string) =>
        new FkError("FK_REJECTED", `the classification API rejected ${operation} (${status}): ${detail}`, status),

    unavailable: (operation: string, attempts: number, cause: string, service: Service = CLASSIFICATION_API) =>
        new FkError(
            "FK_UNAVAILABLE",
            `${service.name} did not answer ${operation} after ${attempts} attempt(s): ${cause}. ` +
                `${NOTHING_WRITTEN}: run pulumi up again when it is reachable`,
        ),

    /** One API operation, retries included, did not finish within fk:deadlineMs. */
    deadlineExceeded: (
        operation: string,
        endpoint: string,
        deadlineMs: number,
        attempts: number,
        cause: string,
        service: Service = CLASSIFICATION_API,
    ) =>
        new FkError(
            "FK_TIMEOUT",
            `${service.name} at ${maskUrl(endpoint)} did not finish ${operation} within the deadline of ${deadlineMs / 1000} s ` +
                `(${attempts} attempt(s); last: ${cause || "no answer"}). ${NOTHING_WRITTEN}. ` +
                `Check that ${service.setting} is ${service.name} and that it is up; if it is only slow, raise fk:deadlineMs ` +
                "(pulumi config set fk:deadlineMs 120000)",
        ),

    /**
     * The credentials act for another municipality than the one the subscription belongs to. Raised
     * before any write.
     */
    wrongMunicipality: (operation: string, endpoint: string, expected: string, actual: string) =>
        new FkError(
            "FK_WRONG_MUNICIPALITY",
            `refusing ${operation}: this stack's subscription belongs to ${describeKommune(expected)}, but the credentials ` +
                `for ${maskUrl(endpoint)} act for ${describeKommune(actual)}. Nothing was sent. Configure ${describeKommune(expected)}'s own ` +
                "token or certificate for this stack (printf '%s' \"$TOKEN\" | pulumi config set --secret fk:token), " +
                `or, if the stack is really for ${describeKommune(actual)}, set kommune:kode to ${actual}`,
        ),

    /** The egress proxy answered the request itself (407: it wants credentials). */
    proxyRefused: (operation: string, proxy: string, source: string, status: number) =>
        new FkError(
            "FK_PROXY",
            `the proxy ${proxy} (from ${source}) refused ${operation} (${status}${status === 407 ? ": Proxy Authentication Required" : ""}); ` +
                "nothing reached the classification API. " +
                (status === 407
                    ? `Give the proxy's credentials in ${source} (http://user:password@host:port), or ask your network team`
                    : `Check that the proxy lets this host reach the endpoint, or name the endpoint's host in NO_PROXY to go direct`),
            status,
        ),

    /** TLS failed: never retried, never downgraded. */
    tlsFailure: (operation: string, endpoint: string, cause: string, service: Service = CLASSIFICATION_API) =>
        new FkError(
            "FK_TLS",
            `TLS with ${maskUrl(endpoint)} failed during ${operation}: ${cause}. The connection was refused, nothing was sent. ` +
                `Check that fk:caBundle(File) trusts the certificate of ${service.name} (${service.setting}) and that the client certificate ` +
                "(fk:clientCertificate/fk:clientKey or fk:pfx) is valid, unexpired and registered for your municipality",
        ),

    malformedResponse: (operation: string, problem: string, service: Service = CLASSIFICATION_API) =>
        new FkError(
            "FK_MALFORMED_RESPONSE",
            `${service.name} answered ${operation} with a response that does not match the contract: ${problem}. ` +
                `Nothing was recorded from it; check ${service.setting} points at ${service.name}`,
        ),

    /** The STS refused a token because the certificate has no service agreement for the municipality. */
    noServiceAgreement: (kommunekode: string, cvr: string, entityId: string, sts: string, detail: string) =>
        new FkError(
            "FK_NO_SERVICE_AGREEMENT",
            `${STS_SERVICE.name} at ${maskUrl(sts)} issues no token for ${describeKommune(kommunekode)}, ` +
                `CVR ${cvr}, with this certificate (${show(detail)}). Nothing was sent to the classification API. ` +
                `Ask for ${ASK_FOR_AGREEMENT}, for CVR ${cvr} and the service ${show(entityId)} (fk:entityId); ` +
                "a vendor's certificate needs one for each municipality it acts for",
            400,
        ),

    /** The STS refused the request for another reason than a missing agreement. */
    stsRefused: (sts: string, status: number, error: string, detail: string) =>
        new FkError(
            "FK_STS_REFUSED",
            `${STS_SERVICE.name} at ${maskUrl(sts)} refused to issue a token (${status} ${show(error)}: ` +
                `${show(detail, 200)}). Nothing was sent to the classification API. Check fk:entityId (the service's entity id), ` +
                `that the system certificate is the one registered in Fælleskommunalt Administrationsmodul, and ${ASK_FOR_AGREEMENT}`,
            status,
        ),

    /**
     * The STS issued a token that does not fit the request (another municipality, another service,
     * bound to another certificate): it is never sent.
     */
    tokenMismatch: (sts: string, what: string) =>
        new FkError(
            "FK_TOKEN_MISMATCH",
            `${STS_SERVICE.name} at ${maskUrl(sts)} issued a token ${what}. It was not used and ` +
                "nothing was sent to the classification API. Check fk:stsEndpoint, fk:entityId and the system certificate",
        ),
};
