import { ResourceValidationPolicy } from "@pulumi/policy";
import { isSubscription, isText, KMD_OPUS_DEBITOR, UUID_PATTERN } from "./match";
import { violation } from "./messages";

/**
 * The subscribing it-systeminstans must be a well-formed uuid.
 *
 * @example
 * itSystemInstans: "362ebac2-761b-4a44-abc6-679f2d5615ce" // KMD Opus Debitor
 */
export const itSystemUuidPolicy: ResourceValidationPolicy = {
    name: "fk-it-systeminstans-uuid",
    description: "The subscribing it-systeminstans must be a well-formed uuid.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (!isSubscription(args.type)) return;
        const found: unknown = args.props.itSystemInstans;
        if (isText(found) && UUID_PATTERN.test(found)) return;
        reportViolation(
            violation({
                resource: args.name,
                field: "itSystemInstans",
                found,
                expected: `a uuid such as ${KMD_OPUS_DEBITOR}`,
                fix: 'Copy the it-systeminstans uuid from FK Klassifikation (filter "alle").',
            }),
        );
    },
};

/** Config of {@link knownDebtorSystemPolicy}. */
export interface KnownDebtorSystemConfig {
    /** Uuids of the debtor systems the organisation expects. @default KMD Opus Debitor */
    knownSystems: string[];
}

/**
 * Advisory: the subscribing system should be one of the organisation's known debtor systems
 * (by default KMD Opus Debitor), to catch a uuid pasted from the wrong row.
 *
 * @example
 * { "fk-known-debtor-system": { "enforcementLevel": "mandatory",
 *   "knownSystems": ["362ebac2-761b-4a44-abc6-679f2d5615ce"] } }
 */
export const knownDebtorSystemPolicy: ResourceValidationPolicy = {
    name: "fk-known-debtor-system",
    description: "The subscribing it-systeminstans should be a known debtor system (default: KMD Opus Debitor).",
    enforcementLevel: "advisory",
    configSchema: {
        properties: {
            knownSystems: {
                type: "array",
                items: { type: "string", pattern: UUID_PATTERN.source },
                minItems: 1,
                default: [KMD_OPUS_DEBITOR],
            },
        },
    },
    validateResource: (args, reportViolation) => {
        if (!isSubscription(args.type)) return;
        const found: unknown = args.props.itSystemInstans;
        if (!isText(found) || !UUID_PATTERN.test(found)) return;
        const { knownSystems } = args.getConfig<KnownDebtorSystemConfig>();
        if (knownSystems.map((s) => s.toLowerCase()).includes(found.toLowerCase())) return;
        reportViolation(
            violation({
                resource: args.name,
                field: "itSystemInstans",
                found,
                expected: `one of the known debtor systems (${knownSystems.join(", ")})`,
                fix: "Check the uuid in FK Klassifikation, or add it to knownSystems in the policy config.",
            }),
        );
    },
};
