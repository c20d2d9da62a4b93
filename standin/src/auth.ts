// Who a request acts for: a municipality known by an STS token bound to the client certificate
// (sts.ts), by its own client certificate (mutual TLS) or bearer token, or the admin. Tokens of its
// own are kept only as their SHA-256.
import * as http from "node:http";
import { TLSSocket } from "node:tls";
import { header } from "./http-io";
import { problems } from "./problems";
import { sha256Hex, Tenant } from "./seed";
import { Actor } from "./service";
import { looksLikeJwt, TokenService } from "./sts";

export type KommuneActor = Actor & { kind: "kommune" };

export interface Authenticator {
    /**
     * The municipality the request's credentials act for, if any. A JWT that the STS did not issue
     * for this service and connection is refused (a 401 problem saying why), never passed over.
     */
    actor(req: http.IncomingMessage): Promise<KommuneActor | undefined>;
    /** True when the request carries the admin token. */
    isAdmin(req: http.IncomingMessage): boolean;
    /** A municipality's name by its kommunekode. */
    kommuneNavn(kommunekode: string): string | undefined;
}

export function authenticator(tenants: Tenant[], adminToken: string | undefined, sts: TokenService): Authenticator {
    const byToken = new Map<string, Tenant>();
    const byFingerprint = new Map<string, Tenant>();
    const byCvr = new Map<string, Tenant>();
    const names = new Map<string, string>();
    for (const t of tenants) {
        for (const h of t.tokenSha256) byToken.set(h, t);
        for (const f of t.certificateFingerprints) byFingerprint.set(f, t);
        if (t.cvr) byCvr.set(t.cvr, t);
        names.set(t.kommunekode, t.navn);
    }
    return {
        async actor(req) {
            const bearer = header(req, "authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1];
            if (bearer && looksLikeJwt(bearer)) {
                const { cvr } = await sts.verify(bearer, req.socket);
                const tenant = byCvr.get(cvr);
                if (!tenant) throw problems.unauthorized(`no municipality here has CVR ${cvr}`);
                return { kind: "kommune", kommunekode: tenant.kommunekode, by: "sts" };
            }
            const socket = req.socket as TLSSocket;
            if (socket.encrypted && socket.authorized) {
                const cert = socket.getPeerCertificate();
                const tenant = cert?.fingerprint256 ? byFingerprint.get(cert.fingerprint256) : undefined;
                if (tenant) return { kind: "kommune", kommunekode: tenant.kommunekode, by: "certificate" };
            }
            const tenant = bearer ? byToken.get(sha256Hex(bearer)) : undefined;
            return tenant ? { kind: "kommune", kommunekode: tenant.kommunekode, by: "token" } : undefined;
        },
        isAdmin(req) {
            return (
                adminToken !== undefined && adminToken !== "" && header(req, "authorization") === `Bearer ${adminToken}`
            );
        },
        kommuneNavn: (kommunekode) => names.get(kommunekode),
    };
}
