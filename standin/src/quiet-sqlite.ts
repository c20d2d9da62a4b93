// The stand-in keeps its data with node:sqlite, which Node.js 22 still marks experimental: it would
// print "ExperimentalWarning: SQLite is an experimental feature" on every start of fk-standin, a
// warning about Node's own module that tells its user nothing to do. Imported first by the command
// line (before anything loads node:sqlite), this drops that one warning; every other warning is
// printed as before.

const emitWarning = process.emitWarning.bind(process);

function isSqliteWarning(warning: string | Error, typeOrOptions: unknown): boolean {
    const type =
        warning instanceof Error
            ? warning.name
            : typeof typeOrOptions === "string"
              ? typeOrOptions
              : (typeOrOptions as { type?: string } | undefined)?.type;
    const message = warning instanceof Error ? warning.message : warning;
    return type === "ExperimentalWarning" && message.startsWith("SQLite is an experimental feature");
}

process.emitWarning = (warning: string | Error, ...rest: unknown[]) => {
    if (isSqliteWarning(warning, rest[0])) return;
    (emitWarning as (w: string | Error, ...r: unknown[]) => void)(warning, ...rest);
};
