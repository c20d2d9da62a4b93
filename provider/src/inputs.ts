// Validation and normalisation of the resource's inputs (the provider's `check`). Runs before
// anything is sent: each bad property gives one failure naming the value and what is allowed.
import { z } from "zod";
import { danishToday, isCalendarDate } from "./dates";
import { endpointProblem } from "./endpoint";
import {
    ANY_CASE_UUID_PATTERN,
    DESTROY_BEHAVIOURS,
    DestroyBehaviour,
    KMD_OPUS_DEBITOR,
    SKEMAVERSION_PATTERN,
    UNKNOWN_VALUE,
} from "./domain";
import type { Plan } from "./decision";
import type { ExistingSubscription } from "./existing";
import { isKommunekode, KOMMUNEKODE_RULE } from "./kommuner";
import { showValue as show } from "./text";

/** Inputs as stored in state after check. */
export interface CheckedInputs {
    sortiment: string;
    itSystemInstans: string;
    skemaversion: string;
    /** The municipality the subscription belongs to; the credentials must act for it. */
    kommunekode: string;
    validFrom: string;
    /** True when validFrom was not given and was fixed to the creation day. */
    validFromDefaulted: boolean;
    validTo?: string;
    onDestroy: DestroyBehaviour;
    /** project/stack/name of the Pulumi resource, written into the subscription's note. */
    managedBy: string;
    /** The classification API this subscription lives in (not a secret; credentials never are inputs). */
    endpoint?: string;
    /** End an active subscription with other values and create the declared one (see SortimentSubscriptionArgs). */
    repairExisting?: boolean;
    /**
     * Take over a subscription that another stack manages (see SortimentSubscriptionArgs). An intent for
     * the write that moves ownership, never stored in the outputs.
     */
    takeOver?: boolean;
    /**
     * Set by check for a subscription not yet in state, from what exists (see existing.ts): what `up`
     * will do, and the subscriptions that decision is about. Absent when it could not be looked up.
     */
    plan?: Plan;
    existing?: ExistingSubscription[];
}

export interface CheckFailure {
    property: string;
    reason: string;
}

const MAX_TEXT = 200;

const text = (what: string) => z.string({ error: `must be a string (${what})` });

/** Each input's rule, with the message that says what is allowed. */
const rules: Record<string, z.ZodType> = {
    sortiment: text('a sortiment\'s brugervendtnoegle such as "Borgerblikket", or its uuid')
        .trim()
        .min(1, 'must not be empty; give a brugervendtnoegle such as "Borgerblikket" or a uuid')
        .max(MAX_TEXT, `must be at most ${MAX_TEXT} characters`)
        // eslint-disable-next-line no-control-regex -- control characters are what this rule refuses
        .refine((s) => !/[\u0000-\u001f<>{}\\]/.test(s), "must not contain control characters or <>{}\\"),
    itSystemInstans: text("the it-systeminstans uuid").refine(
        (s) => ANY_CASE_UUID_PATTERN.test(s),
        `must be a uuid such as ${KMD_OPUS_DEBITOR} (KMD Opus Debitor)`,
    ),
    skemaversion: text('e.g. "1.3"').refine(
        (s) => SKEMAVERSION_PATTERN.test(s),
        'must be a schema version written major.minor, e.g. "1.3" (task GB1.0 requires 1.3)',
    ),
    kommunekode: text('a kommunekode such as "0101"').refine(isKommunekode, KOMMUNEKODE_RULE),
    validFrom: text("a date YYYY-MM-DD")
        .refine(isCalendarDate, "must be a real date written YYYY-MM-DD (Gyldig fra)")
        .optional(),
    validTo: text("a date YYYY-MM-DD")
        .refine(isCalendarDate, "must be a real date written YYYY-MM-DD (Gyldig til), or left out")
        .optional(),
    onDestroy: z
        .enum(DESTROY_BEHAVIOURS as [DestroyBehaviour, ...DestroyBehaviour[]], {
            error: `must be one of ${DESTROY_BEHAVIOURS.map((b) => `"${b}"`).join(", ")}`,
        })
        .optional(),
    repairExisting: z.boolean({ error: "must be true or false" }).optional(),
    takeOver: z.boolean({ error: "must be true or false" }).optional(),
    managedBy: z.string().max(400).optional(),
    endpoint: text("the classification API's URL")
        .max(2000, "must be at most 2000 characters")
        .superRefine((s, ctx) => {
            const bad = endpointProblem(s);
            if (bad) ctx.addIssue({ code: "custom", message: bad.problem });
        })
        .optional(),
};

