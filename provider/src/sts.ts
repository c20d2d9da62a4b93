// Tokens from FK Adgangsstyring's security token service (STS), as KOMBIT's REST services need them:
// OAuth 2.0 client_credentials over mutual TLS with the system certificate, for one service (entity
// id) and one municipality (its CVR, the "anvenderkontekst"); contract/sts.md has the exchange.
//
// A token is checked before it is ever sent (jose decodes it; nothing here parses a JWT by hand): it
// must name the municipality asked for (the tenant guard), the service, and this certificate. Tokens
// live in this process's memory only, one per STS, service, certificate and municipality, reused
// until shortly before they expire.
import { createHash } from "node:crypto";
import * as tls from "node:tls";
import { decodeJwt } from "jose";
import { z } from "zod";
import type { ConnectionSettings, StsSettings } from "./connection";
import { errors, STS_SERVICE } from "./errors";
import { describeCvr, kommuneCvr } from "./kommuner";
import { BearerSource, HttpTransport, RETRYABLE_STATUS } from "./transport";

/** The token route on the STS, under fk:stsEndpoint. */
export const STS_ISSUE_PATH = "/runtime/api/rest/oauth/v1/issue";

/** The operation as messages name it. */
const OPERATION = "Hent token (STS)";

/** A token is renewed this long before it expires: a minute, or a quarter of a short lifetime. */
const RENEW_BEFORE_MS = 60_000;

const answerSchema = z.object({
    access_token: z.string().min(1),
    token_type: z.string().optional(),
    expires_in: z.number().positive(),
});

const oauthErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

/** A token and when to stop using it. */
interface Issued {
    token: string;
    /** Epoch ms after which it is renewed before use. */
    renewAt: number;
}

/**
 * Every token of this process, by STS, entity id, certificate and CVR, with the token it settled
 * with (to tell a stale token from one another operation renewed already). Never written anywhere.
 */
const tokens = new Map<string, { issued: Promise<Issued>; token?: string }>();

/** Tokens asked for since the process started, by the same key (tests and benchmarks count them). */
export const stsCalls = { count: 0 };

/** Thumbprints already worked out, by the SHA-256 of the certificate settings. */
const thumbprints = new Map<string, string>();

/** The base64url SHA-256 of the client certificate (DER), as a token's cnf claim names it. */
export function certificateThumbprint(settings: ConnectionSettings): string {
    const material = createHash("sha256")
        .update(settings.clientCertificate ?? "")
        .update("\0")
        .update(settings.pfx ?? Buffer.alloc(0))
        .digest("hex");
    let thumbprint = thumbprints.get(material);
    if (thumbprint === undefined) {
        thumbprint = thumbprintOf(settings);
        thumbprints.set(material, thumbprint);
    }
    return thumbprint;
}

/** The certificate and key as TLS loads them; a key that does not open is named by its setting. */
function secureContext(settings: ConnectionSettings): tls.SecureContext {
    try {
        return tls.createSecureContext({
            ...(settings.clientCertificate ? { cert: settings.clientCertificate, key: settings.clientKey } : {}),
            ...(settings.clientKeyPassphrase ? { passphrase: settings.clientKeyPassphrase } : {}),
            ...(settings.pfx ? { pfx: settings.pfx, passphrase: settings.pfxPassphrase } : {}),
        });
    } catch (err) {
        const code = (err as { code?: string }).code ?? "error";
        if (/BAD_DECRYPT|MAC_VERIFY_FAILURE/.test(code) || /bad decrypt|mac verify/i.test(String(err))) {
            throw errors.invalidConnection(
                settings.pfx ? "fk:pfxPassphrase" : "fk:clientKeyPassphrase",
                "does not open the system certificate's key: check the passphrase",
            );
        }
        throw errors.invalidConnection(
            settings.pfx ? "fk:pfx" : "fk:clientCertificate",
            `cannot be loaded as the system certificate (${code})`,
        );
    }
}

function thumbprintOf(settings: ConnectionSettings): string {
    const context = secureContext(settings);
    const socket = new tls.TLSSocket(null as never, { secureContext: context });
    try {
        const raw = (socket.getCertificate() as tls.PeerCertificate | null)?.raw;
        if (!raw) throw new Error("no client certificate");
        return createHash("sha256").update(raw).digest("base64url");
    } finally {
        socket.destroy();
    }
}

/**
 * The tokens for one municipality through one connection's settings.
 *
 * @example
 * const sts = new StsTokens(settings, "0751");
 * const jwt = await sts.token(); // for Aarhus, CVR 55133018
 */
export class StsTokens implements BearerSource {
    private readonly sts: StsSettings;
    private readonly cvr: string;
    private readonly transport: HttpTransport;
    private readonly thumbprint: string;
    private readonly key: string;

