// The true state of one municipality's task GB1.0, read from the classification system with that
// municipality's own credentials, whether or not a stack holds the subscription. Read calls only.
// `npm run status`, `fleet status` and `fleet survey` all judge through here, so they never disagree.
import type { AbonnementFilter, ClassificationApi } from "./classification-api";
import { BORGERBLIKKET, KMD_OPUS_DEBITOR, REQUIRED_SKEMAVERSION, UUID_PATTERN } from "./domain";
import { FkError } from "./errors";
import { describeExisting, ExistingSubscription, madeByPulumi, Mismatch, mismatches, ownerStack } from "./existing";
import { describeKommune } from "./kommuner";
import type { Abonnement } from "./wire";

/**
 * A municipality's state, as the survey names it.
 *
 * - `done`: correct, delivered, and under code (a stack holds it, or a Pulumi stack created it).
 * - `pending`: correct and under code; delivery to the debtor system still pending (up to a day).
 * - `by-hand`: correct, made by hand in the web UI, not yet under code; `pulumi up` adopts it (its values
 *   untouched; one write of its note records the stack as owner).
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
 * The exit code for a set of states: 0 when every task is done (by code or by hand, delivered), 10 when
 * some wait only for delivery, 1 when any is not done.
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
    const sortimentRef = want.sortiment ?? BORGERBLIKKET;
    const sortiment = UUID_PATTERN.test(sortimentRef)
        ? await api.getSortiment(sortimentRef)
        : (await api.searchSortimenter(sortimentRef))[0];
    if (!sortiment) throw new FkError("FK_UNKNOWN_SORTIMENT", `sortiment ${sortimentRef} does not exist`);
    const key: AbonnementFilter = {
        sortiment: sortiment.uuid,
        itSystemInstans: want.itSystemInstans ?? KMD_OPUS_DEBITOR,
    };
    const active = await api.searchAbonnementer({ ...key, aktiv: true });
    const declared = {
        skemaversion: want.skemaversion ?? REQUIRED_SKEMAVERSION,
        validFrom: "",
        validFromDefaulted: true,
    };
    const seen = (a: Abonnement) => surveyed(a, sortiment.brugervendtnoegle, want.stackUuid);
    const right = active.find((a) => mismatches(a, declared).length === 0);
    if (right) return judgeRight(seen(right), base);
    if (active.length > 0) {
        const found = mismatches(active[0], declared);
        return {
            ...base,
            state: "wrong-values",
            subscription: seen(active[0]),
            mismatches: found,
            detail: found
                .map((m) => `${m.field} is ${m.found ?? "(empty)"}, the task wants ${m.wanted ?? "(empty)"}`)
                .join("; "),
            next: "pulumi up with repairExisting (fleet: --repair) ends it and creates the task's one",
        };
    }
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
            detail: `subscription ${last.uuid} was ${how}; none is in force`,
            next: "pulumi up creates a new one from today",
        };
    }
    return { ...base, state: "missing", detail: "no subscription was ever made", next: "pulumi up creates it" };
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

function judgeRight(s: SurveyedSubscription, base: { kommunekode: string; mismatches: Mismatch[] }): SurveyResult {
    const delivered = s.levering === "Leveret";
    const delivery = delivered
        ? `delivered at ${s.leveretTidspunkt}`
        : `delivery pending, expected by ${s.forventetTidspunkt ?? "(unknown)"}`;
    if (!s.underCode) {
        return {
            ...base,
            state: "by-hand",
            subscription: s,
            detail: `made by hand by ${s.oprettetAf} on ${s.oprettet.slice(0, 10)} with the task's values; ${delivery}; not yet under code`,
            next: "pulumi up adopts it (its values untouched; one write of its note records the stack as owner)",
        };
    }
    return {
        ...base,
        state: delivered ? "done" : "pending",
        subscription: s,
        detail: `subscription ${s.uuid} is in force with the task's values${s.owner ? `, managed by the stack ${ownerStack(s.owner)}` : ""}; ${delivery}`,
    };
}
