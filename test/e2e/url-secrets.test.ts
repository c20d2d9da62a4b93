// A password (or a credential parameter) in an endpoint URL is never printed: not by the provider's check,
// not by the engine's own "property ... has a problem" line, not by the policy pack (whose violations are
// stored with the update), not by `npm run status`, not by the fleet's inventory errors; and it never
// reaches state or a report. Each path gets such a URL; all output and every file written is scanned.
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { startFleet } from "../helpers/fleet";
import { collect, PulumiWorkspace, repoRoot, TEST_PASSPHRASE } from "../helpers/pulumi";
import { rootProgram } from "../helpers/workspaces";
import { localBackendUrl } from "../../cli/local";
import { policyPackArgument } from "../../cli/policy-pack";

const PASSWORD = `pw-${crypto.randomBytes(9).toString("hex")}`;
const URLS = [
    // The issue's own: plain HTTP to a host, with a password.
    `http://svc-user:${PASSWORD}@klassifikation.example.dk/api`,
    // HTTPS to loopback (not refused as insecure), with a password and a credential in the query.
    `https://svc-user:${PASSWORD}@127.0.0.1:9/api?token=${PASSWORD}`,
];
const policy = ["--policy-pack", policyPackArgument()];

/** Every file below a folder, as text. */
function filesBelow(dir: string): Array<[string, string]> {
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).flatMap((e) => {
        if (!e.isFile()) return [];
        const file = path.join(e.parentPath, e.name);
        return [[file, fs.readFileSync(file, "latin1")] as [string, string]];
    });
}

function assertNoPassword(what: string, text: string): void {
    assert.ok(!text.includes(PASSWORD), `${what} shows the password:\n${text}`);
}

describe("a password in an endpoint URL is never printed or stored", function () {
    const program = rootProgram();
    after(() => fs.rmSync(program, { recursive: true, force: true }));

    for (const [i, url] of URLS.entries()) {
        it(`preview and up with the policy pack (URL ${i + 1}): refused, masked, nothing in state`, async function () {
            const ws = await PulumiWorkspace.create({ programDir: program, kommunekode: "0101" });
            try {
                await ws.setConfig("kommune:navn", "København");
                await ws.setConfig("fk:endpoint", url);
                await ws.setConfig("fk:token", "any-token", true);
                const preview = await ws.preview([...policy, "--diff"], { FK_KLASSIFIKATION_DEBUG: "1" });
                const up = await ws.up(policy);
                for (const [what, res] of [
                    ["preview", preview],
                    ["up", up],
                ] as const) {
                    assert.notEqual(res.code, 0, res.output);
                    assert.match(res.output, /svc-user:\*\*\*@/, `${what} names the endpoint, masked`);
                    assert.match(res.output, /must not contain credentials|plain HTTP/);
                    assertNoPassword(what, res.output);
                }
                // The stack's settings file holds it as the user typed it, and so does the engine's record of
                // each update's config (.pulumi/history), which no program or provider can change: that is why
                // the message says to use fk:token. The state (checkpoints and their backups) never holds it.
                const state = filesBelow(ws.backendDir).filter(
                    ([file]) => !file.includes(`${path.sep}history${path.sep}`),
                );
                assert.ok(
                    state.some(([file]) => file.includes(`${path.sep}stacks${path.sep}`)),
                    "a checkpoint was written",
                );
                for (const [file, text] of state) assertNoPassword(file, text);
                const exported = await ws.mustRun(["stack", "export", "--show-secrets", "--stack", ws.stack]);
                assertNoPassword("the stack export", exported.output);
            } finally {
                ws.dispose();
            }
        });
    }

    it("npm run status names the endpoint masked", async function () {
        const stack = `url-secrets-${process.pid}`;
        const backend = fs.mkdtempSync(path.join(repoRoot, ".work", "url-secrets-"));
        const env = {
            ...process.env,
            PULUMI_BACKEND_URL: localBackendUrl(backend),
            PULUMI_CONFIG_PASSPHRASE: TEST_PASSPHRASE,
            PULUMI_HOME: path.join(backend, "home"),
        };
        const settings = path.join(repoRoot, `Pulumi.${stack}.yaml`);
        try {
            const pulumi = (args: string[], input?: string) =>
                collect(
                    spawn("pulumi", [...args, "--non-interactive"], {
                        cwd: repoRoot,
                        env,
                        stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
                    }),
                );
            assert.equal((await pulumi(["stack", "init", stack])).code, 0);
            for (const [k, v] of [
                ["kommune:kode", "0101"],
                ["kommune:navn", "København"],
                ["fk:endpoint", URLS[0]],
                ["fk:token", "any-token"],
            ]) {
                const child = spawn("pulumi", ["config", "set", "--stack", stack, k, "--non-interactive"], {
                    cwd: repoRoot,
                    env,
                    stdio: ["pipe", "pipe", "pipe"],
                });
                child.stdin.end(v);
                assert.equal((await collect(child)).code, 0);
            }
            const status = await collect(
                spawn("npm", ["run", "--silent", "status", "--", stack], {
                    cwd: repoRoot,
                    env,
                    stdio: ["ignore", "pipe", "pipe"],
                }),
            );
            assert.notEqual(status.code, 0, status.output);
            assert.match(status.output, /svc-user:\*\*\*@klassifikation\.example\.dk.*plain HTTP/);
            assertNoPassword("status", status.output);
        } finally {
            fs.rmSync(settings, { force: true });
            fs.rmSync(backend, { recursive: true, force: true });
        }
    });

    it("the fleet's inventory error names the endpoint masked, and no report holds it", async function () {
        const dir = fs.mkdtempSync(path.join(repoRoot, ".work", "url-secrets-fleet-"));
        try {
            const inventory = path.join(dir, "inventory.csv");
            fs.writeFileSync(
                inventory,
                `kommunekode,navn,endpoint,credentials\n0101,København,${URLS[0]},env:FK_TOKEN_0101\n0751,Aarhus,${URLS[1]},env:FK_TOKEN_0751\n`,
            );
            const res = await collect(
                startFleet(["survey", "--inventory", inventory, "--state-dir", path.join(dir, "state")], process.env),
            );
            assert.equal(res.code, 2, res.output);
            assert.match(
                res.output,
                /inventory\.csv:2: endpoint "http:\/\/svc-user:\*\*\*@klassifikation\.example\.dk\/api"/,
            );
            assert.match(
                res.output,
                /inventory\.csv:3: endpoint "https:\/\/svc-user:\*\*\*@127\.0\.0\.1:9\/api\?token=\*\*\*"/,
            );
            assertNoPassword("fleet", res.output);
            for (const [file, text] of filesBelow(path.join(dir, "state"))) assertNoPassword(file, text);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
