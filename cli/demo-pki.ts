// The demo's certificates, so the main job shows how a municipality really reaches KOMBIT's services:
// a CA of its own (standing in for the OCES chain), the stand-in's server certificate for loopback,
// and a system certificate (standing in for the municipality's OCES system certificate from MitID
// Erhverv) that asks the stand-in's STS for tokens. Made once into .pulumi-local/pki/ (keys owner-only)
// and made again when missing or about to expire. node-forge writes the certificates; the keys are
// Node's own.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import forge from "node-forge";
import { localDir } from "./local";

/** The demo's certificate files. */
export interface DemoPki {
    /** The CA that signs both certificates: the stand-in trusts it for clients, the provider for the server. */
    caFile: string;
    serverCertFile: string;
    serverKeyFile: string;
    /** The system certificate and key the provider uses (fk:clientCertificateFile, fk:clientKeyFile). */
    systemCertFile: string;
    systemKeyFile: string;
    /** The system certificate's SHA-256 fingerprint, as the stand-in's service agreements name it. */
    systemFingerprint: string;
}

const DAY = 86_400_000;
const VALID_DAYS = 365;

function rsaKeys(): { privatePem: string; publicPem: string } {
    const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
    return {
        privatePem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
        publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    };
}

/** One certificate, signed by `issuer` (or by itself). */
function certificate(opts: {
    commonName: string;
    publicPem: string;
    signWith: string;
    issuer?: forge.pki.Certificate;
    extensions: object[];
}): forge.pki.Certificate {
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.publicKeyFromPem(opts.publicPem);
    cert.serialNumber = `01${crypto.randomBytes(15).toString("hex")}`;
    cert.validity.notBefore = new Date(Date.now() - 60_000);
    cert.validity.notAfter = new Date(Date.now() + VALID_DAYS * DAY);
    const subject = [
        { name: "countryName", value: "DK" },
        { name: "organizationName", value: "fk-iac demo (not OCES)" },
        { name: "commonName", value: opts.commonName },
    ];
    cert.setSubject(subject);
    cert.setIssuer(opts.issuer ? opts.issuer.subject.attributes : subject);
    cert.setExtensions(opts.extensions);
    cert.sign(forge.pki.privateKeyFromPem(opts.signWith), forge.md.sha256.create());
    return cert;
}

/** True when the certificate file exists and is valid for at least another day. */
function stillGood(file: string): boolean {
    if (!fs.existsSync(file)) return false;
    const cert = new crypto.X509Certificate(fs.readFileSync(file));
    return Date.parse(cert.validTo) - Date.now() > DAY;
}

/**
 * The demo's certificates in `dir`, made when missing or about to expire.
 * @param dir @default .pulumi-local/pki
 */
export function demoPki(dir: string = path.join(localDir, "pki")): DemoPki {
    const files = {
        caFile: path.join(dir, "ca.crt"),
        serverCertFile: path.join(dir, "standin.crt"),
        serverKeyFile: path.join(dir, "standin.key"),
        systemCertFile: path.join(dir, "system.crt"),
        systemKeyFile: path.join(dir, "system.key"),
    };
    const complete = Object.values(files).every((f) => fs.existsSync(f));
    if (!complete || !stillGood(files.caFile) || !stillGood(files.serverCertFile) || !stillGood(files.systemCertFile)) {
        make(dir, files);
    }
    const system = new crypto.X509Certificate(fs.readFileSync(files.systemCertFile));
    return { ...files, systemFingerprint: system.fingerprint256 };
}

function make(dir: string, files: Omit<DemoPki, "systemFingerprint">): void {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const caKeys = rsaKeys();
    const ca = certificate({
        commonName: "fk-iac demo CA",
        publicPem: caKeys.publicPem,
        signWith: caKeys.privatePem,
        extensions: [
            { name: "basicConstraints", cA: true, critical: true },
            { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
        ],
    });
    /** A certificate the CA issues, with a key of its own. */
    const issue = (commonName: string, extensions: object[]) => {
        const keys = rsaKeys();
        const cert = certificate({
            commonName,
            publicPem: keys.publicPem,
            signWith: caKeys.privatePem,
            issuer: ca,
            extensions: [{ name: "basicConstraints", cA: false }, ...extensions],
        });
        return { cert, keyPem: keys.privatePem };
    };
    const server = issue("127.0.0.1", [
        { name: "extKeyUsage", serverAuth: true },
        {
            name: "subjectAltName",
            altNames: [
                { type: 7, ip: "127.0.0.1" },
                { type: 2, value: "localhost" },
            ],
        },
    ]);
    const system = issue("fk-iac demo system (stands in for an OCES system certificate)", [
        { name: "extKeyUsage", clientAuth: true },
    ]);
    const write = (file: string, text: string, mode: number) => fs.writeFileSync(file, text, { mode });
    write(files.caFile, forge.pki.certificateToPem(ca), 0o644);
    write(files.serverCertFile, forge.pki.certificateToPem(server.cert), 0o644);
    write(files.serverKeyFile, server.keyPem, 0o600);
    write(files.systemCertFile, forge.pki.certificateToPem(system.cert), 0o644);
    write(files.systemKeyFile, system.keyPem, 0o600);
}
