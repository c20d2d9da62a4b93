// A real browser for the tests: Debian's Chromium (installed by scripts/run.sh setup), driven by
// playwright-core from npm. No browser is ever downloaded.
import * as fs from "node:fs";
import { Browser, chromium } from "playwright-core";

/** Where Debian puts Chromium; FK_CHROMIUM names another binary. */
export function chromiumPath(): string {
    const candidates = [process.env.FK_CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(
        (p): p is string => !!p,
    );
    const found = candidates.find((p) => fs.existsSync(p));
    if (!found)
        throw new Error(
            `no Chromium at ${candidates.join(" or ")}: run \`bash scripts/run.sh setup\` (it installs Debian's chromium) or set FK_CHROMIUM`,
        );
    return found;
}

/** Starts headless Chromium; the sandbox is off only when running as root, where Chromium refuses it. */
export function launchChromium(): Promise<Browser> {
    const root = process.getuid?.() === 0;
    return chromium.launch({ executablePath: chromiumPath(), headless: true, args: root ? ["--no-sandbox"] : [] });
}
