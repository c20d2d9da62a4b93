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
// The real flow on both sides: one vendor system certificate over mutual TLS, a service agreement per
// municipality, and a token from the stand-in's STS for each municipality's CVR, as a vendor runs the
// fleet. Measured: the survey as the fleet runs it (surveyFleet, 16 at a time, tokens asked for and
// checked, zod-validated responses, retries armed; a fresh token cache each round, as each command
// run has), the whole command (`npm run fleet -- survey`, its process start included), and the
// floor: plain parallel HTTPS (node:https, keep-alive) of the same token call and reads, 16 at a time,
// JSON parsed, nothing judged.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as https from "node:https";
import * as os from "node:os";
import * as path from "node:path";
import { KOMMUNER } from "@fk-iac/klassifikation/rules";
import { brownfieldSubscriptions, STANDIN_ENTITY_ID } from "@fk-iac/klassifikation-standin";
import { forgetTokens } from "../provider/src/sts";
import { DemoPki, demoPki } from "../cli/demo-pki";
import { readInventory } from "../cli/fleet/inventory";
import { pageFromSurvey, surveyFleet } from "../cli/fleet/survey";
import { writeStatusPage } from "../cli/page";
import { launchChromium } from "../test/helpers/browser";
import { startFleet } from "../test/helpers/fleet";
import { collect, repoRoot } from "../test/helpers/pulumi";
import { machine, writeSection } from "./common";

const CONCURRENCY = 16;
const ROUNDS = Number(process.env.BENCH_SURVEY_ROUNDS ?? 3);

/** One HTTPS exchange with the vendor's certificate, its JSON body parsed. */
function request(agent: https.Agent, url: string, token: string | undefined, form?: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
        const req = https.request(
            url,
            {
                agent,
                method: form ? "POST" : "GET",
                headers: {
                    ...(token ? { Authorization: `Bearer ${token}` } : {}),
                    ...(form ? { "Content-Type": "application/x-www-form-urlencoded" } : {}),
                },
            },
            (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (c: Buffer) => chunks.push(c));
                res.on("end", () => resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown));
            },
        );
        req.on("error", reject);
        req.end(form);
    });
}

