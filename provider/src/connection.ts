// Connection settings of the classification API: read at run time from the stack's config (namespace
// `fk`) or the environment, never captured into the serialized provider or written to state.
// What each setting is (key, environment name, default, secret or not) is described once, in settings.ts.
import { endpointProblem } from "./endpoint";
import { errors } from "./errors";
import { readCaBundle, readClientCertificate } from "./certificate-settings";
import { nameIn, NUMBER_SETTINGS, NumberSettingName, SECRET_SETTINGS, SETTINGS, SettingSource } from "./settings";

export {
    CONNECTION_SETTINGS,
    type ConnectionSettingKey,
    envName,
    environmentSource,
    FLEET_CERTIFICATE_SETTINGS,
    FLEET_CREDENTIAL_SETTINGS,
    FLEET_PASSPHRASE_ENV,
    SETTINGS,
    type SettingSource,
    settingSource,
    settingsTable,
    SHARED_CONNECTION_SETTINGS,
} from "./settings";

/** Where and for which service the provider asks FK Adgangsstyring's STS for tokens. */
export interface StsSettings {
    /** Base URL of the STS, e.g. https://n2adgangsstyring.stoettesystemerne.dk (its token route is fixed). */
    endpoint: string;
    /** The entity id of the service the tokens are for. */
    entityId: string;
}

export { endpointProblem, isLoopback } from "./endpoint";

/**
 * How the provider reaches the classification API.
 *
 * Each field comes from the stack config `fk:<key>` or the environment (`envName(key)`); SETTINGS
 * (settings.ts) describes each, and the README shows them as a table.
 *
 * @example
 * pulumi config set fk:endpoint https://klassifikation.example.dk
 * pulumi config set fk:clientCertificateFile /etc/fk/system.crt
 * pulumi config set fk:clientKeyFile /etc/fk/system.key
 * pulumi config set fk:stsEndpoint https://n2adgangsstyring.stoettesystemerne.dk
 * pulumi config set fk:entityId http://entityid.kombit.dk/service/...
 */
export interface ConnectionSettings {
    /** Base URL of the classification API; the contract's paths live under `/api/v1`. */
    endpoint: string;
    /**
     * A fixed bearer token, for a gateway in front of the service that issues its own tokens. KOMBIT's
     * services take tokens from FK Adgangsstyring's STS instead: see `sts`. @default none
     */
    token?: string;
    /**
     * FK Adgangsstyring's security token service: each call carries a token the STS issued for the
     * service (`entityId`) and the municipality's CVR, asked for with the client certificate (sts.ts).
     * @default none: the certificate or token alone identifies the municipality
     */
    sts?: StsSettings;
    /** Client certificate (PEM) for mutual TLS. */
    clientCertificate?: string;
    /** Private key (PEM) of the client certificate. */
    clientKey?: string;
    /** Passphrase of an encrypted clientKey. */
    clientKeyPassphrase?: string;
    /** PKCS#12 bundle with certificate and key, instead of clientCertificate/clientKey. */
    pfx?: Buffer;
    pfxPassphrase?: string;
    /** CA certificates (PEM) to trust for the endpoint, instead of the system's. */
    caBundle?: string;
    /** Timeout of one HTTP request. @default SETTINGS.timeoutMs.number.default */
    timeoutMs: number;
    /**
     * The longest one API operation may take, retries and backoff included: a hung endpoint fails
     * after this, naming the endpoint and the deadline. @default SETTINGS.deadlineMs.number.default
     */
    deadlineMs: number;
    /**
     * Retries after 429, 5xx or a network error (of an Opret, only after 429).
     * @default SETTINGS.maxRetries.number.default
     */
    maxRetries: number;
    /** First backoff delay; doubles each retry, with full jitter. @default SETTINGS.retryBaseDelayMs.number.default */
    retryBaseDelayMs: number;
    /** Longest backoff delay (and longest Retry-After honoured). @default SETTINGS.retryMaxDelayMs.number.default */
    retryMaxDelayMs: number;
}

/** A whole-number setting, within its range (SETTINGS), or its default. */
function integer(get: SettingSource, key: NumberSettingName): number {
    const { default: fallback, min, max } = SETTINGS[key].number;
    const raw = get(key);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
        throw errors.invalidConnection(nameIn(get, key), `must be a whole number from ${min} to ${max}`, raw);
    }
    return n;
}

