import { StackValidationPolicy } from "@pulumi/policy";
import { isSubscription, isText } from "./match";

/**
 * No two subscriptions in one stack for the same sortiment and subscribing system: the
 * classification system allows only one active subscription per pair, so the second would fail
 * or fight the first.
 *
 * @example
 * // violates: two resources, same sortiment and itSystemInstans
 * new SortimentSubscription("a", gb10Subscription);
 * new SortimentSubscription("b", gb10Subscription);
 */
export const uniqueSubscriptionPolicy: StackValidationPolicy = {
    name: "fk-unique-subscription",
    description: "A stack must not declare two subscriptions with the same sortiment and it-systeminstans.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const seen = new Map<string, string>();
        for (const r of args.resources) {
            if (!isSubscription(r.type)) continue;
            const sortiment: unknown = isText(r.props.sortimentUuid) ? r.props.sortimentUuid : r.props.sortiment;
            const system: unknown = r.props.itSystemInstans;
            if (!isText(sortiment) || !isText(system)) continue;
            const key = `${sortiment.toLowerCase()}|${system.toLowerCase()}`;
            const first = seen.get(key);
            if (first === undefined) {
                seen.set(key, r.name);
                continue;
            }
            // Names in sorted order: the engine registers resources in no fixed order.
            const [a, b] = [first, r.name].sort();
            reportViolation(
                `SortimentSubscription "${a}" and "${b}" both subscribe it-systeminstans ${system} to sortiment ` +
                    `"${sortiment}"; expected one subscription per pair. Remove one of them from the program.`,
                r.urn,
            );
        }
    },
};
