// Test certificates, made fresh by openssl for each run and never committed: a CA, a server
// certificate for 127.0.0.1/localhost, client certificates, and a second, untrusted CA.
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface CertPair {
    certFile: string;
    keyFile: string;
    cert: Buffer;
    key: Buffer;
    /** SHA-256 fingerprint as Node prints it (AA:BB:...). */
    fingerprint256: string;
}

export interface TestPki {
    dir: string;
    caFile: string;
    ca: Buffer;
    server: CertPair;
    client(name: string, opts?: { untrusted?: boolean; passphrase?: string; expired?: boolean }): CertPair;
    dispose(): void;
}

function openssl(args: string[], cwd: string): void {
    execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

function pair(dir: string, name: string): CertPair {
    const certFile = path.join(dir, `${name}.crt`);
    const keyFile = path.join(dir, `${name}.key`);
    const cert = fs.readFileSync(certFile);
    return {
        certFile,
        keyFile,
        cert,
        key: fs.readFileSync(keyFile),
        fingerprint256: new crypto.X509Certificate(cert).fingerprint256,
    };
}

export function makeTestPki(): TestPki {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fk-pki-"));
    const subj = (cn: string) => `/C=DK/O=fk-iac test/CN=${cn}`;
    const makeCa = (name: string) =>
        openssl(
            [
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-days",
                "2",
                "-subj",
                subj(`${name} CA`),
                "-keyout",
                `${name}.key`,
                "-out",
                `${name}.crt`,
            ],
            dir,
        );
    const issue = (name: string, ca: string, ext: string) => {
        openssl(
            [
                "req",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-subj",
                subj(name),
                "-keyout",
                `${name}.key`,
                "-out",
                `${name}.csr`,
            ],
            dir,
        );
        fs.writeFileSync(path.join(dir, `${name}.ext`), ext);
        openssl(
            [
                "x509",
                "-req",
                "-in",
                `${name}.csr`,
                "-CA",
                `${ca}.crt`,
                "-CAkey",
                `${ca}.key`,
                "-CAcreateserial",
                "-days",
                "2",
                "-extfile",
                `${name}.ext`,
                "-out",
                `${name}.crt`,
            ],
            dir,
        );
    };
    // `openssl x509` cannot back-date; `openssl ca` can, with a minimal CA configuration.
    const issueExpired = (name: string) => {
        openssl(
            [
                "req",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-subj",
                subj(name),
                "-keyout",
                `${name}.key`,
                "-out",
                `${name}.csr`,
            ],
            dir,
        );
        fs.writeFileSync(path.join(dir, "index.txt"), "");
        fs.writeFileSync(
            path.join(dir, "ca.cnf"),
            [
                "[ca]",
                "default_ca = test",
                "[test]",
                `dir = ${dir}`,
                "database = $dir/index.txt",
                "new_certs_dir = $dir",
                "serial = $dir/ca.serial",
                "default_md = sha256",
                "policy = any",
                "copy_extensions = none",
                "unique_subject = no",
                "[any]",
                "commonName = supplied",
                "countryName = optional",
                "organizationName = optional",
                "[client]",
                "extendedKeyUsage = clientAuth",
                "",
            ].join("\n"),
        );
        if (!fs.existsSync(path.join(dir, "ca.serial"))) fs.writeFileSync(path.join(dir, "ca.serial"), "1000\n");
        openssl(
            [
                "ca",
                "-batch",
                "-config",
                "ca.cnf",
                "-cert",
                "ca.crt",
                "-keyfile",
                "ca.key",
                "-in",
                `${name}.csr`,
                "-out",
                `${name}.crt`,
                "-startdate",
                "20200101000000Z",
                "-enddate",
                "20200102000000Z",
                "-extensions",
                "client",
                "-notext",
            ],
            dir,
        );
    };
    makeCa("ca");
    makeCa("rogue-ca");
    issue("server", "ca", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
    return {
        dir,
        caFile: path.join(dir, "ca.crt"),
        ca: fs.readFileSync(path.join(dir, "ca.crt")),
        server: pair(dir, "server"),
        client(name, opts = {}) {
            if (opts.expired) issueExpired(name);
            else issue(name, opts.untrusted ? "rogue-ca" : "ca", "extendedKeyUsage=clientAuth\n");
            if (opts.passphrase) {
                openssl(
                    [
                        "pkey",
                        "-in",
                        `${name}.key`,
                        "-aes256",
                        "-passout",
                        `pass:${opts.passphrase}`,
                        "-out",
                        `${name}.enc.key`,
                    ],
                    dir,
                );
                fs.renameSync(path.join(dir, `${name}.enc.key`), path.join(dir, `${name}.key`));
            }
            return pair(dir, name);
        },
        dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
    };
}
