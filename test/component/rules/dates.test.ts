// Danish time as the page and messages show it: Europe/Copenhagen, summer time included.
import * as assert from "node:assert/strict";
import { danishDateTime } from "@fk-iac/klassifikation/rules";

describe("danishDateTime", function () {
    it("shows a moment in Danish time, in summer and in winter, across midnight and the year", function () {
        assert.equal(danishDateTime("2023-05-16T08:10:00Z"), "2023-05-16 10:10"); // CEST, UTC+2
        assert.equal(danishDateTime("2023-12-31T23:30:00Z"), "2024-01-01 00:30"); // CET, UTC+1
        assert.equal(danishDateTime("2023-03-26T00:59:00Z"), "2023-03-26 01:59"); // before the change
        assert.equal(danishDateTime("2023-03-26T01:00:00Z"), "2023-03-26 03:00"); // after it
        assert.equal(danishDateTime(new Date(Date.UTC(2026, 11, 6, 12, 0))), "2026-12-06 13:00");
    });

    it("returns text that is no time as it is", function () {
        assert.equal(danishDateTime("(ukendt)"), "(ukendt)");
    });
});
