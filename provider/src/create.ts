// Create as the brownfield needs it: look up what exists, then adopt it (recording this stack as its
// owner), refuse it (another stack's, or wrong values made by hand), replace this resource's own, repair
// it (end it and create), or create. Check runs the same decision with read calls only, so `preview`
// shows the plan; create runs it again before every write, because a lost response, a timeout, a killed
// `pulumi up` or a person in the web UI may have changed what exists in between.
import type { AbonnementFilter, ClassificationApi } from "./classification-api";
import { endSubscription, setNote, setValidTo } from "./ending";
import { errors, FkError } from "./errors";
import { Claimant, decide, Decision, Plan } from "./decision";
import { describeExisting, ExistingSubscription, mismatches } from "./existing";
import { ownerOf, ownNote } from "./ownership";
import type { CheckedInputs } from "./inputs";
import { checkReferences, mustActFor } from "./preflight";
import { retrying, sleep } from "./retry";
import type { Abonnement, Sortiment } from "./wire";

/** Failures of reaching the API, not answers from it: check's look-up leaves the plan open on these. */
const TRANSPORT_FAILURES: readonly string[] = ["FK_UNAVAILABLE", "FK_TIMEOUT"];

/** Refusals that mean a subscription is in force: after a repair ended ours, these are not "nothing in force". */
const IN_FORCE_REFUSALS: readonly string[] = ["FK_CONFLICT", "FK_OWNED_ELSEWHERE"];

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

/** The resource asking, as the decision needs it. */
function claimantOf(inputs: CheckedInputs): Claimant {
    return { managedBy: inputs.managedBy, repair: inputs.repairExisting === true, takeOver: inputs.takeOver === true };
}

/** Refuses what no write may touch: another stack's subscription, or wrong values made by hand. */
function refuseIfBlocked(decision: Decision, inputs: CheckedInputs): void {
    if (decision.plan === "owned") throw errors.ownedElsewhere(describeExisting(decision.wrong[0]), decision.owner!);
    if (decision.plan === "refuse") throw conflictWith(decision.wrong[0], inputs);
}

/** What `up` will do, as check records it for `preview`. */
export interface PlannedCreate {
    plan: Plan;
    /** The existing subscription(s) the plan adopts or ends. */
    existing: ExistingSubscription[];
}

/**
 * The plan for a subscription not yet in state, from read calls only; a conflicting subscription is
 * refused (FK_CONFLICT), and so is one another stack manages (FK_OWNED_ELSEWHERE). Undefined when the
 * API cannot be reached now: create decides then.
 */
export async function planCreate(api: ClassificationApi, inputs: CheckedInputs): Promise<PlannedCreate | undefined> {
    let active: Abonnement[];
    try {
        // The search first: what it finds shows whom the credentials act for, so the guard after it
        // asks only when it found nothing (an adoption then costs no Laes myndighed).
        const { sortiment } = await checkReferences(api, inputs);
        active = await api.searchAbonnementer(keyOf(sortiment, inputs));
        await mustActFor(api, inputs.kommunekode, "Opret abonnement", inputs.endpoint);
    } catch (err) {
        if (err instanceof FkError && TRANSPORT_FAILURES.includes(err.code)) return undefined;
        throw err;
    }
    const decision = decide(active, inputs, claimantOf(inputs));
    refuseIfBlocked(decision, inputs);
    const about = decision.match ? [decision.match] : decision.wrong;
    return { plan: decision.plan as Plan, existing: about.map(describeExisting) };
}

/** A subscription a repair or replacement ended, as the outputs and the error of an unfinished one name it. */
export interface Ended {
    uuid: string;
    validTo: string | null;
}

/** What create came to. */
export interface CreateResult {
    abonnement: Abonnement;
    /** True when it took over a subscription someone else made (by hand, or another stack). */
    adopted: boolean;
    /** The wrong subscriptions it ended first (repairExisting), or this resource's own it replaced. */
    ended: string[];
}

/** What one pass of the loop came to: done, or look again (with why). */
type Pass =
    | { kind: "done"; abonnement: Abonnement; adopted: boolean }
    /**
     * `wait`: back off first (a conflict or an unknown outcome); a repair's next pass creates at once.
     * `maybeCreated`: the cause was an Opret whose outcome is unknown.
     */
    | { kind: "again"; cause: string; wait: boolean; maybeCreated?: boolean };

/** Adopts the match; when its note does not name this resource yet, one Ret of the note records the owner. */
async function adopt(api: ClassificationApi, decision: Decision, note: string): Promise<Pass> {
    const match = decision.match!;
    const adopted = match.note !== note;
    if (!decision.claim) return { kind: "done", abonnement: match, adopted };
    const claimed = await setNote(api, match, note);
    if (!claimed)
        return { kind: "again", cause: `subscription ${match.uuid} changed while it was adopted`, wait: true };
    return { kind: "done", abonnement: claimed, adopted };
}

