// The one module that talks to the classification API. It speaks the HTTP+JSON contract of
// contract/openapi.yaml through axios: timeouts, retries with exponential backoff and full jitter on
// 429 (honouring Retry-After), 5xx and network errors for idempotent calls, response validation with
// zod, a user agent, and debug logging with secrets redacted. `ClassificationApi` is the seam where
// another transport (e.g. SOAP over Serviceplatformen) plugs in.
import axios, { AxiosInstance, AxiosResponse, Method } from "axios";
import * as crypto from "node:crypto";
import * as https from "node:https";
import { z } from "zod";
import { ConnectionSettings, secretsOf } from "./connection";
import type { Livscyklus } from "./domain";
import { errors, FkError } from "./errors";
import {
    Abonnement,
    AbonnementOpret,
    abonnementPageSchema,
    abonnementSchema,
    ItSystemInstans,
    itSystemInstansSchema,
    Myndighed,
    myndighedSchema,
    Problem,
    problemSchema,
    Sortiment,
    sortimentListSchema,
    sortimentSchema,
} from "./wire";

/** Filters of Soeg (search) on subscriptions. */
export interface AbonnementFilter {
    sortiment?: string;
    itSystemInstans?: string;
    /** Only subscriptions in force today (not Passiv, not ended). */
    aktiv?: boolean;
    livscyklus?: Exclude<Livscyklus, "Slettet">;
}

/** The outcome of one Opret attempt. */
export type CreateOutcome =
    | { kind: "created"; abonnement: Abonnement }
    | { kind: "conflict"; existing: string | undefined }
    /** The request may or may not have been carried out (lost response, timeout, 5xx). */
    | { kind: "unknown"; cause: string };

/**
 * The classification API as the provider needs it: English verbs on the domain's nouns, each naming
 * the OIO operation (and the contract's operationId) it is.
 */
