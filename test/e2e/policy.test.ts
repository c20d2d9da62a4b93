// The policy pack in the real engine: `pulumi preview --policy-pack policy`.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { PulumiWorkspace, repoRoot } from "../helpers/pulumi";

const fixture = path.join(repoRoot, "test", "fixtures", "subscription");
const pack = path.join(repoRoot, "policy");

describe("policy pack in the real engine", function () {
    let ws: PulumiWorkspace;

    before(async function () {
        ws = await PulumiWorkspace.create({ programDir: fixture, kommunekode: "0101" });
        // Preview of a new stack makes no API calls; the endpoint only has to be well-formed.
        await ws.setConfig("fk:endpoint", "https://klassifikation.example.dk");
        await ws.setConfig("fk:token", "not-used-by-preview", true);
    });
    after(() => ws?.dispose());

    it("passes a compliant stack", async function () {
        const res = await ws.preview(["--policy-pack", pack]);
        assert.equal(res.code, 0, res.output);
        assert.match(res.output, /fk-klassifikation/);
    });

    it("blocks schema version 1.2, naming the policy and what to change", async function () {
        await ws.setConfig("sub:skemaversion", "1.2");
        const res = await ws.preview(["--policy-pack", pack]);
        assert.notEqual(res.code, 0, res.output);
        assert.match(res.output, /fk-skemaversion/);
        assert.match(res.output, /mandatory/);
        assert.match(
            res.output,
            /SortimentSubscription "sub": skemaversion is "1\.2", expected "1\.3"\. Set skemaversion: "1\.3" in the program\./,
        );
    });

    it("a policy config file can widen the allowed versions", async function () {
        const file = path.join(ws.root, "allow-1.2.json");
        fs.writeFileSync(file, JSON.stringify({ "fk-skemaversion": { allowedVersions: ["1.2", "1.3"] } }));
        const res = await ws.preview(["--policy-pack", pack, "--policy-pack-config", file]);
        assert.equal(res.code, 0, res.output);
    });

    it("a policy config file can lower the enforcement level to advisory", async function () {
        const file = path.join(ws.root, "advisory.json");
        fs.writeFileSync(file, JSON.stringify({ "fk-skemaversion": "advisory" }));
        const res = await ws.preview(["--policy-pack", pack, "--policy-pack-config", file]);
        assert.equal(res.code, 0, res.output);
        assert.match(res.output, /advisory/);
        assert.match(res.output, /skemaversion is "1\.2"/);
        await ws.mustRun(["config", "rm", "--stack", ws.stack, "sub:skemaversion"]);
    });

    it("blocks an explicit validFrom far in the past but not the default", async function () {
        await ws.setConfig("sub:validFrom", "2020-01-01");
        const res = await ws.preview(["--policy-pack", pack]);
        assert.notEqual(res.code, 0, res.output);
        assert.match(res.output, /fk-valid-from-window/);
        assert.match(res.output, /validFrom is "2020-01-01"/);
        await ws.mustRun(["config", "rm", "--stack", ws.stack, "sub:validFrom"]);
    });

    it("blocks two subscriptions for the same pair in one stack", async function () {
        await ws.setConfig("sub:count", "2");
        const res = await ws.preview(["--policy-pack", pack]);
        assert.notEqual(res.code, 0, res.output);
        assert.match(res.output, /fk-unique-subscription/);
        assert.match(res.output, /"sub-0" and "sub-1" both subscribe/);
        await ws.mustRun(["config", "rm", "--stack", ws.stack, "sub:count"]);
    });

    it("a 10,000-character input is shown cut to a readable length", async function () {
        await ws.setConfig("sub:sortiment", "B".repeat(10_000));
        const res = await ws.preview(["--policy-pack", pack]);
        await ws.mustRun(["config", "rm", "--stack", ws.stack, "sub:sortiment"]);
        assert.notEqual(res.code, 0, res.output);
        assert.match(res.output, /sortiment is "B{80}…" \(10000 characters\): must be at most 200 characters/);
        const longest = Math.max(...res.output.split("\n").map((l) => l.length));
        assert.ok(longest < 600, `the longest line has ${longest} characters`);
    });

    it("blocks a plain-HTTP endpoint to another host", async function () {
        await ws.setConfig("fk:endpoint", "http://klassifikation.example.dk");
        const res = await ws.preview(["--policy-pack", pack]);
        assert.notEqual(res.code, 0, res.output);
        assert.match(res.output, /endpoint is "http:\/\/klassifikation\.example\.dk"|plain HTTP/);
        await ws.setConfig("fk:endpoint", "https://klassifikation.example.dk");
    });
});
