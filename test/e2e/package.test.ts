// The provider as a municipality installs it in a project of its own, outside this repository, as the
// README's "Use it in your own project" says: `npm pack` of provider/, `npm install` of the tarball in a
// new project (nothing of this repository's node_modules can help it), the README's program, plain
// `pulumi up`, `preview`, `refresh` and `destroy` against the stand-in.
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { collect, CliResult, repoRoot, TEST_PASSPHRASE } from "../helpers/pulumi";
import { startTestStandin, TestStandin } from "../helpers/standin";

/** The README's program, as it is written there (between its ```ts fence and the next fence). */
function readmeProgram(): string {
    const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Use it in your own project"));
    const found = /```ts\n([\s\S]*?)```/.exec(section);
    assert.ok(found, "the README's section has a TypeScript program");
    return found[1];
}

describe("the provider installed from its package in a project of one's own", function () {
    let dir: string;
    let project: string;
    let s: TestStandin;
    let env: NodeJS.ProcessEnv;

    function run(cmd: string, args: string[], cwd: string, input?: string): Promise<CliResult> {
        const child = spawn(cmd, args, { cwd, env, stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
        if (input !== undefined) child.stdin!.end(input);
        return collect(child);
    }
    async function must(cmd: string, args: string[], cwd = project, input?: string): Promise<CliResult> {
        const res = await run(cmd, args, cwd, input);
        assert.equal(res.code, 0, `${cmd} ${args.join(" ")} exited ${res.code}:\n${res.output.slice(-4000)}`);
        return res;
    }

    before(async function () {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "fk-package-"));
        project = path.join(dir, "my-stack");
        fs.mkdirSync(project);
        env = {
            ...process.env,
            PULUMI_HOME: path.join(dir, "pulumi-home"),
            PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
            PULUMI_CONFIG_PASSPHRASE: TEST_PASSPHRASE,
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            NO_COLOR: "1",
        };
        for (const k of Object.keys(env)) if (k.startsWith("FK_KLASSIFIKATION_")) delete env[k];
        fs.mkdirSync(path.join(dir, "state"));
        const packed = await must(
            "npm",
            ["pack", "--pack-destination", dir, "--silent"],
            path.join(repoRoot, "provider"),
        );
        const tarball = path.join(dir, packed.stdout.trim().split("\n").pop()!);
        fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "my-stack", private: true }));
        fs.writeFileSync(
            path.join(project, "Pulumi.yaml"),
            "name: my-stack\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.ts\n",
        );
        fs.writeFileSync(path.join(project, "index.ts"), readmeProgram());
        await must("npm", ["install", tarball, "--no-audit", "--no-fund", "--prefer-offline"]);
        s = await startTestStandin({ kommuner: 1 });
    });
    after(async function () {
        await s?.close();
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("ships its licence, README, compiled code, sources and declaration maps, and one @pulumi/pulumi", async function () {
        const installed = path.join(project, "node_modules", "@fk-iac", "klassifikation");
        for (const f of [
            "LICENSE",
            "README.md",
            "dist/index.js",
            "dist/index.d.ts",
            "dist/index.d.ts.map",
            "src/index.ts",
        ]) {
            assert.ok(fs.existsSync(path.join(installed, f)), `${f} in the package`);
        }
        const copies = JSON.parse((await must("npm", ["query", "#@pulumi/pulumi"])).stdout) as Array<{
            location: string;
        }>;
        assert.deepEqual(
            copies.map((c) => c.location),
            ["node_modules/@pulumi/pulumi"],
            "one copy, where the program finds it",
        );
    });

    it("the README's program: up creates the subscription; preview and refresh find nothing to change; destroy ends it", async function () {
        await must("pulumi", ["--non-interactive", "stack", "init", "kobenhavn"]);
        await must("pulumi", ["--non-interactive", "config", "set", "kommune:kode", "0101"]);
        await must("pulumi", ["--non-interactive", "config", "set", "fk:endpoint", s.url]);
        await must(
            "pulumi",
            ["--non-interactive", "config", "set", "--secret", "fk:token"],
            project,
            s.kommuner[0].token,
        );
        const up = await must("pulumi", ["--non-interactive", "up", "--yes"]);
        assert.match(up.output, /SortimentSubscription borgerblikket created/);
        const subs = (await s.admin("GET", "/admin/abonnementer?kommunekode=0101")).items as Array<{ uuid: string }>;
        assert.equal(subs.length, 1);
        const outputs = JSON.parse((await must("pulumi", ["--non-interactive", "stack", "output", "--json"])).stdout);
        assert.equal(outputs.abonnementUuid, subs[0].uuid);
        await must("pulumi", ["--non-interactive", "preview", "--expect-no-changes"]);
        await must("pulumi", ["--non-interactive", "refresh", "--yes", "--expect-no-changes"]);

        // destroy ends it (the default onDestroy): Gyldig til is set, the history stays.
        await must("pulumi", ["--non-interactive", "destroy", "--yes"]);
        const after = (await s.admin("GET", "/admin/abonnementer?kommunekode=0101")).items as Array<{
            uuid: string;
            virkning: { to: string | null };
        }>;
        assert.deepEqual(
            after.map((a) => a.uuid),
            [subs[0].uuid],
        );
        assert.notEqual(after[0].virkning.to, null, "ended, not deleted");
    });
});
