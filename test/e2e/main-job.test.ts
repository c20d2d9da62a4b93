// The main job (npm run main) and the status command, as a newcomer runs them, in an isolated
// local folder: first run creates and verifies, second run changes nothing and says so.
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { collect, POLICY_PASSED, repoRoot } from "../helpers/pulumi";
import { freePort } from "../helpers/services";

// The stand-in delivers a subscription this long after its creation. The main job's runs use a day, as in
// reality, so delivery is pending by construction however slow the machine; the status check that
// expects it delivered starts the stand-in with no delay. No test waits for a clock.
const A_DAY = 86_400;

describe("main job and status command", function () {
    const stack = `demo-e2e-${process.pid}`;
    const local = path.join(repoRoot, ".work", `main-job-${process.pid}`);
    let env: NodeJS.ProcessEnv;

    before(async function () {
        fs.mkdirSync(local, { recursive: true });
        env = {
            ...process.env,
            FK_LOCAL_DIR: local,
            FK_DEMO_STACK: stack,
            FK_DEMO_PORT: String(await freePort()),
            FK_DEMO_DELIVERY_DELAY: String(A_DAY),
            PULUMI_HOME: path.join(local, "pulumi-home"),
        };
        delete env.PULUMI_BACKEND_URL;
        delete env.PULUMI_CONFIG_PASSPHRASE;
        delete env.PULUMI_CONFIG_PASSPHRASE_FILE;
    });
    after(function () {
        fs.rmSync(path.join(repoRoot, `Pulumi.${stack}.yaml`), { force: true });
        if (process.env.FK_KEEP_WORK !== "1") fs.rmSync(local, { recursive: true, force: true });
    });

    const npm = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
        collect(
            spawn("npm", ["run", "--silent", ...args], {
                cwd: repoRoot,
                env: { ...env, ...extra },
                stdio: ["ignore", "pipe", "pipe"],
            }),
        );

    it("first run creates the subscription, with the policy pack, and verifies it", async function () {
        const res = await npm(["main"]);

        assert.equal(res.code, 0, res.output);
        assert.match(res.output, POLICY_PASSED);
        assert.match(res.output, /applied: 2 create/);
        assert.match(res.output, /\[x\] 1\. created correctly: subscription [0-9a-f-]{36} is in force/);
        assert.match(res.output, /\[ \] 2\. visible to the debtor system: pending/);
        assert.ok(fs.existsSync(path.join(local, "state", ".pulumi")), "the file backend is in the local folder");
        const passphrase = fs.statSync(path.join(local, "passphrase"));
        assert.equal(passphrase.mode & 0o077, 0, "generated secrets are private to the user");
        // The real flow: HTTPS with the system certificate, and every API call with a token from the STS.
        assert.match(res.output, /stand-in for FK Klassifikation and its STS at https:\/\/127\.0\.0\.1:\d+/);
        const requests = fs
            .readFileSync(path.join(local, "standin-requests.jsonl"), "utf8")
            .split("\n")
            .filter(Boolean)
            .map(
                (line) => JSON.parse(line) as { operation: string; path: string; credential?: string; status: number },
            );
        assert.ok(
            requests.some((r) => r.operation === "issueToken" && r.status === 200),
            "a token from the STS",
        );
        const api = requests.filter((r) => r.path.startsWith("/api/"));
        assert.ok(api.length > 0 && api.every((r) => r.credential === "sts"), JSON.stringify(api));
        const key = fs.statSync(path.join(local, "pki", "system.key"));
        assert.equal(key.mode & 0o077, 0, "the system certificate's key is private to the user");
    });

    it("second run changes nothing and says so", async function () {
        const res = await npm(["main"]);
        assert.equal(res.code, 0, res.output);
        assert.match(res.output, /no changes: the subscription was already in place/);
        const requests = fs
            .readFileSync(path.join(local, "standin-requests.jsonl"), "utf8")
            .trim()
            .split("\n")
            .map((l) => JSON.parse(l));
        assert.equal(requests.filter((r) => r.operation === "opretAbonnement").length, 1, "only the first run created");
    });

    it("status says pending (exit 10) while the delivery delay runs, and done once it has passed", async function () {
        const pending = await npm(["status", "--", stack, "--json"]);
        assert.equal(pending.code, 10, pending.output);
        assert.equal(JSON.parse(pending.stdout).state, "pending");
        // The same subscription, with a stand-in whose delivery takes no time: delivered.
        const res = await npm(["status", "--", stack, "--json"], { FK_DEMO_DELIVERY_DELAY: "0" });
        assert.equal(res.code, 0, res.output);
        const verdict = JSON.parse(res.stdout);
        assert.equal(verdict.state, "done");
        assert.equal(verdict.kommunekode, "0101");
    });
});
