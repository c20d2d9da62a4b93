// fleet survey: what every municipality in the inventory has in FK Klassifikation, read-only. No stack
// and no engine: each row is read over HTTP with that row's own credentials only (nothing from the
// shell's FK_KLASSIFIKATION_* settings), and judged by the provider's survey (provider/src/survey.ts),
// the same judgement `npm run status` and `fleet status` make.
import * as fs from "node:fs";
import {
    ConnectionSettingKey,
    countStates,
    environmentSource,
    envName,
    exitCodeOf,
    readConnectionSettings,
    surveyMunicipality,
    SettingSource,
    SurveyResult,
    SurveyState,
    SURVEY_STATES,
} from "@fk-iac/klassifikation";
import { HttpClassificationApi } from "@fk-iac/klassifikation/api";
import type { PageData } from "../page";
import type { InventoryRow } from "./inventory";
import { credentialEnv, settingsForRow } from "./row-connection";
import type { StackResult } from "./types";

/** One municipality's line of the report. */
export interface SurveyRow extends SurveyResult {
    navn: string;
    /** The inventory line it came from. */
    line: number;
}

/** The report of a survey: the same figures the table and any page show. */
export interface SurveyReport {
    operation: "survey";
    madeAt: string;
    inventory: string;
    /** How many municipalities are in each state (every state listed, zeros included). */
    counts: Record<SurveyState, number>;
    /** 0 all done, 10 some wait for delivery, 1 any not done. */
    exitCode: number;
    municipalities: SurveyRow[];
}

/** A row's settings: its own credentials, then the fleet's shared --setting values; errors name which. */
function rowSource(env: Record<string, string>, shared: Partial<Record<ConnectionSettingKey, string>>): SettingSource {
    const own = environmentSource(env);
    const get: SettingSource = (key) => own(key) ?? (shared[key] || undefined);
    get.nameOf = (key) => (own(key) === undefined && shared[key] ? `--setting ${key}` : envName(key));
    return get;
}

/** Surveys one row with its own credentials; a row whose credentials cannot be read is unreachable. */
async function surveyRow(row: InventoryRow, shared: Partial<Record<ConnectionSettingKey, string>>): Promise<SurveyRow> {
    const at = { navn: row.navn, line: row.line };
    let env: Record<string, string>;
    try {
        env = credentialEnv(row);
    } catch (err) {
        const detail = err instanceof Error ? err.message : String(err);
        return { ...at, state: "unreachable", kommunekode: row.kommunekode, mismatches: [], detail };
    }
    try {
        const settings = readConnectionSettings(rowSource(env, settingsForRow(row, shared)), row.endpoint);
        const api = new HttpClassificationApi(settings, { kommunekode: row.kommunekode });
        const result = await surveyMunicipality(api, {
            kommunekode: row.kommunekode,
            itSystemInstans: row.debtorSystem,
        });
        return { ...at, ...result };
    } catch (err) {
        const detail = err instanceof Error ? err.message : String(err);
        return { ...at, state: "unreachable", kommunekode: row.kommunekode, mismatches: [], detail };
    }
}

/**
 * Surveys every row, `concurrency` at a time, in inventory order.
 *
 * @example
 * const report = await surveyFleet(readInventory("kommuner.yaml"), "kommuner.yaml", 16);
 */
export async function surveyFleet(
    rows: InventoryRow[],
    inventory: string,
    concurrency: number,
    shared: Partial<Record<ConnectionSettingKey, string>> = {},
): Promise<SurveyReport> {
    const results = new Array<SurveyRow>(rows.length);
    let next = 0;
    const worker = async () => {
        while (next < rows.length) {
            const i = next++;
            results[i] = await surveyRow(rows[i], shared);
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, rows.length)) }, worker));
    const counts = countStates(results);
    return {
        operation: "survey",
        madeAt: new Date().toISOString(),
        inventory,
        counts,
        exitCode: exitCodeOf(results.map((r) => r.state)),
        municipalities: results,
    };
}

export function writeSurveyReport(file: string, report: SurveyReport): void {
    fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}

/** A fixed-width table, one row per municipality, then the counts per state. */
export function surveyTable(report: SurveyReport): string {
    const rows = report.municipalities.map((m) => [
        m.kommunekode,
        m.navn,
        m.state,
        m.subscription?.skemaversion ?? "",
        m.subscription ? `${m.subscription.validFrom}..${m.subscription.validTo ?? ""}` : "",
        m.detail + (m.next ? ` (next: ${m.next})` : ""),
    ]);
    const head = ["kode", "kommune", "state", "skema", "gyldig", "details"];
    const widths = head.map((h, i) => Math.min(40, Math.max(h.length, ...rows.map((r) => r[i].length))));
    const fmt = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
    const counts = SURVEY_STATES.filter((s) => report.counts[s] > 0).map((s) => `${report.counts[s]} ${s}`);
    return [
        fmt(head),
        fmt(widths.map((w) => "-".repeat(w))),
        ...rows.map(fmt),
        "",
        `survey: ${counts.join(", ")} (${report.municipalities.length} municipalities)`,
    ].join("\n");
}

/** The status page of a survey: the report's own counts and rows. */
export function pageFromSurvey(report: SurveyReport): PageData {
    return {
        title: `Borgerblikket (GB1.0): ${report.municipalities.length} kommuner`,
        madeAt: report.madeAt,
        source: report.inventory,
        counts: report.counts,
        rows: report.municipalities,
    };
}

/** The status page of `fleet status`: each stack's survey, with its last `up` from the journal. */
export function pageFromStatus(results: StackResult[], inventory: string, madeAt: string): PageData {
    const rows = results
        .filter((r) => r.survey)
        .map((r) => ({
            ...r.survey!,
            navn: r.navn,
            ...(r.lastUp
                ? {
                      lastOperation: {
                          operation: "up",
                          at: r.lastUp.at,
                          result: r.lastUp.result,
                          ...(r.lastUp.error ? { error: r.lastUp.error } : {}),
                      },
                  }
                : {}),
        }));
    return {
        title: `Borgerblikket (GB1.0): ${rows.length} kommuner`,
        madeAt,
        source: inventory,
        counts: countStates(rows),
        rows,
    };
}