/** The floor: a token per municipality from the STS, then the reads a survey makes (the sortiment, active, then past ones). */
async function plainReads(url: string, pki: DemoPki): Promise<void> {
    // One agent for all rounds, as the survey's process keeps its connections alive across rounds.
    const pool = (agent ??= new https.Agent({
        keepAlive: true,
        ca: fs.readFileSync(pki.caFile),
        cert: fs.readFileSync(pki.systemCertFile),
        key: fs.readFileSync(pki.systemKeyFile),
    }));
    const cvrs = KOMMUNER.map(([, , cvr]) => cvr);
    let next = 0;
    const worker = async () => {
        while (next < cvrs.length) {
            const cvr = cvrs[next++];
            const form = new URLSearchParams({
                grant_type: "client_credentials",
                client_id: STANDIN_ENTITY_ID,
                scope: `entityid:${STANDIN_ENTITY_ID},anvenderkontekst:${cvr}`,
            }).toString();
            const token = (
                (await request(pool, `${url}/runtime/api/rest/oauth/v1/issue`, undefined, form)) as {
                    access_token: string;
                }
            ).access_token;
            const get = async (p: string) =>
                (await request(pool, `${url}/api/v1${p}`, token)) as { items?: Array<{ uuid: string }> };
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
let agent: https.Agent | undefined;

/** The stand-in over HTTPS, its STS with a service agreement for every municipality's CVR. */
async function startStandin(dir: string, pki: DemoPki): Promise<{ url: string; stop(): void }> {
    const tenants = KOMMUNER.map(([kode, navn, cvr]) => ({ kommunekode: kode, navn, cvr }));
    const seed = path.join(dir, "seed.json");
    const serviceAgreements = [{ certificateFingerprint: pki.systemFingerprint, cvr: tenants.map((t) => t.cvr) }];
    fs.writeFileSync(
        seed,
        JSON.stringify({ tenants, abonnementer: brownfieldSubscriptions(tenants), serviceAgreements }),
        { mode: 0o600 },
    );
    const tls = ["--tls-cert", pki.serverCertFile, "--tls-key", pki.serverKeyFile, "--client-ca", pki.caFile];
    const child = spawn(
        process.execPath,
        [path.join(repoRoot, "standin", "dist", "cli.js"), "--port", "0", "--db", ":memory:", "--seed", seed, ...tls],
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

/** The section of bench/RESULTS.md. */
function render(
    f: number,
    s: number,
    c: number,
    page: { interactiveMs: number; filterMs: number; bytes: number },
): string {
    return [
        `## fleet survey over all 98 municipalities, against plain HTTPS of the same token calls and reads`,
        "",
        `Command: \`bash scripts/run.sh exec npm run --silent bench:survey\`. ${machine()}; ${ROUNDS} interleaved rounds, medians; ${CONCURRENCY} municipalities at a time; stand-in over HTTPS with the brownfield seed; one vendor system certificate (mutual TLS) and a token from the stand-in's STS per municipality on both sides (a fresh token each round; connections kept alive across rounds on both sides, the command's own run starts cold).`,
        "",
        "| what | seconds | against the floor |",
        "| --- | --- | --- |",
        `| floor: node:https (keep-alive) of the same STS token calls and reads, JSON parsed | ${f.toFixed(2)} | 1.00x |`,
        `| surveyFleet (the survey the command runs) | ${s.toFixed(2)} | ${(s / f).toFixed(2)}x |`,
        `| \`npm run fleet -- survey\`, process start included | ${c.toFixed(2)} | ${(c / f).toFixed(2)}x |`,
        "",
        `Targets: all 98 in at most 10 s (the command: ${c <= 10 ? "met" : "not met"}), the survey at most 2x the floor (${s / f <= 2 ? "met" : "not met"}).`,
        "",
        `Its status page (98 rows, ${(page.bytes / 1024).toFixed(0)} KiB) in headless Chromium, medians of ${ROUNDS}: interactive ${page.interactiveMs.toFixed(0)} ms after navigation, a state filter applied ${page.filterMs.toFixed(0)} ms after its click (target: interactive under 1 s, ${page.interactiveMs < 1000 ? "met" : "not met"}).`,
    ].join("\n");
}

async function main() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fk-bench-survey-"));
    const pki = demoPki(path.join(dir, "pki"));
    const standin = await startStandin(dir, pki);
    try {
        const inventory = path.join(dir, "inventory.yaml");
        // No credentials on the rows: the vendor's certificate, once for all (--setting).
        const rows = KOMMUNER.map(
            ([kode, navn]) => `  - { kommunekode: "${kode}", navn: "${navn}", endpoint: "${standin.url}" }`,
        );
        fs.writeFileSync(inventory, `kommuner:\n${rows.join("\n")}\n`);
        const settings = {
            clientCertificateFile: pki.systemCertFile,
            clientKeyFile: pki.systemKeyFile,
            caBundleFile: pki.caFile,
            stsEndpoint: standin.url,
            entityId: STANDIN_ENTITY_ID,
        };
        const settingArgs = Object.entries(settings).flatMap(([k, v]) => ["--setting", `${k}=${v}`]);
        const parsed = readInventory(inventory);
        const floor: number[] = [];
        const survey: number[] = [];
        const command: number[] = [];
        const surveyOnce = () => {
            forgetTokens(); // as a new command run: one token per municipality
            return surveyFleet(parsed, inventory, CONCURRENCY, settings);
        };
        await plainReads(standin.url, pki); // warm both sides once
        await surveyOnce();
        for (let round = 0; round < ROUNDS; round++) {
            floor.push(await seconds(() => plainReads(standin.url, pki)));
            survey.push(await seconds(surveyOnce));
            command.push(
                await seconds(async () => {
                    const res = await collect(
                        startFleet(["survey", "--inventory", inventory, ...settingArgs], process.env),
                    );
                    if (res.code !== 1) throw new Error(`fleet survey exited ${res.code}:\n${res.output}`);
                }),
            );
        }
        const page = await pageTimings(dir, await surveyOnce());
        const text = render(median(floor), median(survey), median(command), page);
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
