import { ResourceValidationPolicy } from "@pulumi/policy";
import { isSubscription } from "./match";
import { violation } from "./messages";
import { REQUIRED_SKEMAVERSION } from "./rules";

/** Config of {@link skemaversionPolicy}. */
export interface SkemaversionConfig {
    /** Schema versions a subscription may use. @default ["1.3"] */
    allowedVersions: string[];
}

/**
 * Subscriptions must be delivered in an allowed schema version: 1.3, as task GB1.0 requires.
 *
 * @example
 * // Pulumi policy config, e.g. policy-config.json given with --policy-pack-config:
 * { "fk-skemaversion": { "allowedVersions": ["1.3", "1.4"] } }
 */
export const skemaversionPolicy: ResourceValidationPolicy = {
    name: "fk-skemaversion",
    description: "A sortiment subscription must use an allowed schema version (task GB1.0: 1.3).",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowedVersions: {
                type: "array",
                items: { type: "string", pattern: "^[0-9]+\\.[0-9]+$" },
                minItems: 1,
                default: [REQUIRED_SKEMAVERSION],
            },
        },
    },
    validateResource: (args, reportViolation) => {
        if (!isSubscription(args.type)) return;
        const { allowedVersions } = args.getConfig<SkemaversionConfig>();
        const found: unknown = args.props.skemaversion;
        if (typeof found !== "string" || !allowedVersions.includes(found)) {
            reportViolation(
                violation({
                    resource: args.name,
                    field: "skemaversion",
                    found,
                    expected: allowedVersions.map((v) => `"${v}"`).join(" or "),
                    fix: `Set skemaversion: "${allowedVersions[allowedVersions.length - 1]}" in the program.`,
                }),
            );
        }
    },
};
