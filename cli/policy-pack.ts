// Where the policy pack is, and how this project's own commands start it. The pack is one compiled
// folder (policy/, built by `npm run build`), started in one of two ways:
// - `--policy-pack policy`: the folder. The engine starts it through the Node.js SDK's run-policy-pack,
//   which loads ts-node and the TypeScript compiler first (about a second of CPU on every run) although
//   the pack is compiled. Works with every Pulumi CLI, on every OS, and is what `pulumi policy publish`
//   takes.
// - `--policy-pack policy/analyzer`: the same pack through its analyzer executable, which the engine
//   starts directly; the same policies, the same server (@pulumi/policy's), without the TypeScript
//   loading. Needs Pulumi CLI v3.274.1 or newer (an executable as --policy-pack) and a system that runs
//   a `#!/usr/bin/env node` script (Linux, macOS).
import * as path from "node:path";
import { repoRoot } from "./local";

/** The policy pack's folder: what `--policy-pack policy` names and `pulumi policy publish` ships. */
export const POLICY_PACK_DIR = path.join(repoRoot, "policy");

/** The pack's analyzer executable: the same pack, started without the SDK's TypeScript loading. */
export const POLICY_ANALYZER = path.join(POLICY_PACK_DIR, "analyzer");

/**
 * What this project's commands give the engine as `--policy-pack`: the analyzer executable where the
 * system runs it, else the folder.
 *
 * @example policyPackArgument() // "/repo/policy/analyzer" on Linux, "C:\\repo\\policy" on Windows
 */
export function policyPackArgument(platform: NodeJS.Platform = process.platform): string {
    return platform === "win32" ? POLICY_PACK_DIR : POLICY_ANALYZER;
}
