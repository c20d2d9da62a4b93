// The fleet command as users start it (`npm run fleet -- ...`), for the tests and the benchmark.
import { ChildProcess, spawn } from "node:child_process";
import { repoRoot } from "./pulumi";

/**
 * Starts `npm run --silent fleet -- <args>` in the repository, with stdout and stderr piped; `detached`
 * makes it lead a process group of its own, so a test can kill all of it at once (as a CI job's timeout does).
 */
export function startFleet(args: string[], env: NodeJS.ProcessEnv, detached = false): ChildProcess {
    return spawn("npm", ["run", "--silent", "fleet", "--", ...args], {
        cwd: repoRoot,
        env,
        stdio: ["ignore", "pipe", "pipe"],
        detached,
    });
}
