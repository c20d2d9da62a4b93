// What one row's connection is made of when its stack or its survey runs: its credentials resolved
// from their reference (an environment variable, a token file, a certificate's files), and the fleet's
// shared settings as they apply to it. The inventory (inventory.ts) only parses and validates the
// references; secrets are read here, when the row runs, and a missing one fails that row alone.
import * as fs from "node:fs";
import { type ConnectionSettingKey, FLEET_CREDENTIAL_SETTINGS } from "@fk-iac/klassifikation";
import type { InventoryRow } from "./inventory";

/**
 * Resolves a row's credentials into the provider's environment variables. Missing secrets are
 * an error for that municipality only.
 */
export function credentialEnv(row: InventoryRow): Record<string, string> {
    const c = row.credentials;
    if (c.kind === "fleet") return {};
    if (c.kind === "env") {
        const token = process.env[c.name];
        if (!token) throw new Error(`credentials ${row.credentialsRef}: environment variable ${c.name} is not set`);
        return { FK_KLASSIFIKATION_TOKEN: token };
    }
    if (c.kind === "file") {
        let token: string;
        try {
            token = fs.readFileSync(c.path, "utf8").trim();
        } catch (err) {
            throw new Error(
                `credentials ${row.credentialsRef}: cannot read ${c.path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
                { cause: err },
            );
        }
        if (!token) throw new Error(`credentials ${row.credentialsRef}: ${c.path} is empty`);
        return { FK_KLASSIFIKATION_TOKEN: token };
    }
    const env: Record<string, string> = {
        FK_KLASSIFIKATION_CLIENT_CERTIFICATE_FILE: c.certFile,
        FK_KLASSIFIKATION_CLIENT_KEY_FILE: c.keyFile,
    };
    const passphrase = process.env[`FK_CLIENT_KEY_PASSPHRASE_${row.kommunekode}`];
    if (passphrase) env.FK_KLASSIFIKATION_CLIENT_KEY_PASSPHRASE = passphrase;
    return env;
}

/**
 * The fleet's shared settings as they apply to one row: a row's own credentials win over the fleet's
 * certificate (and a row's own token, for a gateway, over the fleet's STS); a row without its own needs
 * the fleet's certificate and STS. The error names the row's line.
 */
export function settingsForRow(
    row: InventoryRow,
    shared: Partial<Record<ConnectionSettingKey, string>>,
): Partial<Record<ConnectionSettingKey, string>> {
    const kind = row.credentials.kind;
    if (kind === "fleet") {
        const hasCertificate = Boolean(shared.pfxFile || (shared.clientCertificateFile && shared.clientKeyFile));
        if (!hasCertificate || !shared.stsEndpoint || !shared.entityId) {
            throw new Error(
                `line ${row.line}: ${row.navn} (${row.kommunekode}) has no credentials of its own, and the fleet has no ` +
                    "system certificate and STS for it: give --setting clientCertificateFile=... --setting clientKeyFile=... " +
                    "(or pfxFile=...) with --setting stsEndpoint=... --setting entityId=..., or credentials on the row",
            );
        }
        return shared;
    }
    const own = Object.fromEntries(
        Object.entries(shared).filter(([key]) => !FLEET_CREDENTIAL_SETTINGS.includes(key as ConnectionSettingKey)),
    ) as Partial<Record<ConnectionSettingKey, string>>;
    if (kind === "env" || kind === "file") {
        delete own.stsEndpoint;
        delete own.entityId;
    }
    return own;
}