/**
 * One pass: look up, then adopt, refuse, end the wrong ones (or this resource's own), or make one Opret
 * attempt. Opret is never retried blindly: a 409 (someone created one in between) or an unknown outcome
 * sends the loop back to the look-up.
 */
async function pass(
    api: ClassificationApi,
    inputs: CheckedInputs,
    sortiment: Sortiment,
    ended: Ended[],
): Promise<Pass> {
    const key = keyOf(sortiment, inputs);
    const note = ownNote(inputs.managedBy);
    const decision = decide(await api.searchAbonnementer(key), inputs, claimantOf(inputs));
    refuseIfBlocked(decision, inputs);
    if (decision.plan === "adopt") return adopt(api, decision, note);
    if (decision.plan === "repair" || decision.plan === "replace") {
        // End the wrong ones (history kept), then look again: the next pass creates.
        for (const wrong of decision.wrong) {
            const after = await endSubscription(api, wrong);
            if (!ended.some((e) => e.uuid === wrong.uuid)) ended.push({ uuid: wrong.uuid, validTo: after });
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
    if (outcome.kind === "unknown") return { kind: "again", cause: outcome.cause, wait: true, maybeCreated: true };
    if (outcome.kind === "refused") return { kind: "again", cause: outcome.cause, wait: true };
    if (outcome.existing) {
        if (await yieldOwnHistory(api, outcome.existing, key, inputs)) {
            return {
                kind: "again",
                cause: "moved the ended subscription's Gyldig til to the new Gyldig fra",
                wait: false,
            };
        }
        await refuseInactiveConflict(api, outcome.existing, key, inputs);
    }
    return { kind: "again", cause: `409 conflict with ${outcome.existing ?? "an existing subscription"}`, wait: true };
}

/**
 * A replacement that moves Gyldig fra back in time: this resource's own subscription, just ended today,
 * still covers the days from the new Gyldig fra. Its Gyldig til moves back to the new Gyldig fra (never
 * before its own Gyldig fra), so its history ends where the new one starts. True when it did.
 */
async function yieldOwnHistory(
    api: ClassificationApi,
    uuid: string,
    key: AbonnementFilter,
    inputs: CheckedInputs,
): Promise<boolean> {
    const other = await api.getAbonnement(uuid);
    if (!other || ownerOf(other.note) !== inputs.managedBy || other.virkning.to === null) return false;
    if ((await api.searchAbonnementer(key)).some((a) => a.uuid === other.uuid)) return false;
    const to = other.virkning.from > inputs.validFrom ? other.virkning.from : inputs.validFrom;
    if (to >= other.virkning.to) return false;
    await setValidTo(api, other, to, (now) => now !== undefined && now.virkning.to === to);
    return true;
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
 * Creates the declared subscription, or adopts the one that is already right, or (repairExisting, or a
 * replacement of this resource's own) ends the wrong ones and creates. Fails with FK_UNAVAILABLE after
 * CREATE_ATTEMPTS passes that could not decide; once something was ended, every failure says so
 * (FK_NOTHING_IN_FORCE), and the next `pulumi up` finishes the job.
 */
export async function createOrAdopt(
    api: ClassificationApi,
    inputs: CheckedInputs,
    sortiment: Sortiment,
    wait: (ms: number) => Promise<void> = sleep,
): Promise<CreateResult> {
    const ended: Ended[] = [];
    const done = (r: { abonnement: Abonnement; adopted: boolean }) => ({ ...r, ended: ended.map((e) => e.uuid) });
    let last: Extract<Pass, { kind: "again" }> | undefined;
    try {
        const result = await retrying({ attempts: CREATE_ATTEMPTS, ...CREATE_BACKOFF, wait }, async () => {
            const passed = await pass(api, inputs, sortiment, ended);
            if (passed.kind === "done") return { kind: "done", value: passed };
            last = passed;
            return { kind: "again", cause: passed.cause, backoff: passed.wait };
        });
        if (result.kind === "done") return done(result.value);
    } catch (err) {
        // A refusal means one is in force (someone else's, made in between): that error says it all.
        if (ended.length === 0 || (err instanceof FkError && IN_FORCE_REFUSALS.includes(err.code))) throw err;
        const cause = err instanceof Error ? err.message : String(err);
        throw errors.nothingInForce(ended, cause, last?.maybeCreated === true);
    }
    const gaveUp = errors.unavailable("Opret abonnement", CREATE_ATTEMPTS, last?.cause ?? "");
    if (ended.length > 0) throw errors.nothingInForce(ended, gaveUp.message, last?.maybeCreated === true);
    throw gaveUp;
}
