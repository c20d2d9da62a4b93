// "Is our task done?" for one stack: reads the stack's subscription from FK Klassifikation, live,
// and judges both result criteria of task GB1.0.
//
//   npm run status -- [stack] [--json] [--html FILE]   (--html: the fleet's status page, for this stack)
//
// It looks the municipality's subscription up by sortiment and it-systeminstans when the stack holds
// none, and says which state holds (provider/src/survey.ts): done under code; done by hand, not yet
// under code; wrong values; ended; missing; credentials of another municipality; unreachable.
// Exit code: 0 done (by code, or by hand and delivered), 10 delivery still pending, 1 not done or an error.
// The demo stack (made by the main job) is checked against the local stand-in, started for the check.
import { parseArgs } from "node:util";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import {
    countStates,
    exitCodeOf,
    readConnectionSettings,
    settingSource,
    surveyMunicipality,
} from "@fk-iac/klassifikation";
import { HttpClassificationApi } from "@fk-iac/klassifikation/api";
import { DEMO_KOMMUNE, demoSettings } from "./demo";
import { engineEnv, log, repoRoot } from "./local";
import { PageRow, writeStatusPage } from "./page";
import { printAssessment } from "./assessment";
import { DemoStandin, startDemoStandin } from "./standin";

async function main(argv: string[]): Promise<number> {
    const { values, positionals } = parseArgs({
        args: argv,
        options: { json: { type: "boolean", default: false }, html: { type: "string" } },
        allowPositionals: true,
    });
    const demoSetting = demoSettings();
    const stackName = positionals[0] ?? demoSetting.stackName;
    const env = engineEnv();
    const stack = await LocalWorkspace.selectStack({ stackName, workDir: repoRoot }, { envVars: env });
    const outputs = await stack.outputs();
    const config = await stack.getAllConfig();
    const uuid = outputs.abonnementUuid?.value as string | undefined;
    const kode = (outputs.kommuneInfo?.value as { kode?: string } | undefined)?.kode ?? config["kommune:kode"]?.value;
    const navn = config["kommune:navn"]?.value ?? stackName;

    let demo: DemoStandin | undefined;
    let get = settingSource({ get: (k: string) => config[k]?.value });
    if (stackName === demoSetting.stackName && !config["fk:endpoint"] && !process.env.FK_KLASSIFIKATION_ENDPOINT) {
        demo = await startDemoStandin({
            port: demoSetting.port,
            kommunekode: kode ?? DEMO_KOMMUNE.kode,
            kommunenavn: navn,
            deliveryDelaySeconds: demoSetting.deliveryDelaySeconds,
        });
        const demoSettings = demo.settings;
        get = (k) => demoSettings[k];
    }
    try {
        const endpoint = outputs.endpoint?.value as string | undefined;
        const settings = readConnectionSettings(get, demo ? undefined : endpoint);
        const kommunekode = kode ?? (demo ? DEMO_KOMMUNE.kode : undefined);
        const api = new HttpClassificationApi(settings, kommunekode ? { kommunekode } : {});
        const debtorSystem = config["gb10-borgerblikket:debtorSystem"]?.value;
        const result = await surveyMunicipality(api, {
            kommunekode: kode ?? "",
            ...(debtorSystem ? { itSystemInstans: debtorSystem } : {}),
            ...(uuid ? { stackUuid: uuid } : {}),
        });
        // The survey's state and the criteria printed under it are one decision (provider/src/survey.ts).
        const assessment = result.assessment;
        if (values.html) writePage(values.html, { ...result, navn }, stackName);
        if (values.json) {
            const report = {
                stack: stackName,
                abonnementUuid: uuid ?? null,
                ...result,
                criteria: assessment?.criteria ?? [],
            };
            process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        } else {
            process.stdout.write(`\nTask GB1.0 for ${navn} (${kode ?? "?"}), stack ${stackName}: ${result.state}\n`);
            process.stdout.write(`  ${result.detail}${result.next ? `\n  next: ${result.next}` : ""}\n`);
            if (result.subscription && assessment) printAssessment("As FK Klassifikation has it:", assessment);
        }
        return exitCodeOf([result.state]);
    } finally {
        await demo?.stop();
    }
}

/** The fleet's status page, for this one stack. */
function writePage(file: string, row: PageRow, stackName: string): void {
    writeStatusPage(file, {
        title: `Borgerblikket (GB1.0): ${row.navn}`,
        madeAt: new Date().toISOString(),
        source: `stack ${stackName}`,
        counts: countStates([row]),
        rows: [row],
    });
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
        log(`error: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
    },
);
