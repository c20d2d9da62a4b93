// The wire contract, checked by someone else: Stoplight's Prism (an OpenAPI validation proxy from npm,
// run as its own process) sits between the provider and the stand-in with contract/openapi.yaml, and
// validates every request and response of up, preview, refresh, an update, destroy and the survey. With
// `--errors` a violation becomes an error response, so the run fails; the test also reads Prism's log
// for any violation it only warned about, and checks that the traffic really went through it.
import * as assert from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { HttpClassificationApi } from "../../provider/src/client";
import { readConnectionSettings, environmentSource } from "../../provider/src/connection";
import { surveyMunicipality } from "../../provider/src/survey";
import { addDays, today } from "../helpers/days";
import { repoRoot } from "../helpers/pulumi";
import { freePort } from "../helpers/services";
import { startTestStandin, TestStandin } from "../helpers/standin";
import { connectedWorkspace, fixtures } from "../helpers/workspaces";

/**
 * The contract as Prism matches requests: its paths under the API's base path (`/api/v1`, which the
 * contract gives as a relative server URL, and Prism does not strip).
 */
function specForPrism(file: string): void {
    const doc = YAML.parse(fs.readFileSync(path.join(repoRoot, "contract", "openapi.yaml"), "utf8"));
    const base = doc.servers[0].url as string;
    doc.paths = Object.fromEntries(Object.entries(doc.paths).map(([p, item]) => [`${base}${p}`, item]));
    delete doc.servers;
    fs.writeFileSync(file, YAML.stringify(doc));
}

/** Starts `prism proxy` in front of the upstream; resolves once it listens. */
async function startPrism(spec: string, upstream: string, log: string[]): Promise<{ url: string; proc: ChildProcess }> {
    const port = await freePort();
    const proc = spawn(
        path.join(repoRoot, "node_modules", ".bin", "prism"),
        ["proxy", spec, upstream, "--errors", "--host", "127.0.0.1", "--port", String(port)],
        { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, SCARF_ANALYTICS: "false", NO_COLOR: "1" } },
    );
    const listening = new Promise<void>((resolve, reject) => {
        const read = (chunk: Buffer) => {
            for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) log.push(line);
            if (log.some((l) => l.includes("Prism is listening"))) resolve();
        };
        proc.stdout.on("data", read);
        proc.stderr.on("data", read);
        proc.once("exit", (code) => reject(new Error(`prism exited with ${code}:\n${log.join("\n")}`)));
        setTimeout(() => reject(new Error(`prism did not start in 60 s:\n${log.join("\n")}`)), 60_000).unref();
    });
    await listening;
    return { url: `http://127.0.0.1:${port}`, proc };
}

describe("the wire contract, validated by an independent proxy (Prism)", function () {
    let s: TestStandin;
    let prism: { url: string; proc: ChildProcess } | undefined;
    const log: string[] = [];
    const violations = () => log.filter((l) => /violation|✖|error/i.test(l));

    before(async function () {
        s = await startTestStandin();
        const dir = path.join(repoRoot, ".work", `contract-proxy-${process.pid}`);
        fs.mkdirSync(dir, { recursive: true });
        const spec = path.join(dir, "openapi.yaml");
        specForPrism(spec);
        prism = await startPrism(spec, s.url, log);
    });
    after(async function () {
        prism?.proc.kill();
        await s?.close();
    });

    it("up, preview, refresh, an update, destroy and the survey send and get only what the contract says", async function () {
        const ws = await connectedWorkspace(s, fixtures.subscription, { config: { "fk:endpoint": prism!.url } });
        try {
            for (const run of [() => ws.up(), () => ws.preview(), () => ws.refresh()]) {
                const res = await run();
                assert.equal(res.code, 0, res.output);
            }
            await ws.setConfig("sub:validTo", addDays(today(), 400));
            const update = await ws.up();
            assert.equal(update.code, 0, update.output);
            const destroy = await ws.destroy();
            assert.equal(destroy.code, 0, destroy.output);
        } finally {
            ws.dispose();
        }
        const settings = readConnectionSettings(
            environmentSource({ FK_KLASSIFIKATION_ENDPOINT: prism!.url, FK_KLASSIFIKATION_TOKEN: s.kommuner[0].token }),
        );
        const surveyed = await surveyMunicipality(new HttpClassificationApi(settings), { kommunekode: "0101" });
        assert.equal(surveyed.state, "ended", surveyed.detail);

        const forwarded = log.filter((l) => l.includes("Forwarding"));
        for (const op of ["get", "post", "patch"])
            assert.ok(
                forwarded.some((l) => l.includes(`"${op}" request`)),
                `Prism forwarded a ${op}:\n${forwarded.join("\n")}`,
            );
        assert.deepEqual(violations(), [], "Prism found no violation of the contract");
    });
});
