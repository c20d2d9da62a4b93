// The fleet reads why a stack's run failed from the engine's event log (one JSON event per line), not
// from the CLI's text: a resource's error first, then a mandatory policy violation, then any other
// error, never the engine's closing "update failed".
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readEventLog } from "../../../cli/fleet/event-log";
import { CliError } from "../../../cli/fleet/pulumi";
import { errorSummary } from "../../../cli/fleet/summary";

const STACK = "urn:pulumi:0101-koebenhavn::gb10::pulumi:pulumi:Stack::gb10-0101-koebenhavn";
const RESOURCE = "urn:pulumi:0101-koebenhavn::gb10::pulumi-nodejs:dynamic/fk-klassifikation:SortimentSubscription::sub";

function log(events: object[], tail = ""): string {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "fk-events-")), "events.json");
    fs.writeFileSync(file, events.map((e) => JSON.stringify(e)).join("\n") + "\n" + tail);
    return file;
}

const diag = (urn: string, message: string, severity = "error") => ({
    diagnosticEvent: { urn, message, color: "never", severity },
});

describe("the fleet's reading of the engine's event log", function () {
    it("names the resource's error, not the stack's or the engine's closing frame", function () {
        const file = log([
            diag(STACK, "error: update failed\n"),
            diag(RESOURCE, "warning only", "warning"),
            diag(RESOURCE, "error: subscription 1 already exists\n  with skemaversion 1.2 [FK_CONFLICT]\n"),
            { summaryEvent: { resourceChanges: { same: 1 } } },
        ]);
        const outcome = readEventLog(file);
        assert.equal(outcome.failure, "subscription 1 already exists with skemaversion 1.2 [FK_CONFLICT]");
        assert.deepEqual(outcome.changes, { same: 1 });
    });

    it("names a mandatory policy violation before a stack error; a log cut short by a kill still reads", function () {
        const file = log(
            [
                diag(STACK, "error: preview failed\n"),
                diag(STACK, "error: Running program failed\n"),
                {
                    policyEvent: {
                        message: "skemaversion must be 1.3,\nnot 1.2",
                        color: "never",
                        policyName: "skemaversion-1-3",
                        policyPackName: "fk",
                        policyPackVersion: "0.3.0",
                        policyPackVersionTag: "0.3.0",
                        enforcementLevel: "mandatory",
                    },
                },
            ],
            '{"diagnosticEvent": {"urn": "',
        );
        assert.equal(
            readEventLog(file).failure,
            "mandatory policy violation skemaversion-1-3: skemaversion must be 1.3, not 1.2",
        );
        assert.equal(
            readEventLog(log([diag(STACK, "error: Running program failed\n")])).failure,
            "Running program failed",
        );
        assert.equal(readEventLog(log([diag(STACK, "error: update failed\n")])).failure, undefined);
    });

    it("the summary takes the event log's reason, and the CLI's text only when the engine never ran", function () {
        const err = new CliError("pulumi up exited with code 255:\n+ sub creating (0s) error: something [FK_TLS]");
        assert.equal(errorSummary(err), "something [FK_TLS]");
        err.reason = "the resource's own reason [FK_TLS]";
        assert.equal(errorSummary(err), "the resource's own reason [FK_TLS]");
    });
});
