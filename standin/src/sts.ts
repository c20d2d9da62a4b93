// The stand-in's security token service, shaped as FK Adgangsstyring's OAuth 2.0 route
// (contract/sts.md): a system presents its certificate (mutual TLS) and asks, with
// client_credentials, for a token for one service (entity id) acting for one municipality (CVR).
// It issues a signed JWT bound to that certificate, and the API side checks such tokens.
// Tokens are signed and verified with jose; nothing here parses a JWT by hand.
import * as crypto from "node:crypto";
import type { TLSSocket } from "node:tls";
import { errors as joseErrors, generateKeyPair, JWTPayload, jwtVerify, KeyLike, SignJWT } from "jose";
import { z } from "zod";
import { ProblemError } from "./problems";

/** The stand-in's entity id of the subscription service (the real SF7002 one is not public). */
export const STANDIN_ENTITY_ID = "http://entityid.standin.invalid/service/sortimentsabonnement/1";

/** The path of the token route, as on FK Adgangsstyring's STS. */
export const STS_ISSUE_PATH = "/runtime/api/rest/oauth/v1/issue";

/** Who the stand-in's tokens say issued them. */
const ISSUER = "https://sts.standin.invalid";

/**
 * How the STS answers, for tests of a client against a misbehaving STS: `normal`, or one broken
 * answer (not JSON, no token, a token that is not a JWT, no expires_in), or a well-signed token that
 * is wrong for the request (another CVR, another entity id, bound to another certificate).
 */
export const STS_ANSWERS = [
    "normal",
    "notJson",
    "noToken",
    "notJwt",
    "noExpiresIn",
    "otherCvr",
    "otherEntityId",
    "otherCertificate",
] as const;
export type StsAnswer = (typeof STS_ANSWERS)[number];

export const stsSettingsSchema = z
    .object({
        /** Lifetime of the tokens issued from now on, in seconds. @default 28800 (8 hours, as the real STS) */
        lifetimeSeconds: z.number().int().min(1).max(86_400).optional(),
        /** @default "normal" */
        answer: z.enum(STS_ANSWERS).optional(),
    })
    .strict();
export type StsSettings = z.infer<typeof stsSettingsSchema>;

/** A service agreement: the certificate (SHA-256 fingerprint as Node prints it) may act for these CVRs. */
export const serviceAgreementSchema = z
    .object({
        certificateFingerprint: z.string().regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/),
        cvr: z.array(z.string().regex(/^\d{8}$/)).min(1),
    })
    .strict();
export type ServiceAgreement = z.infer<typeof serviceAgreementSchema>;

/** What a checked token says: the CVR it acts for. */
export interface VerifiedToken {
    cvr: string;
}

/** An OAuth 2.0 error answer (RFC 6749 section 5.2). */
export class OAuthError extends Error {
    constructor(
        readonly status: 400 | 401,
        readonly error: string,
        readonly description: string,
    ) {
        super(description);
    }
}

/** The base64url SHA-256 thumbprint of a certificate (DER), as a token's cnf claim carries it. */
export function thumbprintS256(der: Buffer): string {
    return crypto.createHash("sha256").update(der).digest("base64url");
}

/** The client certificate of an authorized mutual-TLS request, if any. */
function peerCertificate(socket: unknown): crypto.X509Certificate | undefined {
    const tls = socket as TLSSocket;
    if (!tls.encrypted || !tls.authorized) return undefined;
    const raw = tls.getPeerCertificate()?.raw;
    return raw ? new crypto.X509Certificate(raw) : undefined;
}

function invalidToken(detail: string): ProblemError {
    return new ProblemError(
        {
            type: "https://fk-iac.invalid/problems/invalid-token",
            title: "Missing or invalid credentials",
            status: 401,
            detail,
        },
        { "WWW-Authenticate": `Bearer error="invalid_token", error_description="${detail.replace(/"/g, "'")}"` },
    );
}

export class TokenService {
    private keys?: Promise<{ privateKey: KeyLike; publicKey: KeyLike; kid: string }>;
    private readonly agreements = new Map<string, Set<string>>();
    private settings: Required<StsSettings> = { lifetimeSeconds: 28_800, answer: "normal" };
    /** Tokens issued since start, per CVR (the tests count them). */
    readonly issued = new Map<string, number>();

    /** @param onIssued receives every token issued (tests scan output and files for them). */
    constructor(
        readonly entityId: string = STANDIN_ENTITY_ID,
        agreements: readonly ServiceAgreement[] = [],
        settings: StsSettings = {},
        private readonly onIssued?: (token: string) => void,
    ) {
        for (const a of agreements) for (const cvr of a.cvr) this.grant(a.certificateFingerprint, cvr);
        this.configure(settings);
    }

    /** Changes the settings given; the others stay. */
    configure(settings: StsSettings): Required<StsSettings> {
        this.settings = { ...this.settings, ...stsSettingsSchema.parse(settings) };
        return this.current();
    }

    current(): Required<StsSettings> {
        return { ...this.settings };
    }

    /** Adds a service agreement: the certificate may get tokens for the CVR. */
    grant(fingerprint: string, cvr: string): void {
        let cvrs = this.agreements.get(fingerprint);
        if (!cvrs) this.agreements.set(fingerprint, (cvrs = new Set()));
        cvrs.add(cvr);
    }