export interface ClassificationApi {
    /** Laes myndighed (`laesMyndighed`): the municipality the credentials act for. */
    getMyndighed(): Promise<Myndighed>;
    /** Soeg sortiment (`soegSortiment`), by brugervendtnoegle or all. */
    findSortimenter(brugervendtnoegle?: string): Promise<Sortiment[]>;
    /** Laes sortiment (`laesSortiment`); undefined when there is none. */
    getSortiment(uuid: string): Promise<Sortiment | undefined>;
    /** Laes it-systeminstans (`laesItSystemInstans`); undefined when there is none. */
    getItSystemInstans(uuid: string): Promise<ItSystemInstans | undefined>;
    /** Soeg abonnement (`soegAbonnement`): all matching subscriptions, every page. */
    searchAbonnementer(filter: AbonnementFilter): Promise<Abonnement[]>;
    /** Laes abonnement (`laesAbonnement`); undefined when it is gone. */
    getAbonnement(uuid: string): Promise<Abonnement | undefined>;
    /** Opret abonnement (`opretAbonnement`): one attempt, never retried blindly; callers make it safe by searching first. */
    createAbonnement(body: AbonnementOpret): Promise<CreateOutcome>;
    /** Ret abonnement (`retAbonnement`): virkning.to with If-Match; undefined when the subscription is gone. */
    setValidTo(uuid: string, to: string | null, version: number): Promise<Abonnement | undefined>;
    /** Passiver abonnement (`passiverAbonnement`); undefined when it is gone. */
    passivate(uuid: string): Promise<Abonnement | undefined>;
    /** Slet abonnement (`sletAbonnement`); false when it was already gone. */
    remove(uuid: string): Promise<boolean>;
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
// package.json is outside src (the compiler's rootDir), so it is read when the module loads.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require("../package.json") as { version: string };
const USER_AGENT = `fk-iac-klassifikation/${version} (pulumi dynamic provider; node ${process.version})`;

/** Logs to stderr when FK_KLASSIFIKATION_DEBUG is set, with every secret replaced by [secret]. */
export type DebugLog = (message: string) => void;

export function makeDebugLog(secrets: string[]): DebugLog {
    if (!process.env.FK_KLASSIFIKATION_DEBUG) return () => undefined;
    return (message) => process.stderr.write(`[fk-klassifikation] ${redact(message, secrets)}\n`);
}

export function redact(text: string, secrets: string[]): string {
    let out = text;
    for (const s of secrets) out = out.split(s).join("[secret]");
    return out.replace(/(authorization:\s*bearer\s+)\S+/gi, "$1[secret]");
}

/** Certificate and handshake failures: retrying cannot help, and they must never be worked around. */
const TLS_CODES = new Set([
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "SELF_SIGNED_CERT_IN_CHAIN",
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "UNABLE_TO_GET_ISSUER_CERT",
    "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    "CERT_HAS_EXPIRED",
    "CERT_NOT_YET_VALID",
    "CERT_UNTRUSTED",
    "CERT_REJECTED",
    "CERT_SIGNATURE_FAILURE",
    "ERR_TLS_CERT_ALTNAME_INVALID",
    "EPROTO",
    "ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED",
    "ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE",
    "ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED",
    "ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN",
    "ERR_SSL_TLSV1_ALERT_UNKNOWN_CA",
    "ERR_OSSL_BAD_DECRYPT",
    "ERR_OSSL_EVP_BAD_DECRYPT",
]);

function tlsCode(err: unknown): string | undefined {
    const code = (err as { code?: string })?.code ?? (err as { cause?: { code?: string } })?.cause?.code;
    if (code && (TLS_CODES.has(code) || /^ERR_SSL_|^ERR_OSSL_/.test(code))) return code;
    return undefined;
}

function networkCause(err: unknown): string {
    const e = err as { code?: string; message?: string };
    return e.code ? `${e.code}${e.message ? ` (${e.message})` : ""}` : (e.message ?? String(err));
}

/** Refuses, before connecting, a client certificate that is expired or not yet valid. */
function checkCertificateDates(pem: string, endpoint: string): void {
    let cert: crypto.X509Certificate;
    try {
        cert = new crypto.X509Certificate(pem);
    } catch {
        throw errors.invalidConnection("fk:clientCertificate", "cannot be read as an X.509 certificate");
    }
    const now = Date.now();
    if (Date.parse(cert.validTo) < now) {
        throw errors.tlsFailure(
            "connect",
            endpoint,
            `the client certificate (${cert.subject.replace(/\n/g, ", ")}) expired on ${new Date(cert.validTo).toISOString()}; renew it`,
        );
    }
    if (Date.parse(cert.validFrom) > now) {
        throw errors.tlsFailure(
            "connect",
            endpoint,
            `the client certificate is not valid before ${new Date(cert.validFrom).toISOString()}`,
        );
    }
}

interface SendOptions {
    data?: unknown;
    params?: Record<string, unknown>;
    headers?: Record<string, string>;
    /** Safe to retry: the same request twice has the effect of once. */
    idempotent: boolean;
}

export class HttpClassificationApi implements ClassificationApi {
    private readonly http: AxiosInstance;
    private myndighed?: Promise<Myndighed>;
    private readonly log: DebugLog;
    private readonly secrets: string[];

    constructor(
        private readonly settings: ConnectionSettings,
        private readonly sleep = (ms: number) => new Promise((r) => setTimeout(r, ms)),
    ) {
        this.secrets = secretsOf(settings);
        this.log = makeDebugLog(this.secrets);
        if (settings.clientCertificate) checkCertificateDates(settings.clientCertificate, settings.endpoint);
        const agent = new https.Agent({
            keepAlive: true,
            ...(settings.caBundle ? { ca: settings.caBundle } : {}),
            ...(settings.clientCertificate ? { cert: settings.clientCertificate, key: settings.clientKey } : {}),
            ...(settings.clientKeyPassphrase ? { passphrase: settings.clientKeyPassphrase } : {}),
            ...(settings.pfx ? { pfx: settings.pfx, passphrase: settings.pfxPassphrase } : {}),
            rejectUnauthorized: true,
        });
        this.http = axios.create({
            baseURL: `${settings.endpoint}/api/v1`,
            timeout: settings.timeoutMs,
            httpsAgent: agent,
            proxy: false,
            maxRedirects: 0,
            validateStatus: () => true,
            transitional: { clarifyTimeoutError: true },
            headers: {
                "User-Agent": USER_AGENT,
                Accept: "application/json, application/problem+json",
                ...(settings.token ? { Authorization: `Bearer ${settings.token}` } : {}),
            },
        });
    }

    private backoff(attempt: number, retryAfter: string | undefined): number {
        const cap = this.settings.retryMaxDelayMs;
        if (retryAfter !== undefined) {
            const seconds = Number(retryAfter);
            const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - Date.now();
            if (Number.isFinite(ms)) return Math.min(Math.max(ms, 0), cap);
        }
        return Math.floor(Math.random() * Math.min(cap, this.settings.retryBaseDelayMs * 2 ** attempt));
    }

