// Records the upgrade fixture of the version being released (CONTRIBUTING.md, "Releasing a version"):
//
//   npm run record-fixture            records test/fixtures/upgrade/<provider/package.json version>/
//
// with the code checked out now, on the real engine against the stand-in. A released version's
// fixture is never recorded again: the command refuses when its folder exists.
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "./helpers/pulumi";
import { recordFixture } from "./helpers/upgrade";

async function main(): Promise<void> {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "provider", "package.json"), "utf8"));
    const dir = await recordFixture(String(pkg.version));
    console.log(`recorded ${path.relative(repoRoot, dir)}: commit it with the release`);
}

main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
});
