// The fleet type-checks the task's program once, before touching any stack: each stack then runs it
// without a type check (inline in the fleet's process). The check runs in a child process, so the
// TypeScript compiler's memory is given back before the stacks run.
import { fork } from "node:child_process";
import * as path from "node:path";

/** Returns the type errors of the program at `entry`, formatted; empty when it is clean. */
export async function typeErrors(entry: string, tsconfig: string): Promise<string[]> {
    // Loaded only here (in the child), never in the fleet's own process.
    const ts = await import("typescript");
    const read = ts.readConfigFile(tsconfig, (f) => ts.sys.readFile(f));
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(tsconfig));
    const program = ts.createProgram([entry], { ...parsed.options, noEmit: true });
    return ts.getPreEmitDiagnostics(program).map((d) =>
        ts
            .formatDiagnostic(d, {
                getCanonicalFileName: (f) => f,
                getCurrentDirectory: () => path.dirname(tsconfig),
                getNewLine: () => "\n",
            })
            .trim(),
    );
}

/** {@link typeErrors} in a child Node.js process (this module, with this process's Node.js options). */
export function typeErrorsInChild(entry: string, tsconfig: string): Promise<string[]> {
    return new Promise((resolve, reject) => {
        const child = fork(__filename, [entry, tsconfig], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
        let errors: string[] | undefined;
        child.on("message", (m) => (errors = m as string[]));
        child.on("error", reject);
        child.on("exit", (code) =>
            errors ? resolve(errors) : reject(new Error(`the type check stopped (exit code ${code})`)),
        );
    });
}

if (require.main === module) {
    const [entry, tsconfig] = process.argv.slice(2);
    typeErrors(entry, tsconfig).then(
        (errors) => process.send!(errors, () => process.disconnect()),
        (err: unknown) => {
            process.stderr.write(`the type check failed: ${err instanceof Error ? err.message : String(err)}\n`);
            process.exit(1);
        },
    );
}
