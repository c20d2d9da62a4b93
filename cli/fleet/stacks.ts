// Each municipality's stack as the fleet makes it: its name, the fleet's project folder, the
// stack's config (plain values) and its environment (this municipality's connection only).
import * as fs from "node:fs";
import * as path from "node:path";
import { CONNECTION_SETTINGS, envName } from "@fk-iac/klassifikation";
import * as YAML from "yaml";
import { repoRoot } from "../local";
import type { InventoryRow } from "./inventory";
import { credentialEnv, settingsForRow } from "./row-connection";
import type { FleetOptions } from "./types";

/** The fleet's Pulumi project (the root Pulumi.yaml's name). */
export const PROJECT = "gb10-borgerblikket";

/** The stack of a row: its kommunekode and its name in ASCII, e.g. `0851-aalborg`. */
export function stackName(row: InventoryRow): string {
    const slug = row.navn
        .normalize("NFKD")
        .replace(/[\u0300-\u036f]/g, "")
        .replace(/æ/gi, "ae")
        .replace(/ø/gi, "oe")
        .replace(/å/gi, "aa")
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "");
    return `${row.kommunekode}-${slug || "kommune"}`;
}

/**
 * The project folder: Pulumi.yaml whose `main` is the repository's root program, so `pulumi` run by
 * hand in this folder works on the fleet's stacks too.
 */
export function ensureProject(stateDir: string): string {
    const dir = path.join(stateDir, "project");
    fs.mkdirSync(dir, { recursive: true });
    const main = path.relative(dir, repoRoot) || ".";
    const project = new YAML.Document({
        name: PROJECT,
        runtime: { name: "nodejs", options: { typescript: false } },
        main: `${main}/index.js`,
    });
    project.commentBefore = " Written by the fleet command: the stacks of task GB1.0, one per municipality.";
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), project.toString());
    return dir;
}

/**
 * This municipality's connection only: every setting the connection module reads is cleared of what
 * the shell had (the list comes from that module), then set from the row and the fleet's own shared
 * settings (--setting).
 */
export function stackEnv(row: InventoryRow, opts: FleetOptions): Record<string, string> {
    return {
        ...opts.engineEnv,
        ...Object.fromEntries(CONNECTION_SETTINGS.map((key) => [envName(key), ""])),
        ...Object.fromEntries(
            Object.entries(settingsForRow(row, opts.settings ?? {})).map(([key, value]) => [envName(key), value]),
        ),
        FK_KLASSIFIKATION_ENDPOINT: row.endpoint,
        ...credentialEnv(row),
    };
}

/** The program's config for a row's stack: plain values only (credentials stay in the environment). */
export function stackConfig(row: InventoryRow, opts: FleetOptions): Record<string, string> {
    return {
        [`${PROJECT}:repairExisting`]: String(row.repair || opts.repair === true),
        [`${PROJECT}:takeOver`]: String(opts.takeOver === true),
        "kommune:kode": row.kommunekode,
        "kommune:navn": row.navn,
        // The program runs in this process: its endpoint must come from the stack, not the environment.
        "fk:endpoint": row.endpoint,
        [`${PROJECT}:debtorSystem`]: row.debtorSystem,
    };
}
