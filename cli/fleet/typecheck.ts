// The fleet type-checks the task's program once, then runs every stack with ts-node's
// transpile-only mode (PULUMI_NODEJS_TRANSPILE_ONLY), instead of type-checking it once per stack.
import * as path from "node:path";
import * as ts from "typescript";

/** Returns the type errors of the program at `entry`, formatted; empty when it is clean. */
export function typeErrors(entry: string, tsconfig: string): string[] {
    const read = ts.readConfigFile(tsconfig, ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(tsconfig));
    const program = ts.createProgram([entry], { ...parsed.options, noEmit: true });
    return ts.getPreEmitDiagnostics(program).map((d) => ts.formatDiagnostic(d, {
        getCanonicalFileName: (f) => f,
        getCurrentDirectory: () => path.dirname(tsconfig),
        getNewLine: () => "\n",
    }).trim());
}
