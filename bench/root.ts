// The root program as the benchmarks run it: copied as users have it (or in the old ts-node set-up),
// connected to a stand-in over HTTPS as a municipality reaches KOMBIT's services (system certificate,
// a token from the STS), or with a gateway's fixed token.
import * as fs from "node:fs";
import * as path from "node:path";
import { RunningStandin, sha256Hex, startStandin, STANDIN_ENTITY_ID } from "@fk-iac/klassifikation-standin";
import { kommuneCvr } from "@fk-iac/klassifikation/rules";
import { DemoPki, demoPki } from "../cli/demo-pki";
import { PulumiWorkspace, repoRoot } from "../test/helpers/pulumi";

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
