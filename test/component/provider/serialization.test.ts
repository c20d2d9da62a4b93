// Round trip of the serialized provider, outside the engine: the SDK serializes it when the resource
// is constructed (here under the SDK's mocks, which receive the `__provider` input), and the code is
// loaded back the way the dynamic-provider plugin loads it, then used against the stand-in. That a
// new one is released with a fixture of its own is checked by upgrade-guard.test.ts.
import * as assert from "node:assert/strict";
import { serializedShim } from "../../helpers/shim";
import { startTestStandin, TestStandin } from "../../helpers/standin";

// An untyped CommonJS module: loads code from a string, as the dynamic-provider plugin does.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const requireFromString = require("require-from-string") as (code: string) => {
    handler(): Record<string, (...args: any[]) => Promise<any>>;
};

describe("serialized provider round trip", function () {
    let s: TestStandin;
    let code = "";

    before(async function () {
        s = await startTestStandin({ kommuner: 1 });
        code = await serializedShim();
    });
    after(async () => s?.close());

    it("is small, captures no implementation and names only the runtime entry point", function () {
        assert.ok(code.length > 0, "the mocks saw the serialized provider");
        assert.ok(code.length < 3000, `${code.length} bytes`);
        assert.doesNotMatch(code, /axios|zod|readConnectionSettings/);
        assert.equal(code.match(/require\("@fk-iac\/klassifikation\/runtime"\)/g)?.length, 7);
    });

    it("loads back and works: check, then create and read against the stand-in", async function () {
        const provider = requireFromString(code).handler();
        await provider.configure({
            config: {
                get: (k: string) =>
                    (({ "fk:endpoint": s.url, "fk:token": s.kommuner[0].token }) as Record<string, string>)[k],
            },
        });
        const checked = await provider.check(
            {},
            {
                sortiment: "Borgerblikket",
                itSystemInstans: "362ebac2-761b-4a44-abc6-679f2d5615ce",
                skemaversion: "1.3",
                kommunekode: "0101",
                managedBy: "roundtrip/dev/sub",
            },
        );
        assert.deepEqual(checked.failures, []);
        const created = await provider.create(checked.inputs);
        const read = await provider.read(created.id, created.outs);
        assert.equal(read.id, created.id);
        assert.equal(read.props.itSystemInstansNavn, "KMD Opus Debitor");
    });
});
