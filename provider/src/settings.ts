// The connection settings, described once: each setting's key, whether it is a secret, whether many
// municipalities may share it, whether it can be a file, its default and range, and one line of help.
// The reader (connection.ts), its errors, the fleet's `--setting` rules, the redaction of secrets and
// the README's table are all derived from this one description.

/** What is known of one setting. */
export interface SettingSpec {
    /** What it is, in one line (the README's table). */
    help: string;
    /** Its value is a secret: kept out of state, messages and command lines. @default false */
    secret?: boolean;
    /** May be the same for many municipalities (the fleet's `--setting`): no credential, no endpoint. @default false */
    shared?: boolean;
    /**
     * It can be given as the file named by `<key>File` instead. `"fleet"`: that file may be given once
     * for a whole fleet (`--setting <key>File=...`), e.g. one vendor's system certificate. @default no file
     */
    file?: true | "fleet";
    /** A whole number: its default and the range allowed. @default not a number */
    number?: { default: number; min: number; max: number };
    /** Where the fleet reads it, once for all rows (never from a command line). @default not read by the fleet */
    fleetEnv?: string;
}

/**
 * Every connection setting, as stack config `fk:<key>` or environment variable `envName(key)`.
 *
 * @example
 * SETTINGS.deadlineMs.number.default; // 45000
 */
export const SETTINGS = {
    endpoint: { help: "Base URL of the classification API (the contract's `/api/v1` may be left out)" },
    token: { help: "A fixed bearer token, for a gateway that issues its own (not with the STS)", secret: true },
    clientCertificate: { help: "The system certificate (PEM) for mutual TLS", file: "fleet" },
    clientKey: { help: "The system certificate's private key (PEM)", secret: true, file: "fleet" },
    clientKeyPassphrase: {
        help: "Passphrase of an encrypted private key",
        secret: true,
        fleetEnv: "FK_FLEET_CLIENT_KEY_PASSPHRASE",
    },
    pfx: { help: "The certificate and key as PKCS#12 (base64 inline, binary as a file)", secret: true, file: "fleet" },
    pfxPassphrase: { help: "Passphrase of the PKCS#12 bundle", secret: true, fleetEnv: "FK_FLEET_PFX_PASSPHRASE" },
    caBundle: { help: "CA certificates (PEM) to trust for the endpoint and the STS", shared: true, file: true },
    stsEndpoint: { help: "FK Adgangsstyring's STS, to get each call's token from", shared: true },
    entityId: { help: "The entity id of the service the STS's tokens are for", shared: true },
    timeoutMs: { help: "Timeout of one request", shared: true, number: { default: 30_000, min: 100, max: 600_000 } },
    deadlineMs: {
        help: "The longest one operation may take, retries and the token exchange included",
        shared: true,
        number: { default: 45_000, min: 100, max: 3_600_000 },
    },
    maxRetries: {
        help: "Retries of a request after 429, 5xx or a network error (Opret only after 429)",
        shared: true,
        number: { default: 5, min: 0, max: 20 },
    },
    retryBaseDelayMs: {
        help: "First backoff delay; it doubles each retry, with full jitter",
        shared: true,
        number: { default: 250, min: 0, max: 60_000 },
    },
    retryMaxDelayMs: {
        help: "Longest backoff delay, and the longest Retry-After honoured",
        shared: true,
        number: { default: 10_000, min: 0, max: 300_000 },
    },
} as const satisfies Record<string, SettingSpec>;

type Specs = typeof SETTINGS;
/** A setting named in SETTINGS. */
export type SettingName = keyof Specs;
/** The settings that can be given as a file. */
export type FileSettingName = { [K in SettingName]: Specs[K] extends { file: unknown } ? K : never }[SettingName];
/** The settings that are whole numbers. */
export type NumberSettingName = { [K in SettingName]: Specs[K] extends { number: unknown } ? K : never }[SettingName];

/** The settings whose values are secrets. */
export type SecretSettingName = { [K in SettingName]: Specs[K] extends { secret: true } ? K : never }[SettingName];

/** A key the reader looks up: a setting, or `<setting>File` for one that can be a file. */
export type ConnectionSettingKey = SettingName | `${FileSettingName}File`;

const specOf = (name: SettingName): SettingSpec => SETTINGS[name];
const names = Object.keys(SETTINGS) as SettingName[];

