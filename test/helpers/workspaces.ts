// A Pulumi workspace connected to a stand-in as one of its test municipalities.
import * as fs from "node:fs";
import * as path from "node:path";
import { PulumiWorkspace, repoRoot } from "./pulumi";
import { TestStandin } from "./standin";

export const fixtures = {
    /** One SortimentSubscription, inputs from config namespace "sub". */
    subscription: path.join(repoRoot, "test", "fixtures", "subscription"),
    /** bench:count subscriptions, one per synthetic subscriber. */
    many: path.join(repoRoot, "bench", "fixtures", "many"),
};

/**
 * Creates the workspace for one of the stand-in's municipalities: kommune:kode, fk:endpoint, fk:token
 * (secret) and any further config.
 */
export async function connectedWorkspace(
    s: TestStandin,
    programDir: string,
    opts: { kommune?: number; config?: Record<string, string> } = {},
): Promise<PulumiWorkspace> {
    const ws = await PulumiWorkspace.create({ programDir, kommunekode: s.kommuner[opts.kommune ?? 0].kommunekode });
    await ws.setConfig("fk:endpoint", s.url);
    await ws.setConfig("fk:token", s.kommuner[opts.kommune ?? 0].token, true);
    for (const [k, v] of Object.entries(opts.config ?? {})) await ws.setConfig(k, v);
    return ws;
}

/**
 * The repository's root program (index.js, index.ts, program.ts, Pulumi.yaml), copied to a folder inside the
 * repository (so it finds the repository's node_modules), for a workspace's `programDir`.
 */
export function rootProgram(): string {
    fs.mkdirSync(path.join(repoRoot, ".work"), { recursive: true }); // a fresh clone has none yet
    const dir = fs.mkdtempSync(path.join(repoRoot, ".work", "root-program-"));
    for (const f of ["index.js", "index.ts", "program.ts", "Pulumi.yaml"])
        fs.copyFileSync(path.join(repoRoot, f), path.join(dir, f));
    return dir;
}
