// What each fleet operation does on one stack: one CLI call (and one more the first time a stack is
// made), or for status a survey of the classification system with the stack's own credentials.
import {
    environmentSource,
    readConnectionSettings,
    surveyMunicipality,
    SurveyResult,
    SurveyState,
} from "@fk-iac/klassifikation";
import { HttpClassificationApi } from "@fk-iac/klassifikation/api";
import { gb10Program } from "../../program.ts";
import type { InventoryRow } from "./inventory";
import { CliContext, CliError, InlineProgram, prepareStack, runStackCommand, stackOutputs } from "./pulumi";
import { stackConfig } from "./stacks";
import type { FleetOptions, StackResult } from "./types";

/** What an operation came to on one stack. */
export type Outcome = Pick<StackResult, "result" | "message" | "changes"> & {
    task?: SurveyState;
    survey?: SurveyResult;
};

const program: InlineProgram = () => Promise.resolve(gb10Program());

const summarize = (changes: Record<string, number>) =>
    Object.entries(changes)
        .filter(([k, n]) => k !== "same" && n > 0)
        .map(([k, n]) => `${k} ${n}`)
        .join(", ");

/** True when the CLI said the stack does not exist. */
export function isNoStack(err: unknown): boolean {
    return err instanceof CliError && /no stack named '[^']*' found/.test(err.message);
}

/** Outputs of a stack that does not exist yet: none. */
function noStackYet(err: unknown): Record<string, unknown> {
    if (isNoStack(err)) return {};
    throw err;
}

/** Status: the survey's state of the municipality, looked up by the stack's subscription or by sortiment and system. */
async function status(ctx: CliContext, row: InventoryRow): Promise<Outcome> {
    // A stack that holds nothing yet (or none at all) is looked up by sortiment and system.
    const uuid = (await stackOutputs(ctx).catch(noStackYet)).abonnementUuid as string | undefined;
    // This stack's own credentials, from its environment (empty values count as unset).
    const api = new HttpClassificationApi(readConnectionSettings(environmentSource(ctx.env), row.endpoint), {
        kommunekode: row.kommunekode,
    });
    const found = await surveyMunicipality(api, {
        kommunekode: row.kommunekode,
        itSystemInstans: row.debtorSystem,
        ...(uuid ? { stackUuid: uuid } : {}),
    });
    const ok = ["done", "pending", "by-hand"].includes(found.state);
    return {
        result: ok ? "succeeded" : "failed",
        message: `${found.detail}${found.next ? ` (next: ${found.next})` : ""}`,
        changes: {},
        task: found.state,
        survey: found,
    };
}

/** Carries out the operation on the stack; a failure of the CLI is thrown (runner.ts reports it). */
export async function perform(ctx: CliContext, row: InventoryRow, opts: FleetOptions): Promise<Outcome> {
    const policy = ["--policy-pack", opts.policyPack];
    const succeeded = (message: string, changes: Record<string, number>): Outcome => ({
        result: "succeeded",
        message,
        changes,
    });
    switch (opts.operation) {
        case "preview": {
            await prepareStack(ctx, stackConfig(row, opts));
            const { changes } = await runStackCommand(ctx, "preview", policy, program);
            return succeeded(summarize(changes) ? `would ${summarize(changes)}` : "no changes", changes);
        }
        case "up": {
            await prepareStack(ctx, stackConfig(row, opts));
            const { changes, outputs } = await runStackCommand(ctx, "up", policy, program);
            const uuid = outputs.abonnementUuid as string | undefined;
            return succeeded(`${summarize(changes) || "no changes"}; abonnement ${uuid ?? "?"}`, changes);
        }
        case "refresh": {
            const { changes } = await runStackCommand(ctx, "refresh", []);
            return succeeded(summarize(changes) ? `drift found: ${summarize(changes)}` : "in sync", changes);
        }
        case "destroy": {
            const { changes } = await runStackCommand(ctx, "destroy", []);
            return succeeded("destroyed (the subscription was ended as onDestroy says)", changes);
        }
        case "status":
            return status(ctx, row);
    }
}