/** The keys of one setting: itself, and its file's key when it can be a file. */
function keysOf(name: SettingName): ConnectionSettingKey[] {
    return specOf(name).file ? [name, `${name}File` as ConnectionSettingKey] : [name];
}

/**
 * Every key the reader looks up: the one list that says what a connection is made of, so that whoever
 * must clear or pass on the settings (the fleet, for one municipality's stack) derives them from here.
 */
export const CONNECTION_SETTINGS: readonly ConnectionSettingKey[] = names.flatMap(keysOf);

/** The settings that may be the same for many municipalities: no credential and no endpoint among them. */
export const SHARED_CONNECTION_SETTINGS: readonly ConnectionSettingKey[] = names
    .filter((n) => specOf(n).shared)
    .flatMap(keysOf);

/**
 * The system certificate as files, which one vendor's fleet may give once for every municipality it
 * acts for (each then gets its own token from the STS): file paths only, never inline secrets.
 */
export const FLEET_CERTIFICATE_SETTINGS: readonly ConnectionSettingKey[] = names
    .filter((n) => specOf(n).file === "fleet")
    .map((n) => `${n}File` as ConnectionSettingKey);

/** Where the fleet reads the passphrase of its certificate's key or PKCS#12 bundle. */
export const FLEET_PASSPHRASE_ENV: Readonly<Partial<Record<ConnectionSettingKey, string>>> = Object.fromEntries(
    names.flatMap((n) => {
        const env = specOf(n).fleetEnv;
        return env ? [[n, env]] : [];
    }),
);

/** The credential settings a row's own credentials replace: the fleet's certificate and its passphrases. */
export const FLEET_CREDENTIAL_SETTINGS: readonly ConnectionSettingKey[] = [
    ...FLEET_CERTIFICATE_SETTINGS,
    ...(Object.keys(FLEET_PASSPHRASE_ENV) as ConnectionSettingKey[]),
];

/** The settings whose values are secrets. */
export const SECRET_SETTINGS = names.filter((n) => specOf(n).secret) as SecretSettingName[];

/** The whole-number settings. */
export const NUMBER_SETTINGS = names.filter((n) => specOf(n).number) as NumberSettingName[];

/** The environment variable of a setting: `clientKeyFile` is FK_KLASSIFIKATION_CLIENT_KEY_FILE. */
export const envName = (key: string) => `FK_KLASSIFIKATION_${key.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase()}`;

/**
 * The README's table of the settings, one row each.
 *
 * @example
 * settingsTable().split("\n")[2]; // "| `fk:endpoint` | `FK_KLASSIFIKATION_ENDPOINT` | none | Base URL of ... |"
 */
export function settingsTable(): string {
    const rows = names.map((name) => {
        const spec = specOf(name);
        const config = keysOf(name)
            .map((k) => `\`fk:${k}\``)
            .join(" or ");
        const env = keysOf(name)
            .map((k) => `\`${envName(k)}\``)
            .join(" or ");
        const notes = [
            spec.number ? `${spec.number.default} (${spec.number.min}-${spec.number.max})` : "",
            spec.secret ? "secret" : "",
            spec.file === "fleet" ? "fleet: the file, once" : "",
            spec.fleetEnv ? `fleet: \`${spec.fleetEnv}\`` : "",
            spec.shared ? "fleet: `--setting`" : "",
        ].filter(Boolean);
        return `| ${config} | ${env} | ${notes.join("; ") || "none"} | ${spec.help} |`;
    });
    return ["| stack config | environment | default; kind | what |", "| --- | --- | --- | --- |", ...rows].join("\n");
}

/**
 * Looks up a raw setting; `get("endpoint")` reads fk:endpoint. `nameOf`, when the source has it, says
 * where a setting's value came from as the user set it (`fk:caBundle` in the stack config, or
 * `FK_KLASSIFIKATION_CA_BUNDLE` in the environment), so an error names the place to fix.
 */
export interface SettingSource {
    (key: ConnectionSettingKey): string | undefined;
    nameOf?: (key: ConnectionSettingKey) => string;
}

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
export function nameIn(get: SettingSource, key: ConnectionSettingKey): string {
    return get.nameOf?.(key) ?? `fk:${key}`;
}
