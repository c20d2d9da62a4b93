// The root program as the benchmarks run it: copied as users have it (or in the old ts-node set-up),
// connected to a stand-in over HTTPS as a municipality reaches KOMBIT's services (system certificate,
// a token from the STS), or with a gateway's fixed token.
import * as fs from "node:fs";
import * as path from "node:path";
import { RunningStandin, sha256Hex, startStandin, STANDIN_ENTITY_ID } from "@fk-iac/klassifikation-standin";
import { kommuneCvr } from "@fk-iac/klassifikation/rules";
import { DemoPki, demoPki } from "../cli/demo-pki";
import { PulumiWorkspace, repoRoot } from "../test/helpers/pulumi";
import { benchDir, writeSection } from "./common";

/** The gateway's fixed token (it begins with "-", as a random one may). */
const TOKEN = "-bench-token-up";

/** The root program as users have it, optionally in the old set-up (ts-node, type-checked). */
export function rootProgram(dir: string, tsNode: boolean): string {
    fs.mkdirSync(dir, { recursive: true });
    // Under ts-node the program starts at index.ts itself: no index.js beside it, or Pulumi would run that.
    const files = tsNode ? ["index.ts", "program.ts"] : ["index.js", "index.ts", "program.ts"];
    for (const f of files) fs.copyFileSync(path.join(repoRoot, f), path.join(dir, f));
    // ts-node, with the SDK's compiler options, takes the import without its extension.
    if (tsNode)
        fs.writeFileSync(
            path.join(dir, "index.ts"),
            fs.readFileSync(path.join(dir, "index.ts"), "utf8").replace('"./program.ts"', '"./program"'),
        );
    let yaml = fs.readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8");
    if (tsNode) yaml = yaml.replace("typescript: false", "typescript: true").replace(/^main: index\.js\n/m, "");
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), yaml);
    return dir;
}

/** A stand-in over HTTPS with its STS, København as its tenant, and a system certificate it trusts. */
export interface BenchService {
    standin: RunningStandin;
    pki: DemoPki;
}

export async function startBenchService(work: string): Promise<BenchService> {
    const pki = demoPki(path.join(work, "pki"));
    const cvr = kommuneCvr("0101")!;
    const standin = await startStandin({
        tls: {
            cert: fs.readFileSync(pki.serverCertFile),
            key: fs.readFileSync(pki.serverKeyFile),
            clientCa: fs.readFileSync(pki.caFile),
        },
        seed: {
            tenants: [{ kommunekode: "0101", navn: "København", cvr, tokenSha256: [sha256Hex(TOKEN)] }],
            serviceAgreements: [{ certificateFingerprint: pki.systemFingerprint, cvr: [cvr] }],
        },
    });
    return { standin, pki };
}

/** A stack of the root program for København, reaching the service by the STS or a gateway's token. */
export async function rootWorkspace(
    service: BenchService,
    dir: string,
    opts: { tsNode?: boolean; access: "sts" | "token" },
): Promise<PulumiWorkspace> {
    const { standin, pki } = service;
    const ws = await PulumiWorkspace.create({
        programDir: rootProgram(dir, opts.tsNode ?? false),
        kommunekode: "0101",
    });
    await ws.setConfig("kommune:navn", "København");
    await ws.setConfig("fk:endpoint", standin.url);
    await ws.setConfig("fk:caBundleFile", pki.caFile);
    if (opts.access === "token") {
        await ws.setConfig("fk:token", TOKEN, true);
        return ws;
    }
    await ws.setConfig("fk:clientCertificateFile", pki.systemCertFile);
    await ws.setConfig("fk:clientKeyFile", pki.systemKeyFile);
    await ws.setConfig("fk:stsEndpoint", standin.url);
    await ws.setConfig("fk:entityId", STANDIN_ENTITY_ID);
    return ws;
}

/** What a benchmark of the root program works with; every stack it makes is disposed at the end. */
export interface BenchContext {
    /** Its own folder under .work/, removed at the end. */
    work: string;
    service: BenchService;
    /** A stack of a program under bench/fixtures. */
    fixture(name: string): Promise<PulumiWorkspace>;
    /** A stack of the root program (in a folder of that name under `work`). */
    root(name: string, opts: { tsNode?: boolean; access: "sts" | "token" }): Promise<PulumiWorkspace>;
}

/**
 * Runs a benchmark of the root program: a work folder and the service, then `body`, whose markdown
 * becomes the section `section` of bench/RESULTS.md and is printed; then cleans up. Exits 1 on failure.
 *
 * @example benchMain("up", async (ctx) => render(await runRounds(ctx)));
 */
export function benchMain(section: string, body: (ctx: BenchContext) => Promise<string>): void {
    const run = async () => {
        const work = fs.mkdtempSync(path.join(repoRoot, ".work", `bench-${section}-`));
        const service = await startBenchService(work);
        const workspaces: PulumiWorkspace[] = [];
        const keep = (ws: PulumiWorkspace) => (workspaces.push(ws), ws);
        try {
            const md = await body({
                work,
                service,
                fixture: async (name) =>
                    keep(await PulumiWorkspace.create({ programDir: path.join(benchDir, "fixtures", name) })),
                root: async (name, opts) => keep(await rootWorkspace(service, path.join(work, name), opts)),
            });
            writeSection(section, md);
            process.stdout.write(`${md}\n`);
        } finally {
            for (const ws of workspaces) ws.dispose();
            fs.rmSync(work, { recursive: true, force: true });
            await service.standin.close();
        }
    };
    run().catch((err) => {
        process.stderr.write(`${err instanceof Error ? err.stack : err}\n`);
        process.exit(1);
    });
}