    constructor(
        settings: ConnectionSettings,
        private readonly kommunekode: string,
        wait?: (ms: number) => Promise<void>,
    ) {
        if (!settings.sts) throw new Error("StsTokens needs fk:stsEndpoint and fk:entityId");
        this.sts = settings.sts;
        const cvr = kommuneCvr(kommunekode);
        if (!cvr) throw new Error(`kommunekode ${kommunekode} has no CVR number in the rules`);
        this.cvr = cvr;
        this.transport = new HttpTransport(settings, {
            ...(wait ? { wait } : {}),
            target: { endpoint: this.sts.endpoint, basePath: "", service: STS_SERVICE },
        });
        this.thumbprint = certificateThumbprint(settings);
        this.key = [this.sts.endpoint, this.sts.entityId, this.thumbprint, cvr].join("\n");
    }

    async token(): Promise<string> {
        const cached = tokens.get(this.key);
        if (cached) {
            const issued = await cached.issued.catch(() => undefined);
            if (issued && Date.now() < issued.renewAt) return issued.token;
            if (tokens.get(this.key) !== cached) return this.token();
        }
        const entry: { issued: Promise<Issued>; token?: string } = { issued: this.issue() };
        tokens.set(this.key, entry);
        entry.issued.then(
            (issued) => (entry.token = issued.token),
            () => {
                if (tokens.get(this.key) === entry) tokens.delete(this.key);
            },
        );
        return (await entry.issued).token;
    }

    /** Forgets the token the service refused, unless another operation renewed it already. */
    renew(stale: string): void {
        if (tokens.get(this.key)?.token === stale) tokens.delete(this.key);
    }

    /** One exchange with the STS, and the checks of its answer. */
    private async issue(): Promise<Issued> {
        const { entityId, endpoint } = this.sts;
        const form = new URLSearchParams({
            grant_type: "client_credentials",
            client_id: entityId,
            scope: `entityid:${entityId},anvenderkontekst:${this.cvr}`,
        });
        stsCalls.count++;
        const asked = Date.now();
        const sent = await this.transport.send({
            operation: OPERATION,
            method: "POST",
            url: STS_ISSUE_PATH,
            data: form.toString(),
            headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
            // Asking twice for a token has the effect of asking once.
            idempotent: true,
        });
        if (sent.kind === "unreachable") throw sent.error;
        const { res } = sent;
        if (RETRYABLE_STATUS.has(res.status)) {
            const attempts = this.transport.settings.maxRetries + 1;
            throw errors.unavailable(OPERATION, attempts, `HTTP ${res.status} from ${endpoint}`, STS_SERVICE);
        }
        if (res.status !== 200) {
            const refusal = oauthErrorSchema.safeParse(res.data);
            const error = refusal.success ? refusal.data.error : `HTTP ${res.status}`;
            const detail = refusal.success ? (refusal.data.error_description ?? error) : "no OAuth error in the answer";
            if (error === "unauthorized_client") {
                throw errors.noServiceAgreement(this.kommunekode, this.cvr, entityId, endpoint, detail);
            }
            throw errors.stsRefused(endpoint, res.status, error, detail);
        }
        const answer = answerSchema.safeParse(res.data);
        if (!answer.success) {
            const issue = answer.error.issues[0];
            const where = issue.path.join(".") || "body";
            throw errors.malformedResponse(`${OPERATION} at ${endpoint}`, `${where}: ${issue.message}`, STS_SERVICE);
        }
        const token = answer.data.access_token;
        const claims = this.claimsOf(token);
        this.mustFit(claims);
        const lifetimeMs = answer.data.expires_in * 1000;
        const expires = Math.min(asked + lifetimeMs, typeof claims.exp === "number" ? claims.exp * 1000 : Infinity);
        return { token, renewAt: expires - Math.min(RENEW_BEFORE_MS, lifetimeMs / 4) };
    }

    private claimsOf(token: string): ReturnType<typeof decodeJwt> {
        try {
            return decodeJwt(token);
        } catch (err) {
            throw errors.malformedResponse(
                `${OPERATION} at ${this.sts.endpoint}`,
                `access_token is not a JWT (${(err as Error).message})`,
                STS_SERVICE,
            );
        }
    }

    /** The tenant guard, and the token's service and certificate: a token that does not fit is never sent. */
    private mustFit(claims: ReturnType<typeof decodeJwt>): void {
        const { endpoint, entityId } = this.sts;
        if (claims.cvr !== this.cvr) {
            const other = typeof claims.cvr === "string" ? describeCvr(claims.cvr) : "no municipality (no cvr claim)";
            throw errors.tokenMismatch(endpoint, `for ${other}, but this stack acts for ${describeCvr(this.cvr)}`);
        }
        const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
        if (!audience.includes(entityId)) {
            throw errors.tokenMismatch(endpoint, `for the service ${String(claims.aud)}, not fk:entityId ${entityId}`);
        }
        const bound = (claims.cnf as Record<string, unknown> | undefined)?.["x5t#S256"];
        if (bound !== this.thumbprint) {
            throw errors.tokenMismatch(endpoint, "bound to another certificate than the configured system certificate");
        }
    }
}

/** Forgets every token of this process (tests). */
export function forgetTokens(): void {
    tokens.clear();
}
