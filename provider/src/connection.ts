// Connection settings of the classification API: read at run time from the stack's config (namespace
// `fk`) or the environment, never captured into the serialized provider or written to state.
import * as fs from "node:fs";
import { endpointProblem } from "./endpoint";
import { errors } from "./errors";

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
 * Stack config key / environment variable for each field:
 *
 * | field | stack config | environment |
 * | --- | --- | --- |
 * | endpoint | `fk:endpoint` | `FK_KLASSIFIKATION_ENDPOINT` |
 * | token | `fk:token` (secret) | `FK_KLASSIFIKATION_TOKEN` |
 * | clientCertificate | `fk:clientCertificate` (PEM) or `fk:clientCertificateFile` | `FK_KLASSIFIKATION_CLIENT_CERTIFICATE(_FILE)` |
 * | clientKey | `fk:clientKey` (secret PEM) or `fk:clientKeyFile` | `FK_KLASSIFIKATION_CLIENT_KEY(_FILE)` |
 * | clientKeyPassphrase | `fk:clientKeyPassphrase` (secret) | `FK_KLASSIFIKATION_CLIENT_KEY_PASSPHRASE` |
 * | pfx | `fk:pfx` (secret, base64) or `fk:pfxFile` | `FK_KLASSIFIKATION_PFX(_FILE)` |
 * | pfxPassphrase | `fk:pfxPassphrase` (secret) | `FK_KLASSIFIKATION_PFX_PASSPHRASE` |
 * | caBundle | `fk:caBundle` (PEM) or `fk:caBundleFile` | `FK_KLASSIFIKATION_CA_BUNDLE(_FILE)` |
 * | sts.endpoint | `fk:stsEndpoint` | `FK_KLASSIFIKATION_STS_ENDPOINT` |
 * | sts.entityId | `fk:entityId` | `FK_KLASSIFIKATION_ENTITY_ID` |
 * | timeoutMs | `fk:timeoutMs` | `FK_KLASSIFIKATION_TIMEOUT_MS` |
 * | deadlineMs | `fk:deadlineMs` | `FK_KLASSIFIKATION_DEADLINE_MS` |
 * | maxRetries | `fk:maxRetries` | `FK_KLASSIFIKATION_MAX_RETRIES` |
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
    /** Timeout of one HTTP request. @default 30000 */
    timeoutMs: number;
    /**
     * The longest one API operation may take, retries and backoff included: a hung endpoint fails
     * after this, naming the endpoint and the deadline. @default 45000
     */
    deadlineMs: number;
    /** Retries of an idempotent call after 429, 5xx or a network error. @default 5 */
    maxRetries: number;
    /** First backoff delay; doubles each retry, with full jitter. @default 250 */
    retryBaseDelayMs: number;
    /** Longest backoff delay (and longest Retry-After honoured). @default 10000 */
    retryMaxDelayMs: number;
}

/**
 * Every setting this module reads, by its key (stack config `fk:<key>`, environment variable
 * `envName(key)`): the one list that says what a connection is made of, so that whoever must clear
 * or pass on the settings (the fleet, for one municipality's stack) derives them from here.
 */
export const CONNECTION_SETTINGS = [
    "endpoint",
    "token",
    "clientCertificate",
    "clientCertificateFile",
    "clientKey",
    "clientKeyFile",
    "clientKeyPassphrase",
    "pfx",
    "pfxFile",
    "pfxPassphrase",
    // From here on: what may be the same for many municipalities (SHARED_CONNECTION_SETTINGS).
    "caBundle",
    "caBundleFile",
    "stsEndpoint",
    "entityId",
    "timeoutMs",
    "deadlineMs",
    "maxRetries",
    "retryBaseDelayMs",
    "retryMaxDelayMs",
] as const;

export type ConnectionSettingKey = (typeof CONNECTION_SETTINGS)[number];

/**
 * The settings that may be the same for many municipalities (whom to trust, which token service and
 * service, how long to wait): no credential and no endpoint among them. The tail of CONNECTION_SETTINGS, from caBundle on.
 */
