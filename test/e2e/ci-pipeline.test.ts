// examples/ci/.gitlab-ci.yml, the pipeline for a municipality's repository, run for real with
// gitlab-ci-local (shell executor) on a fresh clone: preview on a merge request, up on the default
// branch, one job per municipality stack, state on a real PostgreSQL server, credentials from CI
// variables (a variables file, never the command line). And the GitHub Actions workflow with the same
// steps, checked against the workflow schema by action-validator.
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { collect, POLICY_PASSED, repoRoot } from "../helpers/pulumi";
import { startPostgres, StateService } from "../helpers/services";
import { startTestStandin, TestStandin } from "../helpers/standin";

const bin = (name: string) => path.join(repoRoot, "node_modules", ".bin", name);

describe("examples/ci: the GitLab pipeline, run with gitlab-ci-local", function () {
    let pg: StateService;
    let s: TestStandin;
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "fk-ci-pipeline-"));
    const clone = path.join(work, "repo");
    const variables = path.join(work, "variables.yml");
    const passphrase = `-${crypto.randomBytes(12).toString("base64url")} with spaces`;
    let env: NodeJS.ProcessEnv;

    const run = (cmd: string, args: string[], cwd: string) =>
        collect(spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] }));
    const pipeline = (extra: string[] = []) =>
        run(
            bin("gitlab-ci-local"),
            // Each job in a copy of its own, as on a runner: jobs of one stage run at once.
            ["--shell-isolation", "--variables-file", variables, "--max-job-name-padding", "0", ...extra],
            clone,
        );
    const subscriptions = async (kode: string) =>
        ((await s.admin("GET", `/admin/abonnementer?kommunekode=${kode}`)).items as any[]).length;
    /** What the jobs printed, from gitlab-ci-local's logs. */
    const jobLogs = () => {
        const dir = path.join(clone, ".gitlab-ci-local", "output");
        return fs.existsSync(dir)
            ? fs
                  .readdirSync(dir)
                  .map((f) => fs.readFileSync(path.join(dir, f), "utf8"))
                  .join("\n")
            : "";
    };

    before(async function () {
        pg = await startPostgres();
        s = await startTestStandin({ kommuner: 2 }); // København 0101, Aarhus 0751
        env = { ...process.env, PULUMI_HOME: path.join(work, "pulumi-home"), HOME: path.join(work, "home") };
        fs.mkdirSync(env.HOME!, { recursive: true });
        // The municipality's repository: a clone of this one, with the example pipeline at its root.
        const git = (...args: string[]) =>
            run("git", ["-c", "user.name=ci", "-c", "user.email=ci@kommune.invalid", ...args], clone);
        const cloned = await run("git", ["clone", "-q", "--branch", "main", repoRoot, clone], work);
        assert.equal(cloned.code, 0, cloned.output);
        fs.copyFileSync(path.join(repoRoot, "examples", "ci", ".gitlab-ci.yml"), path.join(clone, ".gitlab-ci.yml"));
        assert.equal((await git("add", ".gitlab-ci.yml")).code, 0);
        assert.equal((await git("commit", "-q", "-m", "CI: task GB1.0")).code, 0);
        const passphraseFile = path.join(work, "passphrase");
        fs.writeFileSync(passphraseFile, passphrase, { mode: 0o600 });
        // The CI/CD variables, as a project would set them (a File variable is a path to its content).
        const vars: Record<string, string> = {
            FK_STATE_URL: pg.backendUrl,
            PGPASSWORD: pg.env.PGPASSWORD,
            PULUMI_PASSPHRASE: passphraseFile,
            FK_ENDPOINT: s.url,
            FK_TOKEN_KOBENHAVN: s.kommuner[0].token,
            FK_TOKEN_AARHUS: s.kommuner[1].token,
        };
        fs.writeFileSync(
            variables,
            Object.entries(vars)
                .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
                .join("\n") + "\n",
            {
                mode: 0o600,
            },
        );
    });
    after(async function () {
        await s?.close();
        await pg?.dispose();
        if (process.env.FK_KEEP_WORK !== "1") fs.rmSync(work, { recursive: true, force: true });
    });

    it("a merge request previews every stack under the policy pack and writes nothing", async function () {
        const res = await pipeline(["--variable", "CI_PIPELINE_SOURCE=merge_request_event"]);
        assert.equal(res.code, 0, res.output);
        assert.match(res.output, /^state finished in/m, "the job that opens the backend first");
        assert.match(res.output, /preview:kobenhavn/);
        assert.match(res.output, /preview:aarhus/);
        assert.doesNotMatch(res.output, /up:kobenhavn|up:aarhus/, "no up on a merge request");
        assert.match(jobLogs(), POLICY_PASSED);
        assert.equal(await subscriptions("0101"), 0);
        assert.equal(await subscriptions("0751"), 0);
    });

    it("the default branch runs up for every stack: one subscription each, state on PostgreSQL", async function () {
        const res = await pipeline();
        assert.equal(res.code, 0, res.output);
        assert.match(res.output, /up:kobenhavn/);
        assert.match(res.output, /up:aarhus/);
        assert.equal(await subscriptions("0101"), 1);
        assert.equal(await subscriptions("0751"), 1);
        const stored = await pg.dump();
        assert.match(stored, /kobenhavn/);
        assert.match(stored, /aarhus/);
        // Each up job publishes its stack's status page as an artifact.
        for (const [stack, navn] of [
            ["kobenhavn", "København"],
            ["aarhus", "Aarhus"],
        ]) {
            // gitlab-ci-local keeps each job's artifacts under a folder named for the job (made file-safe).
            const artifacts = path.join(clone, ".gitlab-ci-local", "artifacts");
            const page = fs
                .readdirSync(artifacts)
                .map((job) => path.join(artifacts, job, "status", `${stack}.html`))
                .find((f) => fs.existsSync(f));
            assert.ok(page, `an artifact holds status/${stack}.html: ${fs.readdirSync(artifacts).join(", ")}`);
            const html = fs.readFileSync(page, "utf8");
            assert.match(html, new RegExp(`<td>${navn}</td><td class="state s-pending"`), `${stack}'s row, pending`);
        }
    });

    it("a second run on the default branch changes nothing", async function () {
        s.server.resetStats();
        const res = await pipeline();
        assert.equal(res.code, 0, res.output);
        assert.equal(s.server.stats().opretAbonnement?.total ?? 0, 0);
        assert.equal(await subscriptions("0101"), 1);
    });

    it("no token, password or passphrase in the job logs or the stored state", async function () {
        const seen = `${jobLogs()}\n${await pg.dump()}`;
        for (const secret of [s.kommuner[0].token, s.kommuner[1].token, pg.env.PGPASSWORD, passphrase]) {
            assert.ok(!seen.includes(secret), "a secret is readable");
        }
    });
});

describe("examples/ci: the GitHub Actions workflow", function () {
    it("is a valid workflow (action-validator) with the same jobs as the GitLab pipeline", async function () {
        const workflow = path.join(repoRoot, "examples", "ci", "github-actions.yml");
        const res = await collect(spawn(bin("action-validator"), [workflow], { stdio: ["ignore", "pipe", "pipe"] }));
        assert.equal(res.code, 0, res.output);
        const text = fs.readFileSync(workflow, "utf8");
        assert.match(text, /pulumi preview --stack "\$\{\{ matrix\.stack \}\}" --policy-pack policy/);
        assert.match(text, /pulumi up --stack "\$\{\{ matrix\.stack \}\}" --policy-pack policy --yes/);
        assert.match(text, /stack: \[kobenhavn, aarhus\]/);
        assert.match(text, /npm run --silent status -- "\$\{\{ matrix\.stack \}\}" --html/);
        assert.match(text, /uses: actions\/upload-artifact@v4/);
    });
});
