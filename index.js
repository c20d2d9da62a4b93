// The root program's entry point (Pulumi.yaml `main`). Pulumi runs it with the first `node` on PATH,
// which may be older than this project needs: Node.js 22.18 or newer runs index.ts by stripping its
// types, and an older one fails on the `.ts` file with a stack trace that names neither version. So
// this file, plain JavaScript that any Node.js runs, checks the version first and says in one sentence
// what is found and what is needed; then it runs index.ts, whose exports are the stack's outputs.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

/**
 * The minimum, from the project's package.json `engines.node` (">=22.18"), the one place it is written:
 * the nearest one above this file that names it (the program may run from a copy inside the project).
 */
function minimumNode() {
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        try {
            const engines = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).engines;
            const found = /(\d+)\.(\d+)/.exec((engines && engines.node) || "");
            if (found) return [Number(found[1]), Number(found[2])];
        } catch {
            // no package.json here, or not ours: look further up
        }
        if (path.dirname(dir) === dir) return [0, 0]; // no project above: nothing to check against
    }
}

const [needMajor, needMinor] = minimumNode();
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < needMajor || (major === needMajor && minor < needMinor)) {
    const { RunError } = require("@pulumi/pulumi/errors");
    throw new RunError(
        `Node.js ${process.versions.node} (${process.execPath}) is too old for this program: it needs Node.js ` +
            `${needMajor}.${needMinor} or newer, which runs index.ts itself; put a newer node first on PATH ` +
            "(e.g. nvm install 22 && nvm use 22), then run pulumi again",
    );
}

// Node.js keeps the compiled code of what the program loads from here on (its own modules and the
// provider's) in its compile cache, in the system's temporary folder unless NODE_COMPILE_CACHE names
// another, so the next run starts faster; it never changes what runs.
require("node:module").enableCompileCache?.();
module.exports = () => import("./index.ts");
