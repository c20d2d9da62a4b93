// The system certificate's settings, each inline or as a file: the client certificate and key (PEM) or a
// PKCS#12 bundle, and the CA certificates to trust. Each is checked for its form before it is used, and
// an error names the setting where the value came from, never a secret's value.
import * as fs from "node:fs";
import type { ConnectionSettings } from "./connection";
import { errors } from "./errors";
import { FileSettingName, nameIn, SettingSource } from "./settings";

/**
 * The inline value (decoded by `inline`) or the contents of the file named by `<key>File` (decoded
 * by `file`). Never echoes the value in errors.
 */
function inlineOrFile<T>(
    get: SettingSource,
    key: FileSettingName,
    inline: (text: string) => T,
    file: (contents: Buffer) => T,
): T | undefined {
    const fileKey = `${key}File` as const;
    const text = get(key);
    const fileName = get(fileKey);
    if (text !== undefined && fileName !== undefined) {
        throw errors.invalidConnection(
            nameIn(get, key),
            `set either ${nameIn(get, key)} or ${nameIn(get, fileKey)}, not both`,
        );
    }
    if (text !== undefined) return inline(text);
    if (fileName === undefined) return undefined;
    try {
        return file(fs.readFileSync(fileName));
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? "error";
        throw errors.invalidConnection(nameIn(get, fileKey), `cannot be read: ${code}`, fileName);
    }
}

/** A PEM setting, inline or from its file. */
function pemSetting(get: SettingSource, key: "clientCertificate" | "clientKey" | "caBundle"): string | undefined {
    return inlineOrFile(
        get,
        key,
        (text) => text,
        (contents) => contents.toString("utf8"),
    );
}

/** A PKCS#12 bundle: base64 inline, or the binary file. */
function readPfx(get: SettingSource): Buffer | undefined {
    return inlineOrFile(
        get,
        "pfx",
        (text) => Buffer.from(text, "base64"),
        (contents) => contents,
    );
}

/** The client certificate and key (PEM), or a PKCS#12 bundle: one of the two, complete. */
export function readClientCertificate(
    get: SettingSource,
): Pick<ConnectionSettings, "clientCertificate" | "clientKey" | "pfx"> {
    const clientCertificate = pemSetting(get, "clientCertificate");
    const clientKey = pemSetting(get, "clientKey");
    const pfx = readPfx(get);
    if (Boolean(clientCertificate) !== Boolean(clientKey)) {
        throw errors.invalidConnection(
            clientCertificate ? "fk:clientKey" : "fk:clientCertificate",
            "is missing; a client certificate needs both fk:clientCertificate and fk:clientKey (or use fk:pfx)",
        );
    }
    if (pfx && clientCertificate) {
        throw errors.invalidConnection(
            "fk:pfx",
            "cannot be combined with fk:clientCertificate/fk:clientKey; choose one",
        );
    }
    if (clientCertificate && !/-----BEGIN CERTIFICATE-----/.test(clientCertificate)) {
        throw errors.invalidConnection(
            nameIn(get, "clientCertificate"),
            "is not a PEM certificate (-----BEGIN CERTIFICATE-----)",
        );
    }
    if (clientKey && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(clientKey)) {
        throw errors.invalidConnection(nameIn(get, "clientKey"), "is not a PEM private key");
    }
    return { clientCertificate, clientKey, pfx };
}

/** The CA certificates to trust, inline or from their file: PEM certificates. */
export function readCaBundle(get: SettingSource): string | undefined {
    const caBundle = pemSetting(get, "caBundle");
    if (caBundle && !/-----BEGIN CERTIFICATE-----/.test(caBundle)) {
        throw errors.invalidConnection(
            nameIn(get, "caBundle"),
            "is not PEM certificates (-----BEGIN CERTIFICATE-----)",
        );
    }
    return caBundle;
}
