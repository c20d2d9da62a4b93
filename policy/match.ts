// Recognising our resources. Every Node.js dynamic resource has a type under the
// `pulumi-nodejs:dynamic` prefix, so policies match the full type token of SortimentSubscription.

/** pulumi-nodejs:dynamic/fk-klassifikation:SortimentSubscription */
export const SUBSCRIPTION_TYPE = "pulumi-nodejs:dynamic/fk-klassifikation:SortimentSubscription";

/** KMD Opus Debitor, the debtor system of task GB1.0. */
export const KMD_OPUS_DEBITOR = "362ebac2-761b-4a44-abc6-679f2d5615ce";

export const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** The value the engine uses for inputs not known until apply. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isSubscription(type: string): boolean {
    return type === SUBSCRIPTION_TYPE;
}

/** A value a policy can judge: present and known. */
export function known(value: unknown): value is string {
    return typeof value === "string" && value !== UNKNOWN;
}