    /** Ends a service agreement; true when there was one. */
    revoke(fingerprint: string, cvr: string): boolean {
        return this.agreements.get(fingerprint)?.delete(cvr) ?? false;
    }

    /** A new signing key, as at a key rollover: tokens signed before are refused from now on. */
    rotateKey(): void {
        this.keys = undefined;
    }

    private signingKeys(): Promise<{ privateKey: KeyLike; publicKey: KeyLike; kid: string }> {
        this.keys ??= generateKeyPair("PS256").then((pair) => ({ ...pair, kid: crypto.randomUUID() }));
        return this.keys;
    }

    /**
     * The token route: client_credentials with the certificate of the TLS connection. Answers the JSON
     * body (or, when told to misbehave, whatever it was told), or throws an OAuthError.
     */
    async issue(socket: unknown, form: URLSearchParams): Promise<{ status: number; body: unknown; type: string }> {
        const cert = peerCertificate(socket);
        if (!cert) throw new OAuthError(401, "invalid_client", "a client certificate (mutual TLS) is required");
        if (form.get("grant_type") !== "client_credentials") {
            throw new OAuthError(400, "unsupported_grant_type", "grant_type must be client_credentials");
        }
        const scope = /^entityid:(\S+),anvenderkontekst:(\d{8})$/.exec(form.get("scope") ?? "");
        if (!scope) {
            throw new OAuthError(400, "invalid_scope", "scope must be entityid:<entity id>,anvenderkontekst:<CVR>");
        }
        const [, entityId, cvr] = scope;
        if (entityId !== this.entityId || form.get("client_id") !== entityId) {
            throw new OAuthError(400, "invalid_scope", `unknown service entity id ${entityId}`);
        }
        if (!this.agreements.get(cert.fingerprint256)?.has(cvr)) {
            throw new OAuthError(
                400,
                "unauthorized_client",
                `the certificate has no service agreement for anvenderkontekst ${cvr}`,
            );
        }
        this.issued.set(cvr, (this.issued.get(cvr) ?? 0) + 1);
        const { lifetimeSeconds, answer } = this.settings;
        const token = await this.sign({
            cvr: answer === "otherCvr" ? "00000000" : cvr,
            entityId: answer === "otherEntityId" ? `${entityId}/other` : entityId,
            thumbprint:
                answer === "otherCertificate" ? thumbprintS256(crypto.randomBytes(32)) : thumbprintS256(cert.raw),
            lifetimeSeconds,
        });
        this.onIssued?.(token);
        const json = "application/json";
        if (answer === "notJson") return { status: 200, body: "<html>Service Unavailable</html>", type: "text/html" };
        if (answer === "noToken") return { status: 200, body: { token_type: "Holder-of-key" }, type: json };
        const body = { access_token: token, token_type: "Holder-of-key", expires_in: lifetimeSeconds };
        if (answer === "notJwt") return { status: 200, body: { ...body, access_token: "not.a-jwt" }, type: json };
        if (answer === "noExpiresIn") return { status: 200, body: { ...body, expires_in: undefined }, type: json };
        return { status: 200, body, type: json };
    }

    private async sign(t: { cvr: string; entityId: string; thumbprint: string; lifetimeSeconds: number }) {
        const now = Math.floor(Date.now() / 1000);
        const { privateKey, kid } = await this.signingKeys();
        return new SignJWT({ cvr: t.cvr, spec_ver: "1", cnf: { "x5t#S256": t.thumbprint } })
            .setProtectedHeader({ alg: "PS256", kid, typ: "JWT" })
            .setIssuer(ISSUER)
            .setSubject(t.entityId)
            .setAudience(t.entityId)
            .setIssuedAt(now)
            .setNotBefore(now)
            .setExpirationTime(now + t.lifetimeSeconds)
            .setJti(crypto.randomUUID())
            .sign(privateKey);
    }

    /**
     * Checks a bearer JWT on an API request: signature, issuer, audience (the entity id), time, and that
     * the TLS client certificate is the one the token is bound to. Throws a 401 problem that says why.
     */
    async verify(token: string, socket: unknown): Promise<VerifiedToken> {
        let payload: JWTPayload;
        try {
            ({ payload } = await jwtVerify(token, (await this.signingKeys()).publicKey, {
                issuer: ISSUER,
                audience: this.entityId,
                algorithms: ["PS256"],
            }));
        } catch (err) {
            if (err instanceof joseErrors.JWTExpired) throw invalidToken("the token has expired");
            if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === "aud") {
                throw invalidToken(`the token is not for this service (entity id ${this.entityId})`);
            }
            throw invalidToken(`the token is not valid: ${(err as Error).message}`);
        }
        const cert = peerCertificate(socket);
        const bound = (payload.cnf as Record<string, unknown> | undefined)?.["x5t#S256"];
        if (!cert || bound !== thumbprintS256(cert.raw)) {
            throw invalidToken("the token is bound to another certificate than this connection's");
        }
        if (typeof payload.cvr !== "string") throw invalidToken("the token has no cvr claim");
        return { cvr: payload.cvr };
    }
}

/** True when a bearer credential has the shape of a JWT (three base64url parts). */
export function looksLikeJwt(token: string): boolean {
    return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);
}
