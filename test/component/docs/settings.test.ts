// The README's table of connection settings is the one SETTINGS describes (provider/src/settings.ts):
// a setting added, renamed or given another default there shows up here as a failing test, with the
// table to paste.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { CONNECTION_SETTINGS, SETTINGS, settingsTable } from "../../../provider/src/connection";

const root = path.resolve(__dirname, "..", "..", "..");
const START = "<!-- settings-table: start -->";
const END = "<!-- settings-table: end -->";

describe("the connection settings, described once", function () {
    it("the README's table is the one generated from SETTINGS", function () {
        const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
        const shown = readme.slice(readme.indexOf(START) + START.length, readme.indexOf(END)).trim();
        assert.ok(readme.includes(START) && readme.includes(END), "the README marks where the table goes");
        assert.equal(
            shown,
            settingsTable(),
            `paste this between the README's settings-table markers:\n${settingsTable()}`,
        );
    });

    it("every key the reader looks up is in the table, with its environment variable", function () {
        const table = settingsTable();
        for (const key of CONNECTION_SETTINGS) {
            assert.ok(table.includes(`\`fk:${key}\``), key);
        }
        assert.match(
            table,
            /`fk:clientKeyFile` \| `FK_KLASSIFIKATION_CLIENT_KEY` or `FK_KLASSIFIKATION_CLIENT_KEY_FILE`/,
        );
        assert.match(table, new RegExp(`\\| ${SETTINGS.deadlineMs.number.default} \\(100-3600000\\)`));
    });
});
