// "Is our task done?" for one stack: reads the stack's subscription from FK Klassifikation, live,
// and judges both result criteria of task GB1.0.
//
//   npm run status -- [stack] [--json]
//
// Exit code: 0 done, 10 created correctly but delivery still pending, 1 not done or an error.
// The demo stack (made by the main job) is checked against the local stand-in, started for the check.
import { parseArgs } from "node:util";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { checkTask, readConnectionSettings, settingSource } from "@fk-iac/klassifikation";
import { HttpClassificationApi } from "@fk-iac/klassifikation/api";
import { engineEnv, localSecret, log, repoRoot } from "./local";
import { printAssessment } from "./report";
import { DemoStandin, startDemoStandin } from "./standin";

export const EXIT_DONE = 0;
export const EXIT_PENDING = 10;
export const EXIT_NOT_DONE = 1;

async function main(argv: string[]): Promise<number> {
    const { values, positionals } = parseArgs({
        args: argv,
        options: { json: { type: "boolean", default: false } },
        allowPositionals: true,
    });
    const stackName = positionals[0] ?? process.env.FK_DEMO_STACK ?? "demo";
    const env = engineEnv();
    const stack = await LocalWorkspace.selectStack({ stackName, workDir: repoRoot }, { envVars: env });
    const outputs = await stack.outputs();
    const config = await stack.getAllConfig();
    const uuid = outputs.abonnementUuid?.value as string | undefined;
    const kode = (outputs.kommuneInfo?.value as { kode?: string } | undefined)?.kode ?? config["kommune:kode"]?.value;
    const navn = config["kommune:navn"]?.value ?? stackName;

    let demo: DemoStandin | undefined;
    let get = settingSource({ get: (k: string) => config[k]?.value });
    if (
        stackName === (process.env.FK_DEMO_STACK || "demo") &&
        !config["fk:endpoint"] &&
        !process.env.FK_KLASSIFIKATION_ENDPOINT
    ) {
        const token = localSecret("demo-token");
        demo = await startDemoStandin({
            port: Number(process.env.FK_DEMO_PORT || 47613),
            kommunekode: kode ?? "0101",
            kommunenavn: navn,
            token,
            deliveryDelaySeconds: Number(process.env.FK_DEMO_DELIVERY_DELAY || 86_400),
        });
        const demoUrl = demo.url;
        get = (k) => (({ endpoint: demoUrl, token }) as Record<string, string>)[k];
    }
    try {
        const endpoint = outputs.endpoint?.value as string | undefined;
        const api = new HttpClassificationApi(readConnectionSettings(get, demo ? undefined : endpoint));
        const assessment = await checkTask(api, uuid, { kommunekode: kode });
        if (values.json) {
            process.stdout.write(
                `${JSON.stringify({ stack: stackName, kommunekode: kode, abonnementUuid: uuid ?? null, ...assessment }, null, 2)}\n`,
            );
        } else {
            printAssessment(`Task GB1.0 for ${navn} (${kode ?? "?"}), stack ${stackName}:`, assessment);
        }
        return assessment.state === "done" ? EXIT_DONE : assessment.state === "pending" ? EXIT_PENDING : EXIT_NOT_DONE;
    } finally {
        await demo?.stop();
    }
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
        log(`error: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(EXIT_NOT_DONE);
    },
);
