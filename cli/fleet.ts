// fleet: task GB1.0 for many municipalities at once, one stack per municipality, over the real CLI.
//
//   npm run fleet -- <preview|up|refresh|destroy|status> --inventory FILE [--concurrency N (default: the cores)]
//                    [--report report.json] [--only 0101,0751] [--force] [--repair] [--take-over] [--clear-dead-locks] [--verbose] [--state-dir DIR]
//   npm run fleet -- survey --inventory FILE [--report report.json] [--html page.html] [--only ...]   read-only, no stacks
//   (status takes --html too: one self-contained page of every municipality's state, see cli/page.ts)
//
// The inventory (YAML or CSV: kommunekode, navn, endpoint, credentials, debtorSystem) is validated
// before any stack is touched. Every stack gets the policy pack. A failing municipality never stops
// the others; the exit code is 1 when any failed (for status: 10 when some are only pending).
// `up` re-runs only stacks whose row or program changed, or whose last up failed (--force: all). It adopts
// what municipalities made by hand with the task's values, and refuses one with other values unless
// --repair (or the row's column repair) asks to end it and create the task's one. --take-over moves a
// subscription another stack manages to the fleet's stack of its municipality (one write of its note).
// --clear-dead-locks removes a stack's lock left by a fleet run that was killed (never a live run's).
// Exit codes of survey and status: 0 all done, 10 some wait for delivery, 1 any not done.
// The inventory is the whole truth about each municipality's connection: no FK_KLASSIFIKATION_* setting
// of the shell reaches a stack. What may be shared by all (a CA bundle, the deadline) is given with
// --setting KEY=VALUE.
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { engineEnv, localDir, log, repoRoot } from "./local";
import { policyPackArgument } from "./policy-pack";
import { InventoryError, InventoryRow, readInventory } from "./fleet/inventory";
import { liveProgress, plainProgress } from "./fleet/progress";
import { makeReport, table, writeReport } from "./fleet/report";
import { FleetOperation, OPERATIONS, runFleet } from "./fleet/runner";
import { pageFromStatus, pageFromSurvey, surveyFleet, surveyTable, writeSurveyReport } from "./fleet/survey";
import { writeStatusPage } from "./page";
import {
    ConnectionSettingKey,
    exitCodeOf,
    FLEET_CERTIFICATE_SETTINGS,
    FLEET_PASSPHRASE_ENV,
    SHARED_CONNECTION_SETTINGS,
    SurveyState,
} from "@fk-iac/klassifikation";
import { typeErrorsInChild } from "./fleet/typecheck";

const USAGE =
    "usage: npm run fleet -- <preview|up|refresh|destroy|status|survey> --inventory FILE [--concurrency N] [--report FILE] [--only KODER] [--force] [--repair] [--take-over] [--clear-dead-locks] [--html FILE] [--setting KEY=VALUE ...] [--verbose] [--state-dir DIR]";

interface Command {
    operation: FleetOperation | "survey";
    /** --setting KEY=VALUE: connection settings shared by every row. */
    settings: Partial<Record<ConnectionSettingKey, string>>;
    rows: InventoryRow[];
    concurrency: number;
    stateDir: string;
    values: {
        inventory: string;
        report?: string;
        force?: boolean;
        repair?: boolean;
        "take-over"?: boolean;
        "clear-dead-locks"?: boolean;
        html?: string;
        setting?: string[];
        verbose?: boolean;
        "policy-pack"?: string;
    };
}

/** What --setting may name: what may be the same for every municipality, and the fleet's certificate files. */
const FLEET_SETTINGS: readonly ConnectionSettingKey[] = [...SHARED_CONNECTION_SETTINGS, ...FLEET_CERTIFICATE_SETTINGS];

/**
 * --setting KEY=VALUE, for what may be the same for every municipality (whom to trust, the STS, how
 * long to wait) and a vendor's system certificate as files; a token, an inline key or an endpoint is
 * refused: those come from each row alone. The certificate's passphrase comes from the environment
 * (FK_FLEET_CLIENT_KEY_PASSPHRASE, FK_FLEET_PFX_PASSPHRASE), never from the command line.
 */
function sharedSettings(given: string[]): Partial<Record<ConnectionSettingKey, string>> {
    const out: Partial<Record<ConnectionSettingKey, string>> = {};
    for (const item of given) {
        const at = item.indexOf("=");
        const key = item.slice(0, Math.max(at, 0)) as ConnectionSettingKey;
        if (at < 1 || !FLEET_SETTINGS.includes(key)) {
            throw new Error(
                `--setting "${item.slice(0, 60)}": expected KEY=VALUE with KEY one of ${FLEET_SETTINGS.join(", ")} ` +
                    "(tokens, inline keys and endpoints come from each inventory row only)",
            );
        }
        out[key] = item.slice(at + 1);
    }
    for (const [key, name] of Object.entries(FLEET_PASSPHRASE_ENV)) {
        const value = process.env[name];
        if (value) out[key as ConnectionSettingKey] = value;
    }
    return out;
}

