import { ResourceValidationPolicy } from "@pulumi/policy";
import { addDays, BORGERBLIKKET, danishToday } from "./rules";
import { isSubscription, isText } from "./match";
import { violation } from "./messages";

/** Today's date in Danish time (Europe/Copenhagen): the provider's own rule for "dags dato". */
export { danishToday };

/** Config of {@link validFromWindowPolicy}. */
export interface ValidFromWindowConfig {
    /** How many days in the past an explicit validFrom may lie. @default 7 */
    pastToleranceDays: number;
    /** How many days ahead validFrom may lie. @default 31 */
    maxDaysAhead: number;
}

/**
 * An explicit validFrom (Gyldig fra) must lie within a window around today: not further in the past
 * than a tolerance, and not too far ahead. A validFrom left out defaults to today (fixed when the
 * subscription is created) and always passes, and so does an existing subscription that is adopted
 * (the provider's plan `adopt`).
 *
 * @example
 * { "fk-valid-from-window": { "pastToleranceDays": 400 } } // e.g. to adopt an older subscription
 */
export const validFromWindowPolicy: ResourceValidationPolicy = {
    name: "fk-valid-from-window",
    description: "validFrom (Gyldig fra) must not lie in the past beyond a tolerance, nor too far ahead.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            pastToleranceDays: { type: "integer", minimum: 0, default: 7 },
            maxDaysAhead: { type: "integer", minimum: 0, default: 31 },
        },
    },
    validateResource: (args, reportViolation) => {
        if (!isSubscription(args.type)) return;
        const found: unknown = args.props.validFrom;
        if (args.props.validFromDefaulted === true || !isText(found)) return;
        // The window judges what a new subscription would get: an existing one adopted as it is keeps
        // its own Gyldig fra, however long ago it was made.
        if (args.props.plan === "adopt") return;
        const { pastToleranceDays, maxDaysAhead } = args.getConfig<ValidFromWindowConfig>();
        const today = danishToday();
        const earliest = addDays(today, -pastToleranceDays);
        const latest = addDays(today, maxDaysAhead);
        if (found < earliest || found > latest) {
            reportViolation(
                violation({
                    resource: args.name,
                    field: "validFrom",
                    found,
                    expected: `a date from ${earliest} to ${latest} (today ${today}, ${pastToleranceDays} day(s) back, ${maxDaysAhead} ahead)`,
                    fix: 'Remove validFrom to start today ("dags dato"), or set a date inside the window.',
                }),
            );
        }
    },
};

/**
 * Advisory: for the Borgerblikket sortiment, task GB1.0 leaves Gyldig til empty.
 *
 * @example
 * new SortimentSubscription("borgerblikket", { ...gb10Subscription }) // no validTo
 */
export const validToEmptyPolicy: ResourceValidationPolicy = {
    name: "fk-valid-to-empty",
    description: "Borgerblikket subscriptions should have no validTo (Gyldig til is left empty in task GB1.0).",
    enforcementLevel: "advisory",
    validateResource: (args, reportViolation) => {
        if (!isSubscription(args.type)) return;
        const sortiment: unknown = args.props.sortimentNavn ?? args.props.sortiment;
        if (!isText(sortiment) || sortiment.toLowerCase() !== BORGERBLIKKET.toLowerCase()) return;
        const found: unknown = args.props.validTo;
        if (found === undefined || found === null) return;
        reportViolation(
            violation({
                resource: args.name,
                field: "validTo",
                found,
                expected: "no value (Gyldig til left empty)",
                fix: "Remove validTo unless the municipality really means to end the Borgerblikket subscription.",
            }),
        );
    },
};
