// Create as the brownfield needs it: look up what exists, then adopt it, refuse it, repair it (end it
// and create), or create. Check runs the same decision with read calls only, so `preview` shows the
// plan; create runs it again before every write, because a lost response, a timeout, a killed
// `pulumi up` or a person in the web UI may have changed what exists in between.
import type { AbonnementFilter, ClassificationApi } from "./classification-api";
import { endSubscription } from "./ending";
import { errors, FkError } from "./errors";
import { decide, describeExisting, ExistingSubscription, mismatches, ownNote, Plan } from "./existing";
import type { CheckedInputs } from "./inputs";
import { prepareCreate } from "./preflight";
import { backoffDelay, sleep } from "./retry";
import type { Abonnement, Sortiment } from "./wire";

/** Failures of reaching the API, not answers from it: check's look-up leaves the plan open on these. */
const TRANSPORT_FAILURES: readonly string[] = ["FK_UNAVAILABLE", "FK_TIMEOUT"];

/** Attempts of the look-up-then-create loop before giving up, and its backoff between them. */
export const CREATE_ATTEMPTS = 6;
const CREATE_BACKOFF = { baseMs: 200, capMs: 5000 };

function conflictWith(a: Abonnement, inputs: CheckedInputs, state = "active"): FkError {
    return errors.conflictingSubscription(describeExisting(a), mismatches(a, inputs), state);
}

/** The active subscriptions of the same sortiment and subscriber: at most one may exist. */
function keyOf(sortiment: Sortiment, inputs: CheckedInputs): AbonnementFilter {
    return { sortiment: sortiment.uuid, itSystemInstans: inputs.itSystemInstans, aktiv: true };
}

/** What `up` will do, as check records it for `preview`. */
export interface PlannedCreate {
    plan: Plan;
    /** The existing subscription(s) the plan adopts or ends. */
    existing: ExistingSubscription[];
}

/**
 * The plan for a subscription not yet in state, from read calls only; a conflicting subscription
 * is refused (FK_CONFLICT). Undefined when the API cannot be reached now: create decides then.
 */
export async function planCreate(api: ClassificationApi, inputs: CheckedInputs): Promise<PlannedCreate | undefined> {
    let active: Abonnement[];
    try {
        const { sortiment } = await prepareCreate(api, inputs);
        active = await api.searchAbonnementer(keyOf(sortiment, inputs));
    } catch (err) {
        if (err instanceof FkError && TRANSPORT_FAILURES.includes(err.code)) return undefined;
        throw err;
    }
    const decision = decide(active, inputs, inputs.repairExisting === true);
    if (decision.plan === "refuse") throw conflictWith(decision.wrong[0], inputs);
    const about = decision.match ? [decision.match] : decision.wrong;
    return { plan: decision.plan, existing: about.map(describeExisting) };
}

/** What create came to. */
export interface CreateResult {
    abonnement: Abonnement;
    /** True when it took over a subscription someone else made. */
    adopted: boolean;
    /** The wrong subscriptions it ended first (repairExisting). */
    ended: string[];
}

/** What one pass of the loop came to: done, or look again (with why). */
type Pass =
    | { kind: "done"; abonnement: Abonnement; adopted: boolean }
    /** `wait`: back off first (a conflict or an unknown outcome); a repair's next pass creates at once. */
    | { kind: "again"; cause: string; wait: boolean };

/**
 * One pass: look up, then adopt, refuse, end the wrong ones, or make one Opret attempt. Opret is never
 * retried blindly: a 409 (someone created one in between) or an unknown outcome sends the loop back
 * to the look-up.
 */
async function pass(
    api: ClassificationApi,
    inputs: CheckedInputs,
    sortiment: Sortiment,
    ended: string[],
): Promise<Pass> {
    const key = keyOf(sortiment, inputs);
    const note = ownNote(inputs.managedBy);
    const decision = decide(await api.searchAbonnementer(key), inputs, inputs.repairExisting === true);
    if (decision.plan === "adopt") {
        return { kind: "done", abonnement: decision.match!, adopted: decision.match!.note !== note };
    }
    if (decision.plan === "refuse") throw conflictWith(decision.wrong[0], inputs);
    if (decision.plan === "repair") {
        // End the wrong ones (history kept), then look again: the next pass creates.
        for (const wrong of decision.wrong) {
            await endSubscription(api, wrong);
            if (!ended.includes(wrong.uuid)) ended.push(wrong.uuid);
        }
        return { kind: "again", cause: "ended the subscriptions with other values", wait: false };
    }
    const outcome = await api.createAbonnement({
        sortiment: sortiment.uuid,
        itSystemInstans: inputs.itSystemInstans,
        skemaversion: inputs.skemaversion,
        virkning: { from: inputs.validFrom, to: inputs.validTo ?? null },
        note,
    });
    if (outcome.kind === "created") return { kind: "done", abonnement: outcome.abonnement, adopted: false };
    if (outcome.kind === "unknown") return { kind: "again", cause: outcome.cause, wait: true };
    if (outcome.existing) await refuseInactiveConflict(api, outcome.existing, key, inputs);
    return { kind: "again", cause: `409 conflict with ${outcome.existing ?? "an existing subscription"}`, wait: true };
}

/** A 409 naming a subscription that overlaps in time but is not active today (e.g. it starts later): report it as is. */
async function refuseInactiveConflict(
    api: ClassificationApi,
    uuid: string,
    key: AbonnementFilter,
    inputs: CheckedInputs,
): Promise<void> {
    const other = await api.getAbonnement(uuid);
    if (other && !(await api.searchAbonnementer(key)).some((a) => a.uuid === other.uuid)) {
        throw conflictWith(other, inputs, "overlapping");
    }
}

/**
 * Creates the declared subscription, or adopts the one that is already right, or (repairExisting)
 * ends the wrong ones and creates. Fails with FK_UNAVAILABLE after CREATE_ATTEMPTS passes that could
 * not decide.
 */
export async function createOrAdopt(
    api: ClassificationApi,
    inputs: CheckedInputs,
    sortiment: Sortiment,
    wait: (ms: number) => Promise<void> = sleep,
): Promise<CreateResult> {
    const ended: string[] = [];
    let cause = "";
    for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
        const result = await pass(api, inputs, sortiment, ended);
        if (result.kind === "done") return { abonnement: result.abonnement, adopted: result.adopted, ended };
        cause = result.cause;
        if (result.wait) await wait(backoffDelay({ attempt, ...CREATE_BACKOFF }));
    }
    throw errors.unavailable("Opret abonnement", CREATE_ATTEMPTS, cause);
}
