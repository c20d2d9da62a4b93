// The egress proxy, through the real CLI: HTTPS_PROXY sends the provider's calls through a real CONNECT
// proxy on loopback (the `proxy` package from npm, run as its own process), with mutual TLS and the CA
// check end to end; NO_PROXY goes direct; a proxy that is down is named in the error; a proxy's
// credentials work and are never printed, and wrong ones are named as the proxy's refusal (FK_PROXY).
import * as assert from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as net from "node:net";
import * as path from "node:path";
import { sha256Hex, STANDIN_ENTITY_ID } from "@fk-iac/klassifikation-standin";
import { kommuneCvr } from "@fk-iac/klassifikation/rules";
import { makeTestPki, TestPki } from "../helpers/certs";
import { PulumiWorkspace, repoRoot } from "../helpers/pulumi";
import { startTestStandin, TestStandin } from "../helpers/standin";
import { fixtures } from "../helpers/workspaces";

const PROXY_PASSWORD = `proxy-${crypto.randomBytes(9).toString("hex")}`;

async function freePort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
}

/** A real HTTP CONNECT proxy on loopback, its own process; `auth` makes it require basic credentials. */
async function startProxy(auth?: { user: string; password: string }) {
    const port = await freePort();
    const args = [path.join(repoRoot, "node_modules", "proxy", "dist", "bin", "proxy.js"), "--port", String(port)];
    if (auth) {
        args.push(
            "--authenticate",
            `test "$PROXY_AUTH_USERNAME" = '${auth.user}' && test "$PROXY_AUTH_PASSWORD" = '${auth.password}'`,
        );
    }
    const child: ChildProcess = spawn(process.execPath, args, {
        env: { ...process.env, DEBUG: "proxy*" },
        stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    child.stdout!.on("data", (d: Buffer) => (log += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (log += d.toString()));
    for (let i = 0; i < 100; i++) {
        const up = await new Promise<boolean>((resolve) => {
            const socket = net.connect(port, "127.0.0.1", () => (socket.destroy(), resolve(true)));
            socket.on("error", () => resolve(false));
        });
        if (up) break;
        await new Promise((r) => setTimeout(r, 50));
    }
    return {
        url: `http://127.0.0.1:${port}`,
        port,
        log: () => log,
        stop: async () => {
            child.kill();
            await new Promise((r) => child.once("exit", r));
        },
    };
}

describe("the egress proxy (HTTPS_PROXY, NO_PROXY) with mutual TLS", function () {
    let pki: TestPki;
    let s: TestStandin;
    let ws: PulumiWorkspace;
    const token = `-${crypto.randomBytes(12).toString("hex")}`;

    before(async function () {
        pki = makeTestPki();
        const client = pki.client("proxy-0101");
        s = await startTestStandin({
            kommuner: 0,
            seed: {
                tenants: [
                    {
                        kommunekode: "0101",
                        navn: "København",
                        cvr: kommuneCvr("0101"),
                        tokenSha256: [sha256Hex(token)],
                        certificateFingerprints: [client.fingerprint256],
                    },
                ],
                serviceAgreements: [{ certificateFingerprint: client.fingerprint256, cvr: [kommuneCvr("0101")!] }],
            },
            tls: { cert: pki.server.cert, key: pki.server.key, clientCa: pki.ca, requireClientCertificate: true },
            trust: pki.ca,
        });
        ws = await PulumiWorkspace.create({ programDir: fixtures.subscription, kommunekode: "0101" });
        await ws.setConfig("fk:endpoint", s.url);
        await ws.setConfig("fk:caBundleFile", pki.caFile);
        await ws.setConfig("fk:clientCertificateFile", client.certFile);
        await ws.setConfig("fk:clientKeyFile", client.keyFile);
    });
    after(async function () {
        ws?.dispose();
        await s?.close();
        pki?.dispose();
    });

    it("up goes through the proxy in a CONNECT tunnel, with the client certificate and CA check end to end", async function () {
        const proxy = await startProxy();
        try {
            const up = await ws.up([], { HTTPS_PROXY: proxy.url, NO_PROXY: "" });
            assert.equal(up.code, 0, up.output);
            const port = new URL(s.url).port;
            assert.match(proxy.log(), new RegExp(`CONNECT[^\\n]*127\\.0\\.0\\.1:${port}`), proxy.log());
            // (The stand-in requires a client certificate of every caller: its data is read in process.)
            assert.equal(s.server.service.all("0101").length, 1);
        } finally {
            await proxy.stop();
        }
    });

    it("a proxy that is down is named in the error; NO_PROXY for the host goes direct", async function () {
        const down = `http://127.0.0.1:${await freePort()}`;
        await ws.setConfig("fk:deadlineMs", "3000");
        const res = await ws.refresh([], { HTTPS_PROXY: down, NO_PROXY: "" });
        assert.notEqual(res.code, 0, res.output);
        assert.match(res.output, new RegExp(`through the proxy ${down.replace(/\./g, "\\.")} from HTTPS_PROXY`));
        const direct = await ws.refresh([], { HTTPS_PROXY: down, NO_PROXY: "127.0.0.1,localhost" });
        assert.equal(direct.code, 0, direct.output);
        await ws.mustRun(["config", "rm", "--stack", ws.stack, "fk:deadlineMs"]);
    });

    it("a proxy's credentials work and are never printed; wrong ones are the proxy's refusal (FK_PROXY)", async function () {
        const proxy = await startProxy({ user: "fk", password: PROXY_PASSWORD });
        try {
            const right = await ws.refresh([], {
                HTTPS_PROXY: `http://fk:${PROXY_PASSWORD}@127.0.0.1:${proxy.port}`,
                NO_PROXY: "",
                FK_KLASSIFIKATION_DEBUG: "1",
            });
            assert.equal(right.code, 0, right.output);
            assert.ok(!right.output.includes(PROXY_PASSWORD), "the proxy's password is never printed");
            const wrong = await ws.refresh([], {
                HTTPS_PROXY: `http://fk:not-${PROXY_PASSWORD}@127.0.0.1:${proxy.port}`,
                NO_PROXY: "",
            });
            assert.notEqual(wrong.code, 0, wrong.output);
            assert.match(
                wrong.output,
                /the proxy http:\/\/fk:\*\*\*@127\.0\.0\.1:\d+\/? \(from HTTPS_PROXY\) refused .*407/,
            );
            assert.match(wrong.output, /FK_PROXY/);
            assert.ok(!wrong.output.includes(PROXY_PASSWORD), "nor a wrong one");
            assert.ok(!ws.stateFileText().includes(PROXY_PASSWORD), "nor is it in state");
        } finally {
            await proxy.stop();
        }
    });

    it("the STS is reached through the proxy too: a proxy that is down is named in the STS's error", async function () {
        await ws.setConfig("fk:stsEndpoint", s.url);
        await ws.setConfig("fk:entityId", STANDIN_ENTITY_ID);
        await ws.setConfig("fk:deadlineMs", "3000");
        try {
            const down = `http://127.0.0.1:${await freePort()}`;
            // refresh reads the provider's settings from state unless it runs the program.
            const failed = await ws.refresh(["--run-program"], { HTTPS_PROXY: down, NO_PROXY: "" });
            assert.notEqual(failed.code, 0, failed.output);
            assert.match(failed.output, /token service \(STS\)/);
            assert.match(failed.output, new RegExp(`through the proxy ${down.replace(/\./g, "\\.")} from HTTPS_PROXY`));
            const proxy = await startProxy();
            try {
                const issued = s.server.sts.issued.get(kommuneCvr("0101")!) ?? 0;
                const through = await ws.refresh(["--run-program"], { HTTPS_PROXY: proxy.url, NO_PROXY: "" });
                assert.equal(through.code, 0, through.output);
                assert.equal(s.server.sts.issued.get(kommuneCvr("0101")!), issued + 1, "a token from the STS");
                assert.match(proxy.log(), /CONNECT/);
            } finally {
                await proxy.stop();
            }
        } finally {
            await ws.mustRun(["config", "rm", "--stack", ws.stack, "fk:stsEndpoint"]);
            await ws.mustRun(["config", "rm", "--stack", ws.stack, "fk:entityId"]);
            await ws.mustRun(["config", "rm", "--stack", ws.stack, "fk:deadlineMs"]);
        }
    });
});