/** Inputs the provider sets itself; never offered to users. */
const INTERNAL = new Set(["managedBy", "validFromDefaulted", "plan", "existing", "__provider"]);
/** The inputs a program may set, as error messages list them. */
const USER_INPUTS = Object.keys(rules).filter((k) => !INTERNAL.has(k));
const REQUIRED = new Set(["sortiment", "itSystemInstans", "skemaversion", "kommunekode"]);

/** What a missing required input needs, beyond "is required". */
const MISSING: Record<string, string> = {
    kommunekode:
        "is required: the municipality the subscription belongs to. The root program takes it from the stack " +
        "config (pulumi config set kommune:kode 0101); a program of your own passes kommunekode or sets kommune:kode",
};

/**
 * Validates and normalises news. `olds` are the previous inputs (empty on create): a defaulted
 * validFrom keeps its first value, so a later `pulumi up` on another day shows no change.
 */
export function checkInputs(
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
    const failures: CheckFailure[] = unknownInputs(news);
    const out: Record<string, unknown> = { ...news };
    for (const [key, rule] of Object.entries(rules)) {
        const value = news[key];
        if (value === UNKNOWN_VALUE) continue;
        if ((value === null || value === undefined) && !REQUIRED.has(key)) {
            delete out[key];
            continue;
        }
        const parsed = rule.safeParse(value);
        if (parsed.success) out[key] = parsed.data;
        else failures.push(ruleFailure(key, value, parsed.error.issues[0].message));
    }
    normalise(out, olds);
    const order = validityOrderFailure(out);
    if (order) failures.push(order);
    return { inputs: out, failures };
}

/** Keys that are not inputs of the resource. */
function unknownInputs(news: Record<string, unknown>): CheckFailure[] {
    return Object.keys(news)
        .filter((key) => !(key in rules) && !INTERNAL.has(key))
        .map((key) => ({
            property: key.slice(0, 80),
            reason: `${key.length > 80 ? `${key.slice(0, 80)}…` : key} is not an input of SortimentSubscription; allowed: ${USER_INPUTS.join(", ")}`,
        }));
}

/** A value its rule refused (or a missing required one), named with the value shown safely. */
function ruleFailure(key: string, value: unknown, ruleMessage: string): CheckFailure {
    if (value === undefined || value === null)
        return { property: key, reason: `${key} ${MISSING[key] ?? "is required"}` };
    // showValue masks a credential in a URL (an endpoint may carry user:password): never echoed.
    return { property: key, reason: `${key} is ${show(value)}: ${ruleMessage}` };
}

/**
 * Lower-case uuids, the default onDestroy, and validFrom: a defaulted one keeps its first value
 * (from `olds`), so a later `pulumi up` on another day shows no change.
 */
function normalise(out: Record<string, unknown>, olds: Record<string, unknown>): void {
    if (typeof out.itSystemInstans === "string" && out.itSystemInstans !== UNKNOWN_VALUE)
        out.itSystemInstans = out.itSystemInstans.toLowerCase();
    if (typeof out.sortiment === "string" && ANY_CASE_UUID_PATTERN.test(out.sortiment))
        out.sortiment = out.sortiment.toLowerCase();
    out.onDestroy ??= "endDate";
    if (out.validFrom === undefined) {
        const previous = olds.validFrom;
        out.validFrom = typeof previous === "string" && previous !== UNKNOWN_VALUE ? previous : danishToday();
        out.validFromDefaulted = typeof previous === "string" ? olds.validFromDefaulted === true : true;
    } else if (out.validFrom !== UNKNOWN_VALUE) {
        out.validFromDefaulted = false;
    }
}

/** validTo before validFrom, when both are known dates. */
function validityOrderFailure(out: Record<string, unknown>): CheckFailure | undefined {
    const { validFrom, validTo } = out;
    const known = (v: unknown): v is string => typeof v === "string" && v !== UNKNOWN_VALUE && isCalendarDate(v);
    if (!known(validFrom) || !known(validTo) || validTo >= validFrom) return undefined;
    return { property: "validTo", reason: `validTo is "${validTo}": must not be before validFrom "${validFrom}"` };
}

export function isUnknown(v: unknown): boolean {
    return v === UNKNOWN_VALUE;
}
