// The local set-up of the main job: a folder (.pulumi-local, ignored by git) holding the file
// backend, a generated passphrase for it, the stand-in's database and a generated demo token.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

export const repoRoot = path.resolve(__dirname, "..");
/** Where local state lives. @default <repo>/.pulumi-local (FK_LOCAL_DIR overrides it) */
export const localDir = process.env.FK_LOCAL_DIR
    ? path.resolve(process.env.FK_LOCAL_DIR)
    : path.join(repoRoot, ".pulumi-local");

export function log(message: string): void {
    process.stderr.write(`[gb10] ${message}\n`);
}

/** Reads a generated secret from .pulumi-local, making it (mode 0600) the first time. */
export function localSecret(name: string): string {
    fs.mkdirSync(localDir, { recursive: true, mode: 0o700 });
    const file = path.join(localDir, name);
    if (!fs.existsSync(file)) {
        fs.writeFileSync(file, crypto.randomBytes(24).toString("base64url"), { mode: 0o600 });
    }
    return fs.readFileSync(file, "utf8").trim();
}

/**
 * The file backend's URL for a folder. `metadata=skip` stops the file backend from writing a sidecar
 * `<stack>.json.attrs` beside each state file: the state file itself is replaced atomically (written
 * aside, then renamed), but the sidecar is written in place, so a run killed at that moment leaves it
 * empty and every later command of the stack fails with `failed to load checkpoint: EOF`. The
 * sidecar holds only a content type and a checksum nothing reads, so leaving it out loses nothing.
 *
 * @example localBackendUrl("/srv/fk/state") // "file:///srv/fk/state?metadata=skip"
 */
export function localBackendUrl(dir: string): string {
    return `file://${path.resolve(dir)}?metadata=skip`;
}

/**
 * Engine environment for local runs: the file backend in .pulumi-local unless PULUMI_BACKEND_URL is
 * set, a generated passphrase unless one is set, offline and non-interactive.
 */
export function engineEnv(): Record<string, string> {
    const env: Record<string, string> = {
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    };
    if (!process.env.PULUMI_BACKEND_URL) {
        const state = path.join(localDir, "state");
        fs.mkdirSync(state, { recursive: true, mode: 0o700 });
        env.PULUMI_BACKEND_URL = localBackendUrl(state);
    }
    if (!process.env.PULUMI_CONFIG_PASSPHRASE && !process.env.PULUMI_CONFIG_PASSPHRASE_FILE) {
        localSecret("passphrase");
        env.PULUMI_CONFIG_PASSPHRASE_FILE = path.join(localDir, "passphrase");
    }
    return env;
}
