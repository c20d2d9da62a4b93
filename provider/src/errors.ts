// Every user-facing error of the provider is built here, so messages stay consistent and testable.
// Each says what is wrong, the value found, what is allowed, and how to fix it. None ever contains a
// credential: values from connection settings are named, never shown. Values are shown through
// showValue, so a huge input is cut to a readable length.
import { KMD_OPUS_DEBITOR } from "./domain";
import { type ExistingSubscription, type Mismatch, ownerStack } from "./existing";
import { maskUrl } from "./endpoint";
import { describeKommune } from "./kommuner";
import { showValue as show } from "./text";

/** Stable codes of the provider's errors (for tests and for scripts that read the output). */
export type FkErrorCode =
    | "FK_INVALID_CONNECTION"
    | "FK_INSECURE_ENDPOINT"
    | "FK_UNAUTHORIZED"
    | "FK_FORBIDDEN"
    | "FK_CONFLICT"
    | "FK_CONCURRENT_CHANGE"
    | "FK_REJECTED"
    | "FK_UNAVAILABLE"
    | "FK_TIMEOUT"
    | "FK_WRONG_MUNICIPALITY"
    | "FK_TLS"
    | "FK_MALFORMED_RESPONSE"
    | "FK_UNKNOWN_SORTIMENT"
    | "FK_UNSUPPORTED_SKEMAVERSION"
    | "FK_UNKNOWN_IT_SYSTEM"
    | "FK_NEWER_STATE"
    | "FK_OWNED_ELSEWHERE"
    | "FK_TAKEN_OVER"
    | "FK_NOTHING_IN_FORCE"
    | "FK_MUNICIPALITY_CHANGE"
    | "FK_PROXY"
    | "FK_NO_SERVICE_AGREEMENT"
    | "FK_STS_REFUSED"
    | "FK_TOKEN_MISMATCH";

/** A service the provider calls, as messages name it, with the setting that says where it is. */
export interface Service {
    /** e.g. "the classification API" */
    name: string;
    /** e.g. "fk:endpoint" */
    setting: string;
}

/** The classification API (fk:endpoint). */
export const CLASSIFICATION_API: Service = { name: "the classification API", setting: "fk:endpoint" };

/** FK Adgangsstyring's security token service (fk:stsEndpoint). */
export const STS_SERVICE: Service = { name: "FK Adgangsstyring's token service (STS)", setting: "fk:stsEndpoint" };

/** Where a municipality's IT team asks for what the STS wants. */
const ASK_FOR_AGREEMENT =
    "a service agreement (serviceaftale) for this system and service in Fælleskommunalt Administrationsmodul";

export class FkError extends Error {
    readonly code: FkErrorCode;
    /** HTTP status behind the error, when there was one. */
    readonly status?: number;
    /** The message without its code. */
    readonly detail: string;

    constructor(code: FkErrorCode, message: string, status?: number) {
        super(`${message} [${code}]`);
        this.name = "FkError";
        this.code = code;
        this.status = status;
        this.detail = message;
    }

    /**
     * The same error, naming the operation's x-TransaktionsId, so a municipality can quote it to
     * support. An error that names one already is returned as it is.
     *
     * @example
     * throw err.inTransaction("0b8f…"); // "... (x-TransaktionsId 0b8f…) [FK_REJECTED]"
     */
    inTransaction(transaktionsId: string): FkError {
        if (this.detail.includes("x-TransaktionsId")) return this;
        return new FkError(this.code, `${this.detail} (x-TransaktionsId ${transaktionsId})`, this.status);
    }
}

/** What a failure that wrote nothing says of itself; dropped where something was written before it. */
const NOTHING_WRITTEN = "Nothing was left half-done";

/** A failure's message without its "nothing was written" sentence, for a report where something was. */
function withoutReassurance(message: string): string {
    return message
        .replace(new RegExp(`[.:;] ${NOTHING_WRITTEN}[^.[]*\\.?`, "g"), ".")
        .replace(/\s*\[FK_[A-Z_]+\]/g, "")
        .replace(/\.{2,}/g, ".")
        .replace(/\.+$/, "");
}

