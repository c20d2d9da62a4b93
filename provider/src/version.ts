// The version of this package, as its package.json says: written into every subscription's outputs
// (`providerVersion`), so a stack's state tells which version last wrote it.
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The installed version of `@fk-iac/klassifikation` (semver).
 *
 * @example
 * PROVIDER_VERSION; // "0.2.0"
 */
export const PROVIDER_VERSION: string = (
    JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")) as { version: string }
).version;