    /**
     * Sends one request; idempotent ones are retried on 429, 5xx and network errors, all within one
     * deadline (fk:deadlineMs). Returns the final response (any status), or throws FK_UNAVAILABLE when
     * every attempt failed, FK_TIMEOUT when the deadline passed first.
     */
    private async send(operation: string, method: Method, url: string, opts: SendOptions): Promise<AxiosResponse> {
        const attempts = opts.idempotent ? this.settings.maxRetries + 1 : 1;
        const deadline = Date.now() + this.settings.deadlineMs;
        const overdue = (attempt: number, cause: string) =>
            errors.deadlineExceeded(operation, this.settings.endpoint, this.settings.deadlineMs, attempt, cause);
        let lastCause = "";
        for (let attempt = 0; attempt < attempts; attempt++) {
            const remaining = deadline - Date.now();
            if (remaining <= 0) throw overdue(attempt, lastCause);
            const started = Date.now();
            let delay: number;
            try {
                const res = await this.http.request({
                    method,
                    url,
                    data: opts.data,
                    params: opts.params,
                    headers: opts.headers,
                    timeout: Math.min(this.settings.timeoutMs, remaining),
                });
                this.log(
                    `${operation}: ${method} ${url} -> ${res.status} in ${Date.now() - started}ms (attempt ${attempt + 1})`,
                );
                if (!RETRYABLE_STATUS.has(res.status) || attempt === attempts - 1) return res;
                lastCause = `HTTP ${res.status}`;
                delay = this.backoff(attempt, res.headers["retry-after"] as string | undefined);
            } catch (err) {
                if (err instanceof FkError) throw err;
                const tls = tlsCode(err);
                if (tls)
                    throw errors.tlsFailure(operation, this.settings.endpoint, redact(networkCause(err), this.secrets));
                lastCause = redact(networkCause(err), this.secrets);
                this.log(`${operation}: ${method} ${url} failed: ${lastCause} (attempt ${attempt + 1})`);
                if (Date.now() >= deadline) throw overdue(attempt + 1, lastCause);
                if (attempt === attempts - 1) break;
                delay = this.backoff(attempt, undefined);
            }
            if (Date.now() + delay >= deadline) throw overdue(attempt + 1, lastCause);
            this.log(`${operation}: retrying in ${delay}ms after ${lastCause}`);
            await this.sleep(delay);
        }
        if (this.settings.clientCertificate || this.settings.pfx) {
            if (/ECONNRESET|socket hang up/.test(lastCause)) {
                lastCause +=
                    "; the server closed the TLS connection, which is how it refuses a client certificate it does not trust or that is not registered for your municipality";
            }
        }
        throw errors.unavailable(operation, attempts, lastCause);
    }

    /**
     * The one request path of every operation: send (with retries when idempotent), then 404 as
     * "absent" where the operation allows it, any other status than `ok` as the matching FkError, and
     * the body validated against the contract.
     */
    private async call<T>(
        operation: string,
        method: Method,
        url: string,
        schema: z.ZodType<T>,
        opts: SendOptions & { ok?: number; absentOn404?: boolean } = { idempotent: true },
    ): Promise<T | undefined> {
        const res = await this.send(operation, method, url, opts);
        if (res.status === 404 && opts.absentOn404) return undefined;
        if (res.status !== (opts.ok ?? 200)) this.fail(operation, res);
        return this.parse(operation, schema, res);
    }

    private parse<T>(operation: string, schema: z.ZodType<T>, res: AxiosResponse): T {
        const result = schema.safeParse(res.data);
        if (!result.success) {
            const issue = result.error.issues[0];
            throw errors.malformedResponse(
                operation,
                `HTTP ${res.status}, ${issue.path.join(".") || "body"}: ${issue.message}`,
            );
        }
        return result.data;
    }

    private problem(res: AxiosResponse): Problem {
        const parsed = problemSchema.safeParse(res.data);
        return parsed.success ? parsed.data : {};
    }

