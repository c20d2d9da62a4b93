// TLS as the classification API's mutual TLS needs it diagnosed: certificate and handshake failures
// are told apart from an unreachable server (retrying cannot help them, and they are never worked
// around), and a client certificate that has expired is refused before connecting.
import * as crypto from "node:crypto";
import { errors } from "./errors";

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

/** The TLS failure's code, or undefined when the error is not one. */
export function tlsCode(err: unknown): string | undefined {
    const code = (err as { code?: string })?.code ?? (err as { cause?: { code?: string } })?.cause?.code;
    if (code && (TLS_CODES.has(code) || /^ERR_SSL_|^ERR_OSSL_/.test(code))) return code;
    return undefined;
}

/** Codes of a private key that could not be decrypted: the passphrase is wrong. */
const BAD_DECRYPT = new Set(["ERR_OSSL_BAD_DECRYPT", "ERR_OSSL_EVP_BAD_DECRYPT"]);

/** What a TLS failure means for the one who fixes it, when its code says more than its text. */
export function tlsExplanation(code: string): string | undefined {
    if (BAD_DECRYPT.has(code)) {
        return "the client key could not be decrypted: its passphrase (fk:clientKeyPassphrase, or fk:pfxPassphrase for a PFX) is wrong";
    }
    return undefined;
}

/** A network error as one line: its code and message. */
export function networkCause(err: unknown): string {
    const e = err as { code?: string; message?: string };
    return e.code ? `${e.code}${e.message ? ` (${e.message})` : ""}` : (e.message ?? String(err));
}

/**
 * A reset after the handshake is how a server refuses a client certificate it does not trust: with
 * a client certificate configured, the cause says so.
 */
export function explainReset(cause: string, withClientCertificate: boolean): string {
    if (!withClientCertificate || !/ECONNRESET|socket hang up/.test(cause)) return cause;
    return `${cause}; the server closed the TLS connection, which is how it refuses a client certificate it does not trust or that is not registered for your municipality`;
}

/** Refuses, before connecting, a client certificate that is expired or not yet valid. */
export function checkCertificateDates(pem: string, endpoint: string): void {
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