export const errors = {
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

    unknownSortiment: (sortiment: string, known: string[]) =>
        new FkError(
            "FK_UNKNOWN_SORTIMENT",
            `sortiment ${show(sortiment)} does not exist in the classification system; ` +
                (known.length
                    ? `known sortimenter include ${known.map((k) => show(k)).join(", ")}`
                    : "give its brugervendtnoegle or uuid"),
        ),

    unsupportedSkemaversion: (skemaversion: string, sortiment: string, supported: string[]) =>
        new FkError(
            "FK_UNSUPPORTED_SKEMAVERSION",
            `skemaversion ${show(skemaversion)} is not offered by sortiment ${sortiment}; it supports ${supported.join(", ")}`,
        ),

    unknownItSystem: (uuid: string) =>
        new FkError(
            "FK_UNKNOWN_IT_SYSTEM",
            `itSystemInstans ${show(uuid)} is not a registered it-systeminstans; check the uuid in the classification system ` +
                `(for KMD Opus Debitor it is ${KMD_OPUS_DEBITOR})`,
        ),

    /**
     * A subscription with the declared sortiment and it-systeminstans exists with other values. Raised
     * before any write (in `pulumi preview` too); names the one found, who made it and when, how it
     * differs, and the ways forward.
     */
    conflictingSubscription: (existing: ExistingSubscription, differences: Mismatch[], state = "active") =>
        new FkError(
            "FK_CONFLICT",
            `an ${state} subscription ${existing.uuid} already exists for this sortiment and it-systeminstans ` +
                `(skemaversion ${existing.skemaversion}, validFrom ${existing.validFrom}, validTo ${existing.validTo ?? "(empty)"}; ` +
                `made by ${existing.oprettetAf} on ${existing.oprettet.slice(0, 10)}), ` +
                `but the program asks for ${differences.map((d) => `${d.field} ${d.wanted ?? "(empty)"}`).join(", ") || "other values"}. ` +
                "Nothing was written. Ways forward: to end it (Gyldig til = today, its history kept) and create the declared one " +
                "in the same pulumi up, set repairExisting (root program: pulumi config set repairExisting true; fleet: --repair " +
                "or the inventory column repair); to keep it, declare it with exactly these values (the next pulumi up adopts it); " +
                "or end it in the classification system first",
            409,
        ),

    /**
     * Another stack manages the subscription (its note names it). Raised before any write, in `pulumi
     * preview` too; names that stack and the ways forward.
     */
    ownedElsewhere: (existing: ExistingSubscription, owner: string) =>
        new FkError(
            "FK_OWNED_ELSEWHERE",
            `subscription ${existing.uuid} (skemaversion ${existing.skemaversion}, validFrom ${existing.validFrom}, ` +
                `validTo ${existing.validTo ?? "(empty)"}) is managed by the Pulumi stack ${ownerStack(owner)} ` +
                `(resource ${owner}), as its note records. Nothing was written: one subscription has one owner. ` +
                `Ways forward: manage it from ${ownerStack(owner)}; or move it to this stack with takeOver ` +
                "(root program: pulumi config set takeOver true; fleet: --take-over), which records this stack as its owner " +
                `with one write of the note and leaves ${ownerStack(owner)} to let go of it on its next refresh or up; ` +
                `or destroy it in ${ownerStack(owner)} first`,
            409,
        ),

    /**
     * The subscription this resource holds in state is now managed by another stack (taken over). Raised
     * before any write; the resource is neither changed nor recreated.
     */
    takenOver: (uuid: string, owner: string, managedBy: string) =>
        new FkError(
            "FK_TAKEN_OVER",
            `subscription ${uuid} is now managed by the Pulumi stack ${ownerStack(owner)} (resource ${owner}), as its note ` +
                `records: it was taken over from this stack (${managedBy}). Nothing was written, and nothing is created ` +
                "in its place. Ways forward: remove the resource from this program (pulumi up then forgets it without ending it), " +
                "or take it back with takeOver (pulumi config set takeOver true)",
            409,
        ),

    /**
     * A repair or replacement ended the wrong subscription(s), and then could not create the declared one:
     * the municipality has none in force until the next `pulumi up`, which finishes the job.
     */
    nothingInForce: (
        ended: readonly { uuid: string; validTo: string | null }[],
        cause: string,
        maybeCreated: boolean,
    ) =>
        new FkError(
            "FK_NOTHING_IN_FORCE",
            `ended ${ended.map((e) => `subscription ${e.uuid} (Gyldig til ${e.validTo ?? "?"})`).join(", ")} and then could not ` +
                `create the declared one: ${withoutReassurance(cause)}. No subscription is in force for this sortiment and ` +
                "it-systeminstans now" +
                (maybeCreated
                    ? " (unless the last Opret, whose answer was lost, went through: the next pulumi up finds it)"
                    : "") +
                ". Run pulumi up again when the classification API answers: it creates the declared one (the ended one stays " +
                "ended, its history kept; repairExisting need not stay set)",
        ),

    /**
     * The program gives the subscription another municipality. Credentials act for one municipality, so no
     * single `up` can end the old one and create the new one: refused in preview, before any write.
     */
    municipalityChange: (uuid: string, from: string, to: string) =>
        new FkError(
            "FK_MUNICIPALITY_CHANGE",
            `kommunekode changes from ${from} to ${to} for subscription ${uuid}: a subscription belongs to one municipality, ` +
                `and credentials act for one, so no single pulumi up can end ${describeKommune(from)}'s and create ` +
                `${describeKommune(to)}'s. Nothing was written. Move the stack in two steps: pulumi destroy with ` +
                `${describeKommune(from)}'s credentials and kommune:kode still ${from} (or pulumi state delete to leave it ` +
                `as it is), then set kommune:kode ${to} with ${describeKommune(to)}'s credentials and pulumi up`,
        ),

    newerState: (uuid: string, found: number, known: number) =>
        new FkError(
            "FK_NEWER_STATE",
            `subscription ${uuid} is recorded in state shape ${found}, written by a newer version of ` +
                `@fk-iac/klassifikation; this version reads shapes up to ${known}. Nothing was sent. ` +
                "Install the version the stack was last updated with (`git pull`, then `npm ci`), and run again",
        ),

    concurrentChange: (uuid: string) =>
        new FkError(
            "FK_CONCURRENT_CHANGE",
            `subscription ${uuid} was changed by someone else since Pulumi last read it (412). ` +
                "Run `pulumi refresh` to see its current state, then `pulumi up` again",
            412,
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
