// The fleet command as users start it (`npm run fleet -- ...`), for the tests and the benchmark.
import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import { CliResult, collect, repoRoot } from "./pulumi";

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

/**
 * The fleet command over one inventory, its report and state in `dir`, with `extra` flags on every
 * call; `env` and `extra` are read at each call (a test sets them up in `before`).
 *
 * @example
 * const fleet = fleetIn(dir, inventory, () => env);
 * await fleet(["up", "--only", "0101"]);
 */
export function fleetIn(
    dir: string,
    inventory: string,
    env: () => NodeJS.ProcessEnv,
    extra: () => string[] = () => [],
): (args: string[], more?: NodeJS.ProcessEnv) => Promise<CliResult> {
    return (args, more = {}) =>
        collect(startFleet([...args, ...fleetFiles(dir, inventory), ...extra()], { ...env(), ...more }));
}

/** The flags that point the fleet at an inventory, with its report and state in `dir`. */
export function fleetFiles(dir: string, inventory: string): string[] {
    return [
        "--inventory",
        inventory,
        "--report",
        path.join(dir, "report.json"),
        "--state-dir",
        path.join(dir, "state"),
    ];
}
