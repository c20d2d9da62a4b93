// The status page in a real browser: `fleet survey --html` over the stand-in's 98-municipality
// brownfield, opened from disk in headless Chromium (Debian's, driven by playwright-core). The counts
// it shows are the JSON report's, filtering, searching and sorting work, nothing is fetched, nothing
// secret is on it, and hostile names and error texts show as text and run nothing.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { Browser, Page } from "playwright-core";
import { stringify } from "yaml";
import { brownfieldSubscriptions } from "@fk-iac/klassifikation-standin";
import { countStates, SURVEY_STATES } from "@fk-iac/klassifikation";
import { KOMMUNER } from "@fk-iac/klassifikation/rules";
import { RAW_VALUES, renderStatusPage } from "../../cli/page";
import { launchChromium } from "../helpers/browser";
import { startFleet } from "../helpers/fleet";
import { collect, repoRoot } from "../helpers/pulumi";
import { randomToken, startTestStandin, tenantsFor, TestStandin } from "../helpers/standin";

/** What the tests read of an element in the page. */
type Attributed = { getAttribute(name: string): string | null };

const HOSTILE_NAME = `<script>window.__pwned = "name"</script>`;
const HOSTILE_ATTR = `"><img src=x onerror="window.__pwned='attr'">`;

describe("the status page, in headless Chromium", function () {
    let s: TestStandin;
    let browser: Browser;
    const dir = path.join(repoRoot, ".work", `status-page-${process.pid}`);
    const html = path.join(dir, "status.html");
    const tokens = new Map(KOMMUNER.map(([kode]) => [kode, randomToken()]));
    let report: any;
    let page: Page;
    const problems: string[] = [];
    const requests: string[] = [];

    /** Opens a page file, recording console errors, page errors and every request it makes. */
    async function open(file: string): Promise<Page> {
        const p = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        p.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
        p.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
        p.on("requestfailed", (r) => problems.push(`failed: ${r.url()}`));
        p.on("request", (r) => requests.push(r.url()));
        await p.goto(`file://${file}`);
        await p.waitForSelector("body[data-ready=true]");
        return p;
    }
    const visible = (p: Page) => p.locator("tbody tr:not([hidden])");

    before(async function () {
        fs.mkdirSync(dir, { recursive: true });
        const tenants = tenantsFor(tokens);
        s = await startTestStandin({ kommuner: 0, seed: { tenants, abonnementer: brownfieldSubscriptions(tenants) } });
        const names = new Map<string, string>(KOMMUNER.map(([k, n]) => [k, n]));
        names.set("0147", HOSTILE_NAME);
        names.set("0151", HOSTILE_ATTR);
        const inventory = path.join(dir, "inventory.yaml");
        const kommuner = KOMMUNER.map(([kode]) => ({
            kommunekode: kode,
            navn: names.get(kode)!,
            endpoint: s.url,
            credentials: `env:FK_TOKEN_${kode}`,
        }));
        fs.writeFileSync(inventory, stringify({ kommuner }));
        const env = { ...process.env, ...Object.fromEntries([...tokens].map(([k, t]) => [`FK_TOKEN_${k}`, t])) };
        const res = await collect(
            startFleet(
                ["survey", "--inventory", inventory, "--report", path.join(dir, "report.json"), "--html", html],
                env,
            ),
        );
        assert.equal(res.code, 1, res.output);
        report = JSON.parse(fs.readFileSync(path.join(dir, "report.json"), "utf8"));
        browser = await launchChromium();
        page = await open(html);
    });
    after(async function () {
        await browser?.close();
        await s?.close();
        if (process.env.FK_KEEP_WORK !== "1") fs.rmSync(dir, { recursive: true, force: true });
    });

    it("shows the JSON report's counts per state, one row per municipality, and what it read when", async function () {
        for (const state of SURVEY_STATES) {
            const shown = await page.locator(`[data-count="${state}"]`).textContent();
            assert.equal(Number(shown), report.counts[state], state);
        }
        assert.equal(await page.locator("tbody tr").count(), 98);
        const meta = await page.locator(".meta").textContent();
        assert.ok(meta!.includes(report.inventory), meta!);
        // When, in Danish time (summer time included), as a Danish administrator reads it.
        assert.equal(await page.locator(".meta time").getAttribute("datetime"), report.madeAt);
        const local = new Intl.DateTimeFormat("sv-SE", {
            timeZone: "Europe/Copenhagen",
            dateStyle: "short",
            timeStyle: "short",
        }).format(new Date(report.madeAt));
        assert.ok(meta!.includes(`${local} (dansk tid)`), `${meta} shows ${local}`);
        // A state is text too, never colour alone: the Danish label is in the cell.
        assert.match((await page.locator('tbody tr[data-state="missing"] td.state').first().textContent())!, /Mangler/);
        // And what it says of each state is Danish too, made from the survey's values.
        assert.equal(
            await page.locator('tbody tr[data-state="missing"] td.detail').first().textContent(),
            "Der er aldrig oprettet et abonnement. pulumi up opretter det",
        );
        const wrong = await page.locator('tbody tr[data-state="wrong-values"] td.detail').allTextContents();
        assert.ok(
            wrong.some((t) => /^Skemaversion er \d\.\d, skal være 1\.3\. pulumi up med repairExisting/.test(t)),
            wrong.join("\n"),
        );
        await page.screenshot({ path: path.join(dir, "status-page.png"), fullPage: false });
        // The table fits a 1400 px window: no column runs off the screen.
        type Window = { innerWidth: number; document: { documentElement: { scrollWidth: number } } };
        const width = await page.evaluate(() => {
            const w = globalThis as unknown as Window;
            return { page: w.document.documentElement.scrollWidth, window: w.innerWidth };
        });
        assert.ok(width.page <= width.window, `the page is ${width.page} px wide in a ${width.window} px window`);
    });

    it("filters by state, searches by name or kommunekode, and sorts by column", async function () {
        await page.click('button.count[data-state="wrong-values"]');
        const wrong = report.counts["wrong-values"];
        assert.ok(wrong > 0);
        assert.equal(await visible(page).count(), wrong);
        const shownStates = await visible(page).evaluateAll((rows: Attributed[]) =>
            rows.map((r) => r.getAttribute("data-state")),
        );
        assert.deepEqual(new Set(shownStates), new Set(["wrong-values"]));
        await page.click('button.count[data-state="missing"]');
        assert.equal(await visible(page).count(), wrong + report.counts.missing, "two states at once");
        await page.click('button.count[data-state="wrong-values"]');
        await page.click('button.count[data-state="missing"]');
        assert.equal(await visible(page).count(), 98, "no filter: all");

        await page.fill("#search", "0751");
        assert.deepEqual(await visible(page).locator("td:first-child").allTextContents(), ["0751"]);
        await page.fill("#search", "århus");
        assert.equal(await visible(page).count(), 0);
        await page.fill("#search", "aarhus");
        assert.deepEqual(await visible(page).locator("td:first-child").allTextContents(), ["0751"]);
        await page.fill("#search", "");

        const codes = () => page.locator("tbody tr td:first-child").allTextContents();
        await page.click("th:first-child");
        const up = await codes();
        assert.deepEqual(up, [...up].sort());
        await page.click("th:first-child");
        const down = await codes();
        assert.deepEqual(down, [...up].reverse());
        await page.click("th:nth-child(3)"); // by state, in the report's order of states
        const states = await page
            .locator("tbody tr")
            .evaluateAll((rows: Attributed[]) => rows.map((r) => r.getAttribute("data-state")!));
        const order = states.map((st) => SURVEY_STATES.indexOf(st as (typeof SURVEY_STATES)[number]));
        assert.deepEqual(
            order,
            [...order].sort((a, b) => a - b),
        );
    });

    it("fetches nothing, logs no error, and runs none of the hostile names", async function () {
        assert.deepEqual(problems, []);
        assert.deepEqual([...new Set(requests)], [`file://${html}`], "only the page itself");
        assert.equal(await page.evaluate(() => (globalThis as { __pwned?: string }).__pwned), undefined);
        const names = await page.locator("tbody tr td:nth-child(2)").allTextContents();
        assert.ok(names.includes(HOSTILE_NAME) && names.includes(HOSTILE_ATTR), "shown as text");
        assert.equal(await page.locator("tbody img").count(), 0);
    });

    it("an error text holding markup shows as text too, and nothing secret is on the page", async function () {
        const file = path.join(dir, "hostile.html");
        const row = {
            ...report.municipalities[0],
            navn: "Test",
            state: "unreachable",
            detail: `</td><script>window.__pwned="detail"</script>`,
            lastOperation: {
                operation: "up",
                at: "2026-07-01T08:15:00Z",
                result: "failed",
                error: `<img src=x onerror="window.__pwned='error'">`,
            },
        };
        fs.writeFileSync(
            file,
            renderStatusPage({
                title: "<b>t</b>",
                madeAt: report.madeAt,
                source: "x",
                counts: report.counts,
                rows: [row],
            }),
        );
        const p = await open(file);
        assert.equal(await p.evaluate(() => (globalThis as { __pwned?: string }).__pwned), undefined);
        // In Danish, at Danish (summer) time: 08:15 UTC is 10:15 in Copenhagen on 1 July.
        assert.match(
            (await p.locator("td.detail").textContent())!,
            /^pulumi up 2026-07-01 10:15: fejlede – <img src=x onerror=/,
        );
        assert.deepEqual(problems, []);

        const text = fs.readFileSync(html, "utf8");
        for (const token of tokens.values()) assert.ok(!text.includes(token), "no token");
        assert.doesNotMatch(text, /PRIVATE KEY|passphrase|Bearer /i);
    });
});

describe("the status page's template", function () {
    it("escapes every value it places, except the page's own style and script", function () {
        const template = fs.readFileSync(path.join(repoRoot, "cli", "page", "status.mustache"), "utf8");
        const raw = [...template.matchAll(/\{\{\{\s*([^}\s]+)\s*\}\}\}|\{\{&\s*([^}\s]+)\s*\}\}/g)].map(
            (m) => m[1] ?? m[2],
        );
        assert.deepEqual(raw.sort(), [...RAW_VALUES].sort());
        // Hostile text in every field the report gives comes out escaped, never as markup.
        const hostile = `<i x="'\`">&`;
        const html = renderStatusPage({
            title: hostile,
            madeAt: "2026-07-01T08:15:00Z",
            source: hostile,
            counts: countStates([{ state: "missing" }]),
            rows: [{ kommunekode: hostile, navn: hostile, state: "missing", detail: hostile } as any],
        });
        assert.doesNotMatch(html.replace(/<script>[\s\S]*<\/script>/, ""), /<i x=/);
        assert.match(html, /<h1>&lt;i x&#x3D;&quot;&#39;&#x60;&quot;&gt;&amp;<\/h1>/);
    });
});
