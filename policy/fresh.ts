// The pack runs from dist/, compiled by `npm run build` (which `npm ci` runs), so no TypeScript
// compiler has to type-check it at every `pulumi up`. So that edited sources never run stale, it
// refuses to start when a source file is newer than what was built from it.
import * as fs from "node:fs";
import * as path from "node:path";
import { RunError } from "@pulumi/pulumi";

/**
 * Throws, naming the files, when a policy source in the folder above `distDir` is newer than its
 * compiled file. Does nothing when the pack runs from its sources (tests).
 *
 * @example
 * assertBuiltFromCurrentSources(__dirname); // in dist/index.js
 */
export function assertBuiltFromCurrentSources(distDir: string): void {
    if (path.basename(distDir) !== "dist") return;
    const sourceDir = path.dirname(distDir);
    const mtime = (file: string) => {
        try {
            return fs.statSync(file).mtimeMs;
        } catch {
            return -1;
        }
    };
    const stale = fs
        .readdirSync(sourceDir)
        .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
        .filter((f) => mtime(path.join(sourceDir, f)) > mtime(path.join(distDir, f.replace(/\.ts$/, ".js"))));
    if (stale.length > 0) {
        // A RunError: the engine shows its message alone, without a stack trace.
        throw new RunError(
            `the policy pack in ${sourceDir} was built before its sources changed (${stale.join(", ")} ` +
                "newer than dist/). Run `npm run build` (or `npm ci`) in the repository, then run pulumi again",
        );
    }
}
