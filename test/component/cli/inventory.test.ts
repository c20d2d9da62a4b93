// The fleet inventory's CSV reading (csv-parse): quoting, line ends and the line each problem names.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { InventoryError, readInventory } from "../../../cli/fleet/inventory";
import { credentialEnv, settingsForRow } from "../../../cli/fleet/row-connection";

describe("fleet inventory (CSV)", function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fk-inventory-"));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const write = (name: string, text: string) => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, text);
        return file;
    };
    const problems = (file: string) => {
        try {
            readInventory(file);
        } catch (err) {
            if (err instanceof InventoryError) return err.problems;
            throw err;
        }
        assert.fail("the inventory was accepted");
    };

    it("reads quoted fields with commas, doubled quotes and line breaks, CRLF or LF", function () {
        for (const eol of ["\n", "\r\n"]) {
            const file = write(
                "ok.csv",
                [
                    "kommunekode,navn,endpoint,credentials",
                    "# a comment",
                    '0101,"København, ""Hovedstaden""",https://k.example.dk,env:T1',
                    "",
                    "0147,Frederiksberg,https://k.example.dk,env:T2",
                ].join(eol),
            );
            const rows = readInventory(file);
            assert.deepEqual(
                rows.map((r) => [r.line, r.kommunekode, r.navn]),
                [
                    [3, "0101", 'København, "Hovedstaden"'],
                    [5, "0147", "Frederiksberg"],
                ],
            );
        }
    });

    it("names the line a row starts on, after a field that spans lines (CRLF too)", function () {
        const file = write(
            "bad.csv",
            'kommunekode,navn,endpoint,credentials\r\n0101,"Køben\r\nhavn",https://k.example.dk,env:T1\r\n\r\n12,Ugyldig,https://k.example.dk,env:T2\r\n',
        );
        assert.deepEqual(
            problems(file).map((p) => p.replace(/ must .*/, "")),
            [`${file}:5: kommunekode "12"`],
        );
    });

    it("refuses an unclosed quote, naming the file and line", function () {
        const file = write(
            "open.csv",
            'kommunekode,navn,endpoint,credentials\n0101,"open,https://k.example.dk,env:T1\n',
        );
        const [problem] = problems(file);
        assert.match(problem, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:2: Quote Not Closed`));
    });
});

describe("fleet inventory: one vendor certificate for many rows", function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fk-inventory-sts-"));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const fleet = {
        clientCertificateFile: "/etc/fk/system.crt",
        clientKeyFile: "/etc/fk/system.key",
        clientKeyPassphrase: "-fleet passphrase",
        stsEndpoint: "https://sts.example",
        entityId: "urn:service",
        caBundleFile: "/etc/fk/ca.pem",
    };

    it("a row without credentials uses the fleet's certificate; a row's own credentials win", function () {
        const file = path.join(dir, "inventory.yaml");
        fs.writeFileSync(
            file,
            [
                "kommuner:",
                '  - { kommunekode: "0101", navn: "København", endpoint: "https://k.example" }',
                '  - { kommunekode: "0751", navn: "Aarhus", endpoint: "https://k.example", credentials: "env:T" }',
                '  - { kommunekode: "0851", navn: "Aalborg", endpoint: "https://k.example", credentials: "cert:a.crt,a.key" }',
            ].join("\n"),
        );
        const [kbh, aarhus, aalborg] = readInventory(file);
        assert.deepEqual(kbh.credentials, { kind: "fleet" });
        assert.deepEqual(settingsForRow(kbh, fleet), fleet);
        assert.deepEqual(credentialEnv(kbh), {});
        // A gateway's token: neither the fleet's certificate nor its STS.
        assert.deepEqual(settingsForRow(aarhus, fleet), { caBundleFile: "/etc/fk/ca.pem" });
        // Its own certificate, asking the fleet's STS.
        assert.deepEqual(settingsForRow(aalborg, fleet), {
            stsEndpoint: "https://sts.example",
            entityId: "urn:service",
            caBundleFile: "/etc/fk/ca.pem",
        });
        assert.throws(
            () => settingsForRow(kbh, { caBundleFile: "/etc/fk/ca.pem" }),
            /line 2: København \(0101\) has no credentials of its own, and the fleet has no system certificate and STS/,
        );
    });
});