export const SHARED_CONNECTION_SETTINGS: readonly ConnectionSettingKey[] = CONNECTION_SETTINGS.slice(
    CONNECTION_SETTINGS.indexOf("caBundle"),
);

/**
 * The system certificate as files, which one vendor's fleet may give once for every municipality it
 * acts for (each then gets its own token from the STS): file paths only, never inline secrets. The
 * passphrases come from the fleet's environment (FLEET_PASSPHRASE_ENV), never from a command line.
 */
export const FLEET_CERTIFICATE_SETTINGS: readonly ConnectionSettingKey[] = [
    "clientCertificateFile",
    "clientKeyFile",
    "pfxFile",
];

/** Where the fleet reads the passphrase of its certificate's key or PKCS#12 bundle. */
export const FLEET_PASSPHRASE_ENV: Readonly<Partial<Record<ConnectionSettingKey, string>>> = {
    clientKeyPassphrase: "FK_FLEET_CLIENT_KEY_PASSPHRASE",
    pfxPassphrase: "FK_FLEET_PFX_PASSPHRASE",
};

/** The credential settings a row's own credentials replace: the fleet's certificate and its passphrases. */
export const FLEET_CREDENTIAL_SETTINGS: readonly ConnectionSettingKey[] = [
    ...FLEET_CERTIFICATE_SETTINGS,
    ...(Object.keys(FLEET_PASSPHRASE_ENV) as ConnectionSettingKey[]),
];

/**
 * Looks up a raw setting; `get("endpoint")` reads fk:endpoint. `nameOf`, when the source has it, says
 * where a setting's value came from as the user set it (`fk:caBundle` in the stack config, or
 * `FK_KLASSIFIKATION_CA_BUNDLE` in the environment), so an error names the place to fix.
 */
export interface SettingSource {
    (key: ConnectionSettingKey): string | undefined;
    nameOf?: (key: ConnectionSettingKey) => string;
}

/** The environment variable of a setting: `clientKeyFile` is FK_KLASSIFIKATION_CLIENT_KEY_FILE. */
export const envName = (key: string) => `FK_KLASSIFIKATION_${key.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase()}`;

/** Settings from environment variables only (e.g. a fleet row's stack environment); empty counts as unset. */
export function environmentSource(env: Record<string, string | undefined>): SettingSource {
    const get: SettingSource = (key) => env[envName(key)] || undefined;
    get.nameOf = envName;
    return get;
}

/** Settings from the stack config (preferred) and then the environment. */
export function settingSource(config?: { get(key: string): string | undefined }): SettingSource {
    const fromConfig = (key: ConnectionSettingKey) => {
        const value = config?.get(`fk:${key}`);
        return value === undefined || value === "" ? undefined : value;
    };
    const environment = environmentSource(process.env);
    const get: SettingSource = (key) => fromConfig(key) ?? environment(key);
    get.nameOf = (key) =>
        fromConfig(key) === undefined && environment(key) !== undefined ? envName(key) : `fk:${key}`;
    return get;
}

/** The name a setting's error gives it: where its value came from, else its stack config key. */
function nameIn(get: SettingSource, key: ConnectionSettingKey): string {
    return get.nameOf?.(key) ?? `fk:${key}`;
}

function integer(get: SettingSource, key: ConnectionSettingKey, fallback: number, min: number, max: number): number {
    const raw = get(key);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
        throw errors.invalidConnection(nameIn(get, key), `must be a whole number from ${min} to ${max}`, raw);
    }
    return n;
}

/** Settings given inline or as a file named by `<key>File`. */
type InlineOrFileKey = "clientCertificate" | "clientKey" | "caBundle" | "pfx";

/**
 * The inline value (decoded by `inline`) or the contents of the file named by `<key>File` (decoded
 * by `file`). Never echoes the value in errors.
 */
