// The true state of one municipality's task GB1.0, read from the classification system with that
// municipality's own credentials, whether or not a stack holds the subscription. Read calls only.
// `npm run status`, `fleet status` and `fleet survey` all judge through here, so they never disagree.
import type { AbonnementFilter, ClassificationApi } from "./classification-api";
import { BORGERBLIKKET, KMD_OPUS_DEBITOR, REQUIRED_SKEMAVERSION } from "./domain";
import { describeExisting, ExistingSubscription, Mismatch, mismatches } from "./existing";
import { madeByPulumi, ownerStack } from "./ownership";
import { describeKommune } from "./kommuner";
import { resolveSortiment } from "./sortiment";
import { assessTask, TaskAssessment, TaskExpectation } from "./task";
import type { Abonnement } from "./wire";

/**
 * A municipality's state, as the survey names it.
 *
 * - `done`: correct, delivered, and under code (a stack holds it, or its note names the stack managing it).
 * - `pending`: correct; delivery to the debtor system still pending (up to a day), by code or by hand.
 * - `by-hand`: correct and delivered, made by hand in the web UI, not yet under code: the task is done;
 *   `pulumi up` adopts it (its values untouched; one write of its note records the stack as owner).
 * - `wrong-values`: an active subscription with other values (see `mismatches`).
 * - `ended`: only ended or passivated subscriptions; `pulumi up` creates a new one from today.
 * - `missing`: none at all; `pulumi up` creates it.
 * - `wrong-municipality`: the credentials act for another municipality; nothing was read.
 * - `unreachable`: the classification API could not be asked (see `detail`).
 */
export type SurveyState =
    "done" | "pending" | "by-hand" | "wrong-values" | "ended" | "missing" | "wrong-municipality" | "unreachable";

/** Every state, in the order reports list them. */
export const SURVEY_STATES: readonly SurveyState[] = [
    "done",
    "pending",
    "by-hand",
    "wrong-values",
    "ended",
    "missing",
    "wrong-municipality",
    "unreachable",
];

/**
 * The counts per state of a set of results (every state present, zeros included).
 *
 * @example
 * countStates([{ state: "done" }]).done; // 1
 */
export function countStates(rows: readonly { state: SurveyState }[]): Record<SurveyState, number> {
    const counts = Object.fromEntries(SURVEY_STATES.map((s) => [s, 0])) as Record<SurveyState, number>;
    for (const r of rows) counts[r.state]++;
    return counts;
}

/** The subscription a survey found, with its delivery. */
export interface SurveyedSubscription extends ExistingSubscription {
    /** The sortiment's uuid and brugervendtnoegle. */
    sortiment: string;
    sortimentNavn: string;
    itSystemInstans: string;
    /** Afventer, Leveret or Stoppet. */
    levering: string;
    leveretTidspunkt: string | null;
    forventetTidspunkt: string | null;
    /** True when a stack holds it or a Pulumi stack created it. */
    underCode: boolean;
}

export interface SurveyResult {
    state: SurveyState;
    kommunekode: string;
    /** The subscription the state is about (the active one, else the latest ended one). */
    subscription?: SurveyedSubscription;
    /** For `wrong-values`: each value found against the value the task wants. */
    mismatches: Mismatch[];
    /** One sentence on the state, for tables and the status command. */
    detail: string;
    /** What to run next, when something is left to do. */
    next?: string;
    /**
     * The task's two result criteria, judged on the subscription the state is about by task.ts (the one
     * decision for "done"): what `npm run status` prints. Absent when nothing could be read.
     */
    assessment?: TaskAssessment;
}

export interface SurveyExpectation {
    kommunekode: string;
    /** @default Borgerblikket */
    sortiment?: string;
    /** @default KMD Opus Debitor */
    itSystemInstans?: string;
    /** @default "1.3" */
    skemaversion?: string;
    /** The uuid a stack holds, if any. */
    stackUuid?: string;
}

/** Exit codes of the status and survey commands. */
export const EXIT = { done: 0, notDone: 1, pending: 10 } as const;

/**
 * The exit code for a set of states: 0 when every task is done (created correctly and delivered, by code
 * or by hand), 10 when some wait only for delivery, 1 when any is not done.
 */
export function exitCodeOf(states: readonly SurveyState[]): number {
    if (states.some((s) => !["done", "pending", "by-hand"].includes(s))) return EXIT.notDone;
    return states.some((s) => s === "pending") ? EXIT.pending : EXIT.done;
}

/**
 * Surveys one municipality with its own credentials.
 *
 * @example
 * const result = await surveyMunicipality(api, { kommunekode: "0101" });
 * if (result.state === "by-hand") console.log(result.next); // pulumi up adopts it
 */
export async function surveyMunicipality(api: ClassificationApi, want: SurveyExpectation): Promise<SurveyResult> {
    try {
        return await survey(api, want);
    } catch (err) {
        const detail = err instanceof Error ? err.message : String(err);
        return { state: "unreachable", kommunekode: want.kommunekode, mismatches: [], detail };
    }
}

