// Who a request acts for: a municipality known by its client certificate (mutual TLS) or bearer
// token, or the admin. Tokens are kept only as their SHA-256.
import * as http from "node:http";
import { TLSSocket } from "node:tls";
import { header } from "./http-io";
import { sha256Hex, Tenant } from "./seed";
import { Actor } from "./service";

export interface Authenticator {
    /** The municipality the request's credentials act for, if any. */
    actor(req: http.IncomingMessage): (Actor & { kind: "kommune" }) | undefined;
    /** True when the request carries the admin token. */
    isAdmin(req: http.IncomingMessage): boolean;
    /** A municipality's name by its kommunekode. */
    kommuneNavn(kommunekode: string): string | undefined;
}

export function authenticator(tenants: Tenant[], adminToken: string | undefined): Authenticator {
    const byToken = new Map<string, Tenant>();
    const byFingerprint = new Map<string, Tenant>();
    const names = new Map<string, string>();
    for (const t of tenants) {
        for (const h of t.tokenSha256) byToken.set(h, t);
        for (const f of t.certificateFingerprints) byFingerprint.set(f, t);
        names.set(t.kommunekode, t.navn);
    }
    return {
        actor(req) {
            const socket = req.socket as TLSSocket;
            if (socket.encrypted && socket.authorized) {
                const cert = socket.getPeerCertificate();
                const tenant = cert?.fingerprint256 ? byFingerprint.get(cert.fingerprint256) : undefined;
                if (tenant) return { kind: "kommune", kommunekode: tenant.kommunekode, by: "certificate" };
            }
            const match = header(req, "authorization")?.match(/^Bearer\s+(\S+)$/i);
            const tenant = match ? byToken.get(sha256Hex(match[1])) : undefined;
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
