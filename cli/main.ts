// The main job: task GB1.0 for a demo municipality, end to end on this machine.
//
//  1. starts the local stand-in for FK Klassifikation (loopback over HTTPS, data in .pulumi-local/),
//     with its STS: the demo reaches it as a municipality reaches KOMBIT's services, with a system
//     certificate (mutual TLS) and a token from the STS for the municipality's CVR,
//  2. runs `pulumi up` of the root program with the policy pack, on the local file backend,
//  3. reads the subscription back from the classification API and judges both result criteria.
//
// Running it again changes nothing and says so. Environment: FK_DEMO_PORT, FK_DEMO_DELIVERY_DELAY and
// FK_DEMO_STACK (cli/demo.ts).
import * as path from "node:path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { checkTask, envName, readConnectionSettings } from "@fk-iac/klassifikation";
import { HttpClassificationApi } from "@fk-iac/klassifikation/api";
import { DEMO_KOMMUNE, demoSettings } from "./demo";
import { engineEnv, log, repoRoot } from "./local";
import { policyPackArgument } from "./policy-pack";
import { printAssessment } from "./assessment";
import { startDemoStandin } from "./standin";

async function main(): Promise<number> {
    const { port, deliveryDelaySeconds: delay, stackName } = demoSettings();
    const standin = await startDemoStandin({
        port,
        kommunekode: DEMO_KOMMUNE.kode,
        kommunenavn: DEMO_KOMMUNE.navn,
        deliveryDelaySeconds: delay,
    });
    try {
        log(`stand-in for FK Klassifikation and its STS at ${standin.url} (data in .pulumi-local/standin.db)`);
        log(
            `system certificate ${standin.settings.clientCertificateFile}; tokens from the STS for ` +
                `${DEMO_KOMMUNE.navn}'s CVR, service ${standin.settings.entityId}`,
        );
        const env: Record<string, string> = {
            ...engineEnv(),
            // The demo's connection comes from the environment (file paths and URLs, no secret).
            ...Object.fromEntries(Object.entries(standin.settings).map(([key, value]) => [envName(key), value])),
        };
        const stack = await LocalWorkspace.createOrSelectStack({ stackName, workDir: repoRoot }, { envVars: env });
        await stack.setAllConfig({
            "kommune:kode": { value: DEMO_KOMMUNE.kode },
            "kommune:navn": { value: DEMO_KOMMUNE.navn },
        });
        log(
            `stack ${stackName} (${DEMO_KOMMUNE.navn}, kommunekode ${DEMO_KOMMUNE.kode}) on ${env.PULUMI_BACKEND_URL ?? process.env.PULUMI_BACKEND_URL}`,
        );
        const policyPack = policyPackArgument();
        log(`pulumi up --policy-pack ${path.relative(repoRoot, policyPack)}`);
        const result = await stack.up({
            policyPacks: [policyPack],
            onOutput: (s) => process.stdout.write(s),
            color: "never",
        });
        const changes = result.summary.resourceChanges ?? {};
        const changed = Object.entries(changes).filter(([op, n]) => op !== "same" && (n ?? 0) > 0);
        log(
            changed.length === 0
                ? "no changes: the subscription was already in place, nothing was sent to create or change it"
                : `applied: ${changed.map(([op, n]) => `${n} ${op}`).join(", ")}`,
        );

        const uuid = result.outputs.abonnementUuid?.value as string | undefined;
        const api = new HttpClassificationApi(
            readConnectionSettings((k) => standin.settings[k]),
            { kommunekode: DEMO_KOMMUNE.kode },
        );
        const assessment = await checkTask(api, uuid, { kommunekode: DEMO_KOMMUNE.kode });
        printAssessment(
            `Task GB1.0 for ${DEMO_KOMMUNE.navn} (${DEMO_KOMMUNE.kode}) as FK Klassifikation sees it:`,
            assessment,
        );
        return assessment.state === "wrong" ? 1 : 0;
    } finally {
        await standin.stop();
    }
}

main().then(
    (code) => process.exit(code),
    (err) => {
        log(`error: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
    },
);