function inlineOrFile<T>(
    get: SettingSource,
    key: InlineOrFileKey,
    inline: (text: string) => T,
    file: (contents: Buffer) => T,
): T | undefined {
    const fileKey = `${key}File` as const;
    const text = get(key);
    const fileName = get(fileKey);
    if (text !== undefined && fileName !== undefined) {
        throw errors.invalidConnection(
            nameIn(get, key),
            `set either ${nameIn(get, key)} or ${nameIn(get, fileKey)}, not both`,
        );
    }
    if (text !== undefined) return inline(text);
    if (fileName === undefined) return undefined;
    try {
        return file(fs.readFileSync(fileName));
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? "error";
        throw errors.invalidConnection(nameIn(get, fileKey), `cannot be read: ${code}`, fileName);
    }
}

/** A PEM setting, inline or from its file. */
function pemSetting(get: SettingSource, key: "clientCertificate" | "clientKey" | "caBundle"): string | undefined {
    return inlineOrFile(
        get,
        key,
        (text) => text,
        (contents) => contents.toString("utf8"),
    );
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

/** A PKCS#12 bundle: base64 inline, or the binary file. */
function readPfx(get: SettingSource): Buffer | undefined {
    return inlineOrFile(
        get,
        "pfx",
        (text) => Buffer.from(text, "base64"),
        (contents) => contents,
    );
}

/** The client certificate and key (PEM), or a PKCS#12 bundle: one of the two, complete. */
function readClientCertificate(
    get: SettingSource,
): Pick<ConnectionSettings, "clientCertificate" | "clientKey" | "pfx"> {
    const clientCertificate = pemSetting(get, "clientCertificate");
    const clientKey = pemSetting(get, "clientKey");
    const pfx = readPfx(get);
    if (Boolean(clientCertificate) !== Boolean(clientKey)) {
        throw errors.invalidConnection(
            clientCertificate ? "fk:clientKey" : "fk:clientCertificate",
            "is missing; a client certificate needs both fk:clientCertificate and fk:clientKey (or use fk:pfx)",
        );
    }
    if (pfx && clientCertificate) {
        throw errors.invalidConnection(
            "fk:pfx",
            "cannot be combined with fk:clientCertificate/fk:clientKey; choose one",
        );
    }
    if (clientCertificate && !/-----BEGIN CERTIFICATE-----/.test(clientCertificate)) {
        throw errors.invalidConnection(
            nameIn(get, "clientCertificate"),
            "is not a PEM certificate (-----BEGIN CERTIFICATE-----)",
        );
    }
    if (clientKey && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(clientKey)) {
        throw errors.invalidConnection(nameIn(get, "clientKey"), "is not a PEM private key");
    }
    return { clientCertificate, clientKey, pfx };
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
    const caBundle = pemSetting(get, "caBundle");
    if (caBundle && !/-----BEGIN CERTIFICATE-----/.test(caBundle)) {
        throw errors.invalidConnection(
            nameIn(get, "caBundle"),
            "is not PEM certificates (-----BEGIN CERTIFICATE-----)",
        );
    }
    const hasCertificate = Boolean(certificate.clientCertificate || certificate.pfx);
    const sts = readSts(get, hasCertificate);
    return {
        endpoint,
        ...(sts ? { sts } : { token: readToken(get, hasCertificate) }),
        ...certificate,
        clientKeyPassphrase: get("clientKeyPassphrase"),
        pfxPassphrase: get("pfxPassphrase"),
        caBundle,
        timeoutMs: integer(get, "timeoutMs", 30_000, 100, 600_000),
        deadlineMs: integer(get, "deadlineMs", 45_000, 100, 3_600_000),
        maxRetries: integer(get, "maxRetries", 5, 0, 20),
        retryBaseDelayMs: integer(get, "retryBaseDelayMs", 250, 0, 60_000),
        retryMaxDelayMs: integer(get, "retryMaxDelayMs", 10_000, 0, 300_000),
    };
}

/** Every secret in the settings, for redaction of anything that might be logged or thrown. */
export function secretsOf(s: ConnectionSettings): string[] {
    return [s.token, s.clientKey, s.clientKeyPassphrase, s.pfxPassphrase, s.pfx?.toString("base64")].filter(
        (v): v is string => typeof v === "string" && v.length >= 4,
    );
}