function readEndpoint(get: SettingSource, endpointOfResource: string | undefined): string {
    const endpoint = endpointOfResource ?? get("endpoint");
    if (endpoint === undefined) {
        throw errors.invalidConnection(
            "fk:endpoint",
            "is not set; run `pulumi config set fk:endpoint https://...` or set FK_KLASSIFIKATION_ENDPOINT",
        );
    }
    const bad = endpointProblem(endpoint);
    if (bad?.insecure) throw errors.insecureEndpoint(endpoint);
    if (bad)
        throw errors.invalidConnection(
            endpointOfResource === undefined ? nameIn(get, "endpoint") : "the resource's endpoint",
            bad.problem,
            /credentials/.test(bad.problem) ? undefined : endpoint,
        );
    // The contract's paths live under /api/v1: an endpoint copied with that suffix means the same API.
    return endpoint.replace(/\/+$/, "").replace(/\/api\/v1$/, "");
}

/**
 * The STS settings: both fk:stsEndpoint and fk:entityId, with a client certificate to ask with and no
 * fixed token beside them; or neither.
 */
function readSts(get: SettingSource, hasCertificate: boolean): StsSettings | undefined {
    const endpoint = get("stsEndpoint");
    const entityId = get("entityId")?.trim();
    if (endpoint === undefined && entityId === undefined) return undefined;
    if (endpoint === undefined || entityId === undefined) {
        const missing = endpoint === undefined ? "stsEndpoint" : "entityId";
        const given = endpoint === undefined ? "entityId" : "stsEndpoint";
        throw errors.invalidConnection(
            `fk:${missing}`,
            `is not set, but ${nameIn(get, given)} is; tokens from FK Adgangsstyring's STS need both ` +
                "fk:stsEndpoint (the STS's URL) and fk:entityId (the service's entity id)",
        );
    }
    const bad = endpointProblem(endpoint);
    if (bad) {
        throw errors.invalidConnection(
            nameIn(get, "stsEndpoint"),
            bad.insecure ? "must be an https:// URL (plain HTTP only to loopback addresses)" : bad.problem,
            /credentials/.test(bad.problem) ? undefined : endpoint,
        );
    }
    if (!ENTITY_ID.test(entityId)) {
        throw errors.invalidConnection(
            nameIn(get, "entityId"),
            "must be the service's entity id, a URI of at most 300 characters without spaces " +
                "(e.g. http://entityid.kombit.dk/service/klassifikation/7)",
            entityId,
        );
    }
    if (!hasCertificate) {
        throw errors.invalidConnection(
            nameIn(get, "stsEndpoint"),
            "needs the system certificate to ask the STS with: set fk:clientCertificate/fk:clientKey or fk:pfx",
        );
    }
    if (get("token") !== undefined) {
        throw errors.invalidConnection(
            nameIn(get, "token"),
            `cannot be combined with ${nameIn(get, "stsEndpoint")}: tokens come from the STS; ` +
                "unset fk:token (pulumi config rm fk:token), or unset fk:stsEndpoint to use a gateway's token",
        );
    }
    return { endpoint: endpoint.replace(/\/+$/, ""), entityId };
}

/** An entity id: a URI, at most 300 characters, no white space. */
const ENTITY_ID = /^[a-z][a-z0-9+.-]*:[^\s]{1,290}$/i;

function readToken(get: SettingSource, hasCertificate: boolean): string | undefined {
    const token = get("token");
    if (token !== undefined && /\s/.test(token.trim())) {
        throw errors.invalidConnection(nameIn(get, "token"), "contains white space; paste the token alone");
    }
    if (!token && !hasCertificate) {
        throw errors.invalidConnection(
            "fk:token",
            "is not set and no client certificate is configured; set fk:token (as a secret) or fk:clientCertificate/fk:clientKey or fk:pfx",
        );
    }
    return token?.trim();
}

/**
 * Reads and validates the connection settings. Errors name the setting, never a secret's value.
 * `endpoint`, when given, is the endpoint recorded on the resource and wins over the setting.
 */
export function readConnectionSettings(get: SettingSource, endpointOfResource?: string): ConnectionSettings {
    const endpoint = readEndpoint(get, endpointOfResource);
    const certificate = readClientCertificate(get);
    const caBundle = readCaBundle(get);
    const hasCertificate = Boolean(certificate.clientCertificate || certificate.pfx);
    const sts = readSts(get, hasCertificate);
    return {
        endpoint,
        ...(sts ? { sts } : { token: readToken(get, hasCertificate) }),
        ...certificate,
        clientKeyPassphrase: get("clientKeyPassphrase"),
        pfxPassphrase: get("pfxPassphrase"),
        caBundle,
        ...(Object.fromEntries(NUMBER_SETTINGS.map((key) => [key, integer(get, key)])) as Record<
            NumberSettingName,
            number
        >),
    };
}

/** Every secret in the settings, for redaction of anything that might be logged or thrown. */
export function secretsOf(s: ConnectionSettings): string[] {
    return SECRET_SETTINGS.map((key) => {
        const value = s[key];
        return Buffer.isBuffer(value) ? value.toString("base64") : value;
    }).filter((v): v is string => typeof v === "string" && v.length >= 4);
}
