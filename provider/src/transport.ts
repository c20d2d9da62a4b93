// One HTTP exchange with the classification API, as the contract needs it sent: mutual TLS, one
// deadline for all attempts (fk:deadlineMs), and retries (retry.ts) of idempotent requests on 429,
// 5xx and network errors; any request, Opret too, is resent after a 429. What it cannot get through
// is an outcome, not an exception: the caller decides whether "unreachable" is a failure (most
// operations) or an unknown outcome to look up (Opret). Only a TLS failure is thrown, because nothing
// can recover from it.
import { randomUUID } from "node:crypto";
import type { AxiosInstance, AxiosResponse, Method } from "axios";
import { ConnectionSettings, secretsOf } from "./connection";
import { CLASSIFICATION_API, errors, FkError, Service } from "./errors";
import { DebugLog, makeDebugLog, redact } from "./redaction";
import { retrying, sleep } from "./retry";
import { connect, proxySecrets } from "./connect";
import type { EgressProxy } from "./proxy";
import { explainReset, networkCause, tlsCode, tlsExplanation } from "./tls";

/** Statuses that an idempotent request is retried on. */
export const RETRYABLE_STATUS: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/**
 * Statuses that say the service turned the request away before acting on it (RFC 6585: too many
 * requests), so that even a request that is not idempotent (Opret) is resent, after Retry-After.
 */
export const NOT_ACTED_ON_STATUS: ReadonlySet<number> = new Set([429]);

/** One request. */
export interface Request {
    /** The OIO operation, for messages and the debug log. */
    operation: string;
    method: Method;
    url: string;
    data?: unknown;
    params?: Record<string, unknown>;
    headers?: Record<string, string>;
    /** Safe to retry: the same request twice has the effect of once. */
    idempotent: boolean;
}

/**
 * What sending came to: the final response (any status), or no response in time, with the error to
 * report (FK_UNAVAILABLE when every attempt failed, FK_TIMEOUT when the deadline passed first).
 */
export type Sent = ({ kind: "response"; res: AxiosResponse } | { kind: "unreachable"; error: FkError }) & {
    /** The operation's x-TransaktionsId: one uuid per operation, the same on every retry of it. */
    transaktionsId: string;
};

/** Which service a transport talks to: its base URL, the path its requests are under, and its name. */
export interface Target {
    endpoint: string;
    /** @default "/api/v1" */
    basePath: string;
    service: Service;
}

/**
 * Where each request's bearer token comes from, when not a fixed setting: the STS (sts.ts). `renew`
 * is called once when the service answers 401 to `token`, for a token that expired early.
 */
export interface BearerSource {
    token(): Promise<string>;
    renew(stale: string): void;
}

/** What a transport is built with beside the settings. */
export interface TransportOptions {
    /** How the retries wait (tests make it instant). @default sleep */
    wait?: (ms: number) => Promise<void>;
    /** @default the classification API at settings.endpoint */
    target?: Target;
    /** @default the fixed fk:token, if any */
    bearer?: BearerSource;
}

/**
 * One attempt: a response to return, or a cause to retry on (with the server's Retry-After).
 * `resendable`: sending again cannot do the request's effect twice (idempotent, or not acted on).
 */
type Attempt =
    | { kind: "response"; res: AxiosResponse }
    | { kind: "failed"; cause: string; resendable: boolean; retryAfter?: string };

export class HttpTransport {
    private readonly http: AxiosInstance;
    private readonly log: DebugLog;
    /** Every secret of the connection, for redaction (the proxy's password too). */
    readonly secrets: readonly string[];
    /** The egress proxy the endpoint is reached through, if the environment names one. */
    readonly proxy?: EgressProxy;
    readonly target: Target;
    private readonly wait: (ms: number) => Promise<void>;
    private readonly bearer?: BearerSource;

    constructor(
        readonly settings: ConnectionSettings,
        options: TransportOptions = {},
    ) {
        this.wait = options.wait ?? sleep;
        this.bearer = options.bearer;
        this.target = options.target ?? {
            endpoint: settings.endpoint,
            basePath: "/api/v1",
            service: CLASSIFICATION_API,
        };
        this.secrets = secretsOf(settings);
        this.log = makeDebugLog(this.secrets);
        const { http, proxy } = connect(settings, this.target);
        this.http = http;
        this.proxy = proxy;
        if (proxy) this.secrets = [...this.secrets, ...proxySecrets(proxy.url)];
    }

