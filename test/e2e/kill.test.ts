// A `pulumi up` killed with SIGKILL right after the subscription was created must not lead to a
// duplicate: the next `up` finds the subscription and adopts it.
import * as assert from "node:assert/strict";
import { RESOURCE_TYPE_TOKEN } from "@fk-iac/klassifikation";
import { collect, killGroup, PulumiWorkspace } from "../helpers/pulumi";
import { startTestStandin, TestStandin } from "../helpers/standin";
import { connectedWorkspace, fixtures } from "../helpers/workspaces";

describe("pulumi up killed with SIGKILL after the create", function () {
    let s: TestStandin;
    let ws: PulumiWorkspace;

    before(async function () {
        s = await startTestStandin({ kommuner: 1 });
        ws = await connectedWorkspace(s, fixtures.subscription);
    });
    after(async function () {
        ws?.dispose();
        await s?.close();
    });

    it("leaves exactly one subscription after the next up", async function () {
        const child = ws.start(["up", "--yes", "--skip-preview", "--stack", ws.stack]);
        const done = collect(child);
        const created = await new Promise<boolean>((resolve) => {
            const timer = setInterval(() => {
                if (s.log.some((e) => e.operation === "opretAbonnement" && e.status === 201)) {
                    clearInterval(timer);
                    killGroup(child, "SIGKILL");
                    resolve(true);
                }
            }, 5);
            child.once("exit", () => {
                clearInterval(timer);
                resolve(false);
            });
        });
        const killed = await done;
        assert.ok(created, `the create never happened:\n${killed.output}`);
        assert.equal(killed.signal, "SIGKILL");
        const inState = ws.resources().filter((r) => r.type === RESOURCE_TYPE_TOKEN).length;

        // The documented recovery: the killed run left its lock; `pulumi cancel` removes it.
        const locked = await ws.up();
        assert.notEqual(locked.code, 0);
        assert.match(locked.output, /locked/);
        await ws.mustRun(["cancel", "--yes", "--stack", ws.stack]);
        const again = await ws.up();
        assert.equal(again.code, 0, again.output);
        const subs = ((await s.admin("GET", "/admin/abonnementer?kommunekode=0101")).items as any[]);
        assert.equal(subs.length, 1, `expected one subscription, found ${subs.length} (the killed run had ${inState} in state)`);
        assert.equal(s.log.filter((e) => e.operation === "opretAbonnement" && e.status === 201).length, 1);
        const outputs = await ws.outputs();
        assert.equal(outputs.abonnementUuid, subs[0].uuid);
        assert.equal(outputs.adopted, false, "the note shows it was this stack's own create");
        const preview = await ws.preview(["--expect-no-changes"]);
        assert.equal(preview.code, 0, preview.output);
    });
});
