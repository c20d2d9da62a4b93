// The pack runs from dist/, compiled by `npm run build` (which `npm ci` runs), so no TypeScript
// compiler has to type-check it at every `pulumi up`. So that edited sources never run stale, it
// refuses to start when a source file is newer than what was built from it: the policies, and the
// provider's rules compiled in with them.
import * as fs from "node:fs";
import * as path from "node:path";
import { RunError } from "@pulumi/pulumi";

function mtime(file: string): number {
    try {
        return fs.statSync(file).mtimeMs;
    } catch {
        return -1;
    }
}

/** The compiled files under `dir`, as paths relative to it. */
function compiledFiles(dir: string, prefix = ""): string[] {
    return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
        const rel = path.join(prefix, entry.name);
        if (entry.isDirectory()) return compiledFiles(dir, rel);
        return rel.endsWith(".js") ? [rel] : [];
    });
}

/**
 * Throws, naming the files, when a source is newer than the file compiled from it. `compiledDir` is
 * where the running index.js is (`<pack>/dist/policy`); the build's rootDir is the repository, so
 * `dist/X.js` was compiled from `<repository>/X.ts`. Does nothing when the pack runs from its sources
 * (tests), and finds no sources where the pack was installed from its package (`pulumi policy publish`).
 *
 * @example
 * assertBuiltFromCurrentSources(__dirname); // in dist/policy/index.js
 */
export function assertBuiltFromCurrentSources(compiledDir: string): void {
    const distDir = path.dirname(compiledDir);
    if (path.basename(distDir) !== "dist") return;
    const rootDir = path.resolve(distDir, "..", "..");
    const stale = compiledFiles(distDir)
        .map((js) => ({ js, ts: js.replace(/\.js$/, ".ts") }))
        .filter(({ js, ts }) => mtime(path.join(rootDir, ts)) > mtime(path.join(distDir, js)))
        .map(({ ts }) => ts);
    if (stale.length > 0) {
        // A RunError: the engine shows its message alone, without a stack trace.
        throw new RunError(
            `the policy pack in ${path.dirname(distDir)} was built before its sources changed (${stale.join(", ")} ` +
                "newer than dist/). Run `npm run build` (or `npm ci`) in the repository, then run pulumi again",
        );
    }
}