async function survey(api: ClassificationApi, want: SurveyExpectation): Promise<SurveyResult> {
    const base = { kommunekode: want.kommunekode, mismatches: [] as Mismatch[] };
    const myndighed = await api.getMyndighed();
    if (myndighed.kommunekode !== want.kommunekode) {
        return {
            ...base,
            state: "wrong-municipality",
            detail: `the credentials act for ${describeKommune(myndighed.kommunekode)}, not ${describeKommune(want.kommunekode)}; nothing was read`,
            next: `give ${describeKommune(want.kommunekode)}'s own token or certificate`,
        };
    }
    // The sortiment as create finds it (one by uuid, or exactly one by name): one rule for both.
    const sortimentRef = want.sortiment ?? BORGERBLIKKET;
    const sortiment = await resolveSortiment(api, sortimentRef);
    const key: AbonnementFilter = {
        sortiment: sortiment.uuid,
        itSystemInstans: want.itSystemInstans ?? KMD_OPUS_DEBITOR,
    };
    const active = await api.searchAbonnementer({ ...key, aktiv: true });
    // Each active one judged by the task's own criteria (task.ts): the one decision for "done".
    const expected: TaskExpectation = {
        kommunekode: want.kommunekode,
        sortiment: sortimentRef,
        itSystemInstans: key.itSystemInstans,
        skemaversion: want.skemaversion ?? REQUIRED_SKEMAVERSION,
    };
    const judged = active.map((a) => ({ a, verdict: assessTask(a, sortiment, expected) }));
    const seen = (a: Abonnement) => surveyed(a, sortiment.brugervendtnoegle, want.stackUuid);
    const right = judged.find((j) => j.verdict.state !== "wrong");
    if (right) return judgeRight(seen(right.a), right.verdict, base);
    if (judged.length > 0) return judgeWrong(seen(judged[0].a), judged[0].a, judged[0].verdict, expected, base);
    const past = [
        ...(await api.searchAbonnementer(key)),
        ...(await api.searchAbonnementer({ ...key, livscyklus: "Passiv" })),
    ].sort((a, b) => b.registrering.tidspunkt.localeCompare(a.registrering.tidspunkt));
    if (past.length > 0) {
        const last = seen(past[0]);
        const how = last.livscyklus === "Passiv" ? "passivated" : `ended on ${last.validTo ?? "?"}`;
        return {
            ...base,
            state: "ended",
            subscription: last,
            assessment: assessTask(past[0], sortiment, expected),
            detail: `subscription ${last.uuid} was ${how}; none is in force`,
            next: "pulumi up creates a new one from today",
        };
    }
    return {
        ...base,
        state: "missing",
        assessment: assessTask(undefined, sortiment, expected),
        detail: "no subscription was ever made",
        next: "pulumi up creates it",
    };
}

/** An active subscription that fails the task's criteria: each failing value named, and the way forward. */
function judgeWrong(
    s: SurveyedSubscription,
    a: Abonnement,
    verdict: TaskAssessment,
    expected: TaskExpectation,
    base: { kommunekode: string; mismatches: Mismatch[] },
): SurveyResult {
    const declared = {
        skemaversion: expected.skemaversion ?? REQUIRED_SKEMAVERSION,
        validFrom: "",
        validFromDefaulted: true,
    };
    return {
        ...base,
        state: "wrong-values",
        subscription: s,
        mismatches: mismatches(a, declared),
        assessment: verdict,
        detail: verdict.criteria
            .filter((c) => !c.ok && c.name.startsWith("   "))
            .map((c) => `${c.name.trim()} is ${c.detail}`)
            .join("; "),
        next: "pulumi up with repairExisting (fleet: --repair) ends it and creates the task's one",
    };
}

function surveyed(a: Abonnement, sortimentNavn: string, stackUuid: string | undefined): SurveyedSubscription {
    return {
        ...describeExisting(a),
        sortiment: a.sortiment,
        sortimentNavn,
        itSystemInstans: a.itSystemInstans,
        levering: a.levering.status,
        leveretTidspunkt: a.levering.leveretTidspunkt,
        forventetTidspunkt: a.levering.forventetTidspunkt,
        underCode: a.uuid === stackUuid || madeByPulumi(a.note),
    };
}

/**
 * A subscription with the task's values: `done` once delivered, `pending` until then, whoever made it;
 * `by-hand` when delivered but no stack manages it yet (the task is done; `pulumi up` adopts it).
 */
function judgeRight(
    s: SurveyedSubscription,
    verdict: TaskAssessment,
    base: { kommunekode: string; mismatches: Mismatch[] },
): SurveyResult {
    const delivered = verdict.state === "done";
    const delivery = delivered
        ? `delivered at ${s.leveretTidspunkt}`
        : `delivery pending, expected by ${s.forventetTidspunkt ?? "(unknown)"}`;
    const common = { ...base, subscription: s, assessment: verdict };
    if (!s.underCode) {
        return {
            ...common,
            state: delivered ? "by-hand" : "pending",
            detail: `made by hand by ${s.oprettetAf} on ${s.oprettet.slice(0, 10)} with the task's values; ${delivery}; not yet under code`,
            next: "pulumi up adopts it (its values untouched; one write of its note records the stack as owner)",
        };
    }
    return {
        ...common,
        state: delivered ? "done" : "pending",
        detail: `subscription ${s.uuid} is in force with the task's values${s.owner ? `, managed by the stack ${ownerStack(s.owner)}` : ""}; ${delivery}`,
    };
}