    /** Turns an unexpected status into the right FkError. */
    private fail(operation: string, res: AxiosResponse): never {
        const p = this.problem(res);
        const detail = redact(
            [
                p.detail ?? p.title ?? `HTTP ${res.status}`,
                ...(p.errors ?? []).map((e) => `${e.field}: ${e.message}`),
            ].join("; "),
            this.secrets,
        );
        if (res.status === 401) throw errors.unauthorized(operation, this.settings.endpoint);
        if (res.status === 403) throw errors.forbidden(operation, detail);
        if (res.status === 412) throw new FkError("FK_CONCURRENT_CHANGE", `${operation}: ${detail}`, 412);
        if (RETRYABLE_STATUS.has(res.status))
            throw errors.unavailable(operation, this.settings.maxRetries + 1, `HTTP ${res.status}: ${detail}`);
        throw errors.rejected(operation, res.status, detail);
    }

    async getMyndighed(): Promise<Myndighed> {
        if (!this.myndighed) {
            const lookup = this.call("Laes myndighed", "GET", "/myndighed", myndighedSchema).then((m) => m!);
            // Whom the credentials act for does not change within a process; a failed look-up is not
            // remembered, so the next operation asks again.
            lookup.catch(() => {
                if (this.myndighed === lookup) this.myndighed = undefined;
            });
            this.myndighed = lookup;
        }
        return this.myndighed;
    }

    async findSortimenter(brugervendtnoegle?: string): Promise<Sortiment[]> {
        const list = await this.call("Soeg sortiment", "GET", "/sortimenter", sortimentListSchema, {
            params: brugervendtnoegle === undefined ? {} : { brugervendtnoegle },
            idempotent: true,
        });
        return list!.items;
    }

    getSortiment(uuid: string): Promise<Sortiment | undefined> {
        return this.call("Laes sortiment", "GET", `/sortimenter/${uuid}`, sortimentSchema, {
            idempotent: true,
            absentOn404: true,
        });
    }

    getItSystemInstans(uuid: string): Promise<ItSystemInstans | undefined> {
        return this.call("Laes it-systeminstans", "GET", `/it-systeminstanser/${uuid}`, itSystemInstansSchema, {
            idempotent: true,
            absentOn404: true,
        });
    }

    async searchAbonnementer(filter: AbonnementFilter): Promise<Abonnement[]> {
        const all: Abonnement[] = [];
        const pageSize = 500;
        for (let offset = 0; ; offset += pageSize) {
            const page = (await this.call("Soeg abonnement", "GET", "/abonnementer", abonnementPageSchema, {
                params: { ...filter, foersteresultat: offset, maksimalantalresultater: pageSize },
                idempotent: true,
            }))!;
            all.push(...page.items);
            if (page.items.length === 0 || offset + page.items.length >= page.total) return all;
        }
    }

    getAbonnement(uuid: string): Promise<Abonnement | undefined> {
        return this.call("Laes abonnement", "GET", `/abonnementer/${uuid}`, abonnementSchema, {
            idempotent: true,
            absentOn404: true,
        });
    }

    async createAbonnement(body: AbonnementOpret): Promise<CreateOutcome> {
        let res: AxiosResponse;
        try {
            res = await this.send("Opret abonnement", "POST", "/abonnementer", { data: body, idempotent: false });
        } catch (err) {
            if (err instanceof FkError && (err.code === "FK_UNAVAILABLE" || err.code === "FK_TIMEOUT"))
                return { kind: "unknown", cause: err.message };
            throw err;
        }
        if (res.status === 201)
            return { kind: "created", abonnement: this.parse("Opret abonnement", abonnementSchema, res) };
        if (res.status === 409) return { kind: "conflict", existing: this.problem(res).existing };
        if (RETRYABLE_STATUS.has(res.status)) return { kind: "unknown", cause: `HTTP ${res.status}` };
        this.fail("Opret abonnement", res);
    }

    setValidTo(uuid: string, to: string | null, version: number): Promise<Abonnement | undefined> {
        return this.call("Ret abonnement", "PATCH", `/abonnementer/${uuid}`, abonnementSchema, {
            data: { virkning: { to } },
            headers: { "If-Match": `"${version}"` },
            idempotent: true,
            absentOn404: true,
        });
    }

    passivate(uuid: string): Promise<Abonnement | undefined> {
        return this.call("Passiver abonnement", "POST", `/abonnementer/${uuid}/passiver`, abonnementSchema, {
            idempotent: true,
            absentOn404: true,
        });
    }

    async remove(uuid: string): Promise<boolean> {
        const removed = await this.call(
            "Slet abonnement",
            "DELETE",
            `/abonnementer/${uuid}`,
            z.unknown().transform(() => true),
            { idempotent: true, ok: 204, absentOn404: true },
        );
        return removed ?? false;
    }
}
