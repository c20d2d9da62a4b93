// "Is our task done?" Task GB1.0 is done when (1) the subscription exists in the classification
// system with the expected values and (2) the sortiment has reached the debtor system, which can
// take up to a day. This module judges both from what the classification system says.
import { danishToday } from "./dates";
import { BORGERBLIKKET, KMD_OPUS_DEBITOR, REQUIRED_SKEMAVERSION } from "./domain";
import type { ClassificationApi } from "./classification-api";
import type { Abonnement, Sortiment } from "./wire";

/** One result criterion and whether it holds. */
export interface Criterion {
    name: string;
    ok: boolean;
    detail: string;
}

/**
 * The verdict on a municipality's task.
 *
 * - `done`: created correctly and delivered.
 * - `pending`: created correctly; delivery still pending (normal for up to a day).
 * - `wrong`: missing, ended, passive, or with other values than the task fixes.
 */
export type TaskState = "done" | "pending" | "wrong";

export interface TaskAssessment {
    state: TaskState;
    criteria: Criterion[];
    /** Hours since the subscription was created, when it exists. */
    hoursSinceCreation?: number;
}

export interface TaskExpectation {
    /** The municipality the stack is for; checked against the one the credentials act for. */
    kommunekode?: string;
    /** @default Borgerblikket */
    sortiment?: string;
    /** @default KMD Opus Debitor */
    itSystemInstans?: string;
    /** @default "1.3" */
    skemaversion?: string;
}

/**
 * Reads a subscription (and its sortiment) from the classification system, live, and judges it.
 * A missing uuid (the stack has none yet) or a subscription that is gone is judged "wrong".
 *
 * @example
 * const verdict = await checkTask(api, outputs.abonnementUuid, { kommunekode: "0101" });
 */
export async function checkTask(
    api: ClassificationApi,
    uuid: string | undefined,
    expected: TaskExpectation = {},
): Promise<TaskAssessment> {
    const abonnement = uuid ? await api.getAbonnement(uuid) : undefined;
    const sortiment = abonnement ? await api.getSortiment(abonnement.sortiment) : undefined;
    return assessTask(abonnement, sortiment, expected);
}

/**
 * Judges a subscription as read from the classification system against task GB1.0.
 *
 * @example
 * const verdict = assessTask(await api.getAbonnement(uuid), sortiment, { kommunekode: "0101" });
 * if (verdict.state === "wrong") process.exitCode = 1;
 */
export function assessTask(
    a: Abonnement | undefined,
    sortiment: Sortiment | undefined,
    expected: TaskExpectation = {},
    now = new Date(),
): TaskAssessment {
    if (!a) {
        return {
            state: "wrong",
            criteria: [
                {
                    name: "1. created correctly",
                    ok: false,
                    detail: "no subscription found in the classification system; run pulumi up",
                },
            ],
        };
    }
    const checks = valueChecks(a, sortiment, expected, danishToday(now));
    const created = checks.every((c) => c.ok);
    const hours = (now.getTime() - Date.parse(a.registrering.oprettet)) / 3_600_000;
    const delivered = a.levering.status === "Leveret";
    const criteria: Criterion[] = [
        {
            name: "1. created correctly",
            ok: created,
            detail: created
                ? `subscription ${a.uuid} is in force with the task's values`
                : checks
                      .filter((c) => !c.ok)
                      .map((c) => `${c.name}: ${c.detail}`)
                      .join("; "),
        },
        ...checks.map((c) => ({ ...c, name: `   ${c.name}` })),
        { name: "2. visible to the debtor system", ok: delivered, detail: deliveryDetail(a, hours) },
    ];
    return { state: !created ? "wrong" : delivered ? "done" : "pending", criteria, hoursSinceCreation: hours };
}

/** Criterion 1's parts: each value of the subscription against the task's. */
function valueChecks(
    a: Abonnement,
    sortiment: Sortiment | undefined,
    expected: TaskExpectation,
    today: string,
): Criterion[] {
    const want = {
        sortiment: expected.sortiment ?? BORGERBLIKKET,
        itSystemInstans: expected.itSystemInstans ?? KMD_OPUS_DEBITOR,
        skemaversion: expected.skemaversion ?? REQUIRED_SKEMAVERSION,
    };
    const checks: Criterion[] = [
        {
            name: "sortiment",
            ok:
                sortiment !== undefined &&
                (sortiment.brugervendtnoegle === want.sortiment || sortiment.uuid === want.sortiment),
            detail: `${sortiment?.brugervendtnoegle ?? a.sortiment} (expected ${want.sortiment})`,
        },
        {
            name: "abonnerende it-systeminstans",
            ok: a.itSystemInstans === want.itSystemInstans,
            detail: `${a.itSystemInstans} (expected ${want.itSystemInstans})`,
        },
        {
            name: "skemaversion",
            ok: a.skemaversion === want.skemaversion,
            detail: `${a.skemaversion} (expected ${want.skemaversion})`,
        },
        {
            name: "gyldig fra",
            ok: a.virkning.from <= today,
            detail: `${a.virkning.from} (expected today or earlier; today is ${today})`,
        },
        {
            name: "gyldig til",
            ok: a.virkning.to === null,
            detail: a.virkning.to === null ? "empty (as expected)" : `${a.virkning.to} (expected empty)`,
        },
        { name: "livscyklus", ok: a.livscyklus === "Opstaaet" || a.livscyklus === "Rettet", detail: a.livscyklus },
    ];
    if (expected.kommunekode !== undefined) {
        checks.push({
            name: "kommune",
            ok: a.kommunekode === expected.kommunekode,
            detail: `${a.kommunekode} (expected ${expected.kommunekode}: the credentials must be the municipality's own)`,
        });
    }
    return checks;
}

/** Criterion 2's detail: delivered, pending (for how long, expected when) or stopped. */
function deliveryDetail(a: Abonnement, hours: number): string {
    if (a.levering.status === "Leveret") return `delivered to the debtor system at ${a.levering.leveretTidspunkt}`;
    if (a.levering.status === "Afventer") {
        return `pending, ${hours.toFixed(1)} hour(s) since creation; expected by ${a.levering.forventetTidspunkt ?? "(unknown)"} (it can take up to a day)`;
    }
    return "stopped: the subscription is not in force";
}
