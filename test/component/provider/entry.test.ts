// A Pulumi program loads only what it needs: the package's main entry brings the resource's
// declaration, not the HTTP client and the response schemas the provider process uses.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { repoRoot } from "../../helpers/pulumi";
import { BORGERBLIKKET, gb10Subscription, KMD_OPUS_DEBITOR, REQUIRED_SKEMAVERSION } from "@fk-iac/klassifikation";

describe("the package's main entry", function () {
    it("loads neither axios nor zod; @fk-iac/klassifikation/api does", function () {
        const loaded = (entry: string) =>
            JSON.parse(
                execFileSync(
                    process.execPath,
                    [
                        "-e",
                        `
            require(${JSON.stringify(entry)});
            process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((k) => /node_modules\\/(axios|zod)\\//.test(k)).length));
        `,
                    ],
                    { cwd: repoRoot, encoding: "utf8" },
                ),
            );
        assert.equal(loaded("@fk-iac/klassifikation"), 0);
        assert.equal(loaded("@fk-iac/klassifikation/rules"), 0);
        assert.ok(loaded("@fk-iac/klassifikation/api") > 0, "the check can see a heavy entry");
    });
});

describe("gb10Subscription", function () {
    it("keeps the task's values, literal in its type too (the type check fails if they widen to string)", function () {
        const skemaversion: typeof REQUIRED_SKEMAVERSION = gb10Subscription.skemaversion;
        const sortiment: typeof BORGERBLIKKET = gb10Subscription.sortiment;
        const itSystemInstans: typeof KMD_OPUS_DEBITOR = gb10Subscription.itSystemInstans;
        assert.deepEqual({ skemaversion, sortiment, itSystemInstans }, { ...gb10Subscription });
        assert.ok(Object.isFrozen(gb10Subscription));
    });
});

describe("the provider's implementation", function () {
    it("loads the HTTP client (axios, jose, the proxy agent) only when an operation calls the API", function () {
        const heavy = JSON.parse(
            execFileSync(
                process.execPath,
                [
                    "-e",
                    `
            const runtime = require("./provider/dist/runtime.js");
            const heavy = () => Object.keys(require.cache).filter((k) => /node_modules\\/(axios|jose|https-proxy-agent)\\//.test(k)).length;
            const before = heavy();
            runtime.handler();
            process.stdout.write(JSON.stringify({ before, after: heavy() }));
        `,
                ],
                { cwd: repoRoot, encoding: "utf8" },
            ),
        ) as { before: number; after: number };
        assert.deepEqual(
            heavy,
            { before: 0, after: 0 },
            "loading the implementation and making a provider load no HTTP client",
        );
    });
});
