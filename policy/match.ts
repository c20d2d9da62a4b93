// Recognising our resources. Every Node.js dynamic resource has a type under the
// `pulumi-nodejs:dynamic` prefix, so policies match the full type token of SortimentSubscription.
// Fixed values and patterns come from the provider's rules module, so a policy and the provider
// never judge the same value differently.
import { ANY_CASE_UUID_PATTERN, KMD_OPUS_DEBITOR, RESOURCE_TYPE_TOKEN } from "./rules";

export { KMD_OPUS_DEBITOR };

/** pulumi-nodejs:dynamic/fk-klassifikation:SortimentSubscription */
export const SUBSCRIPTION_TYPE = RESOURCE_TYPE_TOKEN;

/** A well-formed uuid, either case: the provider's own rule for itSystemInstans. */
export const UUID_PATTERN = ANY_CASE_UUID_PATTERN;

export function isSubscription(type: string): boolean {
    return type === SUBSCRIPTION_TYPE;
}

/**
 * A value given as text. A value not known until apply never reaches a policy's own code: the policy
 * SDK's proxy over `args.props` throws when such a property is read, and the engine then reports the
 * policy as not run during preview (advisory), and `up` judges the known value before it is used
 * (test/e2e/policy.test.ts shows this).
 */
export function isText(value: unknown): value is string {
    return typeof value === "string";
}
