// Patches console.error in the provider's process, so a failed operation reaches the user once: its
// reason, without a JavaScript stack trace.
//
// The Pulumi SDK's dynamic provider server prints `${error}: ${error.stack}` to stderr when check,
// diff, read or delete fail, and the engine then reports the same error again. So each failure would
// show twice, with a stack trace. The provider notes each error it hands to the SDK, and a console
// filter drops exactly that one echo; anything else on stderr passes. FK_KLASSIFIKATION_DEBUG=1
// keeps the echo, stack and all, for debugging.

const echoes = new Set<string>();
let installed = false;

function installFilter(): void {
    if (installed || process.env.FK_KLASSIFIKATION_DEBUG) return;
    installed = true;
    const original = console.error.bind(console);
    console.error = (...args: unknown[]) => {
        if (args.length === 1 && typeof args[0] === "string" && echoes.delete(args[0])) return;
        original(...args);
    };
}

/**
 * Runs one provider operation; if it fails, the SDK's echo of that failure (with its stack) is
 * suppressed, and the error itself goes on to the engine, which shows its message once.
 */
export async function reported<T>(operation: () => Promise<T>): Promise<T> {
    installFilter();
    try {
        return await operation();
    } catch (err) {
        if (err instanceof Error) echoes.add(`${err}: ${err.stack}`);
        throw err;
    }
}
