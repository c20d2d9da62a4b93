// fleet survey over all 98 municipalities against plain parallel HTTP reads of the same data, in one
// run, side by side. The stand-in runs as a child process holding the brownfield seed (most done by
// hand, some wrong, ended or missing), so the survey and the floor are served alike.
//
//   npm run bench:survey            (BENCH_SURVEY_ROUNDS=3 by default, interleaved)
//
// Also the status page of that survey in headless Chromium (Debian's): the time from navigation until
// its script has made it interactive, and until a click on a state filter has taken effect; and the
// README's screenshot of it (docs/status-page.png).
//
// Measured: the survey as the fleet runs it (surveyFleet, 16 at a time, zod-validated responses,
// retries armed), the whole command (`npm run fleet -- survey`, its process start included), and the
// floor: fetch() of the same reads, 16 at a time, JSON parsed, nothing judged.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { KOMMUNER } from "@fk-iac/klassifikation/rules";
import { brownfieldSubscriptions, sha256Hex } from "@fk-iac/klassifikation-standin";
import { readInventory } from "../cli/fleet/inventory";
import { pageFromSurvey, surveyFleet } from "../cli/fleet/survey";
import { writeStatusPage } from "../cli/page";
import { launchChromium } from "../test/helpers/browser";
import { startFleet } from "../test/helpers/fleet";
import { collect, repoRoot } from "../test/helpers/pulumi";
import { randomToken } from "../test/helpers/standin";
import { machine, writeSection } from "./common";

const CONCURRENCY = 16;
const ROUNDS = Number(process.env.BENCH_SURVEY_ROUNDS ?? 3);