/** The command line, checked: an error names the flag and what is allowed. */
function parseCommand(argv: string[]): Command {
    const { values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
            inventory: { type: "string", short: "i" },
            // On a machine with N cores, N stacks at once is as fast as more, with less memory (bench/RESULTS.md).
            // survey only reads over HTTP, so it asks 16 municipalities at a time.
            concurrency: { type: "string", short: "c" },
            report: { type: "string" },
            only: { type: "string" },
            force: { type: "boolean", default: false },
            repair: { type: "boolean", default: false },
            "take-over": { type: "boolean", default: false },
            "clear-dead-locks": { type: "boolean", default: false },
            html: { type: "string" },
            setting: { type: "string", multiple: true },
            verbose: { type: "boolean", default: false },
            "state-dir": { type: "string" },
            "policy-pack": { type: "string" },
        },
    });
    const operation = positionals[0] as FleetOperation | "survey";
    if (!(operation === "survey" || OPERATIONS.includes(operation)) || positionals.length !== 1)
        throw new Error(`unknown command "${positionals.join(" ")}"\n${USAGE}`);
    if (!values.inventory) throw new Error(`--inventory is required\n${USAGE}`);
    if (values.html && positionals[0] !== "survey" && positionals[0] !== "status")
        throw new Error(`--html goes with survey or status, not ${positionals[0]}`);
    const fallback = positionals[0] === "survey" ? 16 : Math.min(32, os.availableParallelism());
    const concurrency = Number(values.concurrency ?? fallback);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) {
        throw new Error(`--concurrency is "${values.concurrency}"; expected a whole number from 1 to 32`);
    }
    let rows = readInventory(values.inventory);
    if (values.only) {
        const wanted = new Set(values.only.split(",").map((s) => s.trim()));
        const unknown = [...wanted].filter((k) => !rows.some((r) => r.kommunekode === k));
        if (unknown.length) throw new Error(`--only names kommunekode(r) not in the inventory: ${unknown.join(", ")}`);
        rows = rows.filter((r) => wanted.has(r.kommunekode));
    }
    const stateDir = path.resolve(values["state-dir"] ?? path.join(localDir, "fleet"));
    const settings = sharedSettings(values.setting ?? []);
    return { operation, rows, concurrency, stateDir, settings, values: { ...values, inventory: values.inventory } };
}

/** fleet survey: read-only, over HTTP only. */
async function survey({ rows, values, concurrency, settings }: Command): Promise<number> {
    const report = await surveyFleet(rows, path.resolve(values.inventory), concurrency, settings);
    process.stdout.write(`${surveyTable(report)}\n`);
    if (values.report) {
        writeSurveyReport(path.resolve(values.report), report);
        log(`report: ${path.resolve(values.report)}`);
    }
    if (values.html) {
        writeStatusPage(path.resolve(values.html), pageFromSurvey(report));
        log(`page: ${path.resolve(values.html)}`);
    }
    return report.exitCode;
}

async function main(argv: string[]): Promise<number> {
    const command = parseCommand(argv);
    if (command.operation === "survey") return survey(command);
    const { rows, concurrency, stateDir, values } = command;
    const operation = command.operation;
    log(`${operation} for ${rows.length} municipalities, ${concurrency} at a time (stacks in ${stateDir})`);
    if (operation === "up" || operation === "preview") {
        const problems = await typeErrorsInChild(
            path.join(repoRoot, "index.ts"),
            path.join(repoRoot, "tsconfig.programs.json"),
        );
        if (problems.length) throw new Error(`the program does not type-check:\n${problems.join("\n")}`);
    }
    const progress =
        process.stderr.isTTY && !values.verbose
            ? liveProgress(rows.length, process.stderr)
            : plainProgress(rows.length, (s) => process.stderr.write(`${s}\n`), values.verbose === true);
    const startedAt = new Date();
    const results = await runFleet({
        operation,
        rows,
        concurrency,
        stateDir,
        // Type-checked once above; each stack's program then runs inline in this process.
        engineEnv: engineEnv(),
        policyPack: values["policy-pack"] ? path.resolve(values["policy-pack"]) : policyPackArgument(),
        force: values.force === true,
        repair: values.repair === true,
        takeOver: values["take-over"] === true,
        clearDeadLocks: values["clear-dead-locks"] === true,
        settings: command.settings,
        onEvent: (e) => progress.event(e),
    });
    progress.close();
    const report = makeReport(operation, path.resolve(values.inventory), concurrency, startedAt, results);
    const reportFile = path.resolve(values.report ?? path.join(stateDir, `report-${operation}.json`));
    const page = operation === "status" ? pageFromStatus(results, report.inventory, report.finishedAt) : undefined;
    if (page) report.counts = page.counts; // the same figures in the report and on the page
    writeReport(reportFile, report);
    if (page && values.html) {
        writeStatusPage(path.resolve(values.html), page);
        log(`page: ${path.resolve(values.html)}`);
    }
    process.stdout.write(`${table(report)}\n`);
    log(`report: ${reportFile}`);
    if (operation === "status") return exitCodeOf(results.map((r): SurveyState => r.task ?? "unreachable"));
    return report.totals.failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
        if (err instanceof InventoryError) log(err.message);
        else log(`error: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(2);
    },
);
