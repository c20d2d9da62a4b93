import { ResourceValidationPolicy } from "@pulumi/policy";
import { isKommunekode, KOMMUNEKODE_RULE } from "./rules";
import { isSubscription } from "./match";
import { violation } from "./messages";

/**
 * The subscription must name the municipality it belongs to by one of the 98 kommunekoder, so a stack
 * can never be run for a municipality that does not exist (the provider also refuses to write when the
 * credentials act for another municipality than this one).
 *
 * @example
 * pulumi config set kommune:kode 0101   # København; the root program passes it as kommunekode
 */
export const kommunekodePolicy: ResourceValidationPolicy = {
    name: "fk-kommunekode",
    description: "The subscription's kommunekode must be one of Denmark's 98 municipalities (four digits, e.g. 0101).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (!isSubscription(args.type)) return;
        const found: unknown = args.props.kommunekode;
        if (isKommunekode(found)) return;
        reportViolation(
            violation({
                resource: args.name,
                field: "kommunekode",
                found,
                expected: KOMMUNEKODE_RULE.replace(/^must be /, ""),
                fix: "Run `pulumi config set kommune:kode <kommunekode>` with your municipality's code (the root program passes it on).",
            }),
        );
    },
};