    /**
     * One attempt within `remaining` ms; a TLS failure is thrown (FK_TLS). A retryable status is a
     * failure to retry on (for a request that is not idempotent, only a status that was not acted on),
     * except on the `last` attempt, where it is the response.
     */
    private async attempt(
        req: Request,
        n: number,
        remaining: number,
        last: boolean,
        headers: Record<string, string>,
    ): Promise<Attempt> {
        const started = Date.now();
        const { operation, method, url } = req;
        try {
            const res = await this.http.request({
                method,
                url,
                data: req.data,
                params: req.params,
                headers: { ...req.headers, ...headers },
                timeout: Math.min(this.settings.timeoutMs, remaining),
            });
            this.log(`${operation}: ${method} ${url} -> ${res.status} in ${Date.now() - started}ms (attempt ${n + 1})`);
            // The proxy answered the tunnel itself: it wants credentials.
            if (this.proxy && res.status === 407) {
                throw errors.proxyRefused(operation, this.proxy.shown, this.proxy.source, res.status);
            }
            const resend = req.idempotent ? RETRYABLE_STATUS.has(res.status) : NOT_ACTED_ON_STATUS.has(res.status);
            if (last || !resend) return { kind: "response", res };
            const retryAfter = res.headers["retry-after"] as string | undefined;
            return {
                kind: "failed",
                cause: `HTTP ${res.status}`,
                resendable: true,
                ...(retryAfter ? { retryAfter } : {}),
            };
        } catch (err) {
            const cause = redact(networkCause(err), this.secrets);
            const tls = tlsCode(err);
            if (tls) {
                const explained = tlsExplanation(tls);
                throw errors.tlsFailure(
                    operation,
                    this.target.endpoint,
                    explained ? `${explained} (${cause})` : cause,
                    this.target.service,
                );
            }
            const via = this.proxy ? ` (through the proxy ${this.proxy.shown} from ${this.proxy.source})` : "";
            this.log(`${operation}: ${method} ${url} failed: ${cause}${via} (attempt ${n + 1})`);
            return { kind: "failed", cause: `${cause}${via}`, resendable: req.idempotent };
        }
    }

    /**
     * Sends the request with KOMBIT's request headers (x-TransaktionsId, x-TransaktionsTid) and the
     * bearer token, if any. A 401 to a token from the STS renews the token once and sends again (a 401
     * means the request was refused before it did anything).
     */
    async send(req: Request): Promise<Sent> {
        const transaction = { "x-TransaktionsId": randomUUID(), "x-TransaktionsTid": new Date().toISOString() };
        const transaktionsId = transaction["x-TransaktionsId"];
        const token = this.bearer ? await this.bearer.token() : undefined;
        let sent = await this.sendWith(req, token ? { ...transaction, Authorization: `Bearer ${token}` } : transaction);
        if (token && sent.kind === "response" && sent.res.status === 401) {
            this.log(`${req.operation}: 401 to the STS token; renewing it once`);
            this.bearer!.renew(token);
            const renewed = await this.bearer!.token();
            sent = await this.sendWith(req, { ...transaction, Authorization: `Bearer ${renewed}` });
        }
        // What could not get through names its transaction, for support.
        if (sent.kind === "unreachable")
            return { ...sent, error: sent.error.inTransaction(transaktionsId), transaktionsId };
        return { ...sent, transaktionsId };
    }

    /**
     * Sends the request; an idempotent one is retried on 429, 5xx and network errors, any other only on
     * 429, all within one deadline. A retryable status on the last attempt is returned as the response it is.
     */
    private async sendWith(
        req: Request,
        headers: Record<string, string>,
    ): Promise<{ kind: "response"; res: AxiosResponse } | { kind: "unreachable"; error: FkError }> {
        const { settings, target } = this;
        const result = await retrying<AxiosResponse>(
            {
                attempts: settings.maxRetries + 1,
                baseMs: settings.retryBaseDelayMs,
                capMs: settings.retryMaxDelayMs,
                deadline: Date.now() + settings.deadlineMs,
                wait: this.wait,
                onRetry: (delay, cause) => this.log(`${req.operation}: retrying in ${delay}ms after ${cause}`),
            },
            async (n, remaining, last) => {
                const attempt = await this.attempt(req, n, remaining, last, headers);
                if (attempt.kind === "response") return { kind: "done", value: attempt.res };
                return {
                    kind: "again",
                    cause: attempt.cause,
                    final: !attempt.resendable,
                    ...(attempt.retryAfter !== undefined ? { retryAfter: attempt.retryAfter } : {}),
                };
            },
        );
        if (result.kind === "done") return { kind: "response", res: result.value };
        const { attempts, cause } = result;
        if (result.overdue) {
            return {
                kind: "unreachable",
                error: errors.deadlineExceeded(
                    req.operation,
                    target.endpoint,
                    settings.deadlineMs,
                    attempts,
                    cause,
                    target.service,
                ),
            };
        }
        const withCertificate = Boolean(settings.clientCertificate || settings.pfx);
        return {
            kind: "unreachable",
            error: errors.unavailable(req.operation, attempts, explainReset(cause, withCertificate), target.service),
        };
    }
}