/** The floor: the reads a survey makes (whom, the sortiment, active, then past ones), over fetch. */
async function plainReads(url: string, tokens: Map<string, string>): Promise<void> {
    const codes = [...tokens.keys()];
    let next = 0;
    const worker = async () => {
        while (next < codes.length) {
            const token = tokens.get(codes[next++])!;
            const get = async (p: string) =>
                (await (
                    await fetch(`${url}/api/v1${p}`, { headers: { Authorization: `Bearer ${token}` } })
                ).json()) as {
                    items?: Array<{ uuid: string }>;
                };
            await get("/myndighed");
            const sortiment = (await get("/sortimenter?brugervendtnoegle=Borgerblikket")).items![0].uuid;
            const key = `sortiment=${sortiment}&itSystemInstans=362ebac2-761b-4a44-abc6-679f2d5615ce`;
            const active = await get(`/abonnementer?${key}&aktiv=true`);
            if (active.items!.length === 0) {
                await get(`/abonnementer?${key}`);
                await get(`/abonnementer?${key}&livscyklus=Passiv`);
            }
        }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

async function startStandin(dir: string, tokens: Map<string, string>): Promise<{ url: string; stop(): void }> {
    const tenants = KOMMUNER.map(([kode, navn]) => ({
        kommunekode: kode,
        navn,
        tokenSha256: [sha256Hex(tokens.get(kode)!)],
    }));
    const seed = path.join(dir, "seed.json");
    fs.writeFileSync(seed, JSON.stringify({ tenants, abonnementer: brownfieldSubscriptions(tenants) }), {
        mode: 0o600,
    });
    const child = spawn(
        process.execPath,
        [path.join(repoRoot, "standin", "dist", "cli.js"), "--port", "0", "--db", ":memory:", "--seed", seed],
        {
            stdio: ["ignore", "pipe", "inherit"],
        },
    );
    const url = await new Promise<string>((resolve) =>
        child.stdout.once("data", (d) => resolve((JSON.parse(String(d)) as { url: string }).url)),
    );
    return { url, stop: () => child.kill("SIGTERM") };
}

const seconds = async (fn: () => Promise<unknown>) => {
    const t = process.hrtime.bigint();
    await fn();
    return Number(process.hrtime.bigint() - t) / 1e9;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The little of the DOM the timing reads, typed here (the project's types have no DOM). */
type Dom = { document: { querySelectorAll(selector: string): { length: number } } };

/** Opens the survey's page from disk, ROUNDS times; saves the README's screenshot from the first. */
async function pageTimings(dir: string, report: Awaited<ReturnType<typeof surveyFleet>>) {
    const file = path.join(dir, "status.html");
    writeStatusPage(file, {
        ...pageFromSurvey(report),
        source: "inventory.yaml (98 municipalities, the stand-in's brownfield seed)",
    });
    const browser = await launchChromium();
    const interactive: number[] = [];
    const filter: number[] = [];
    try {
        for (let round = 0; round < ROUNDS; round++) {
            const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
            const started = Date.now();
            await page.goto(`file://${file}`);
            await page.waitForSelector("body[data-ready=true]");
            interactive.push(Date.now() - started);
            const clicked = Date.now();
            await page.click('button.count[data-state="wrong-values"]');
            // Runs in the page: no variable of this file is in scope there.
            await page.waitForFunction(
                () => (globalThis as unknown as Dom).document.querySelectorAll("tbody tr:not([hidden])").length < 98,
            );
            filter.push(Date.now() - clicked);
            if (round === 0) {
                await page.click('button.count[data-state="wrong-values"]');
                await page.screenshot({ path: path.join(repoRoot, "docs", "status-page.png") });
            }
            await page.close();
        }
    } finally {
        await browser.close();
    }
    return { interactiveMs: median(interactive), filterMs: median(filter), bytes: fs.statSync(file).size };
}

async function main() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fk-bench-survey-"));
    const tokens = new Map(KOMMUNER.map(([kode]) => [kode, randomToken()]));
    const standin = await startStandin(dir, tokens);
    try {
        const inventory = path.join(dir, "inventory.yaml");
        const rows = KOMMUNER.map(
            ([kode, navn]) =>
                `  - { kommunekode: "${kode}", navn: "${navn}", endpoint: "${standin.url}", credentials: "env:FK_TOKEN_${kode}" }`,
        );
        fs.writeFileSync(inventory, `kommuner:\n${rows.join("\n")}\n`);
        for (const [kode, token] of tokens) process.env[`FK_TOKEN_${kode}`] = token;
        const parsed = readInventory(inventory);
        const floor: number[] = [];
        const survey: number[] = [];
        const command: number[] = [];
        await plainReads(standin.url, tokens); // warm both sides once
        for (let round = 0; round < ROUNDS; round++) {
            floor.push(await seconds(() => plainReads(standin.url, tokens)));
            survey.push(await seconds(() => surveyFleet(parsed, inventory, CONCURRENCY)));
            command.push(
                await seconds(async () => {
                    const res = await collect(startFleet(["survey", "--inventory", inventory], process.env));
                    if (res.code !== 1) throw new Error(`fleet survey exited ${res.code}:\n${res.output}`);
                }),
            );
        }
        const [f, s, c] = [median(floor), median(survey), median(command)];
        const page = await pageTimings(dir, await surveyFleet(parsed, inventory, CONCURRENCY));
        const text = [
            `## fleet survey over all 98 municipalities, against plain HTTP reads`,
            "",
            `${machine()}; ${ROUNDS} interleaved rounds, medians; ${CONCURRENCY} municipalities at a time; stand-in with the brownfield seed.`,
            "",
            "| what | seconds | against the floor |",
            "| --- | --- | --- |",
            `| floor: fetch() of the same reads, JSON parsed | ${f.toFixed(2)} | 1.00x |`,
            `| surveyFleet (the survey the command runs) | ${s.toFixed(2)} | ${(s / f).toFixed(2)}x |`,
            `| \`npm run fleet -- survey\`, process start included | ${c.toFixed(2)} | ${(c / f).toFixed(2)}x |`,
            "",
            `Targets: all 98 in at most 10 s (the command: ${c <= 10 ? "met" : "not met"}), the survey at most 2x the floor (${s / f <= 2 ? "met" : "not met"}).`,
            "",
            `Its status page (98 rows, ${(page.bytes / 1024).toFixed(0)} KiB) in headless Chromium, medians of ${ROUNDS}: interactive ${page.interactiveMs.toFixed(0)} ms after navigation, a state filter applied ${page.filterMs.toFixed(0)} ms after its click (target: interactive under 1 s, ${page.interactiveMs < 1000 ? "met" : "not met"}).`,
        ].join("\n");
        process.stdout.write(`${text}\n`);
        writeSection("survey", text);
    } finally {
        standin.stop();
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
});
