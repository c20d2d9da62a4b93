import { ResourceValidationPolicy } from "@pulumi/policy";
import { isSubscription } from "./match";

/** An existing subscription as the provider's plan names it (provider/src/existing.ts). */
interface PlannedExisting {
    uuid?: string;
    skemaversion?: string;
    validFrom?: string;
    validTo?: string | null;
    oprettet?: string;
    oprettetAf?: string;
}

/**
 * Advisory: says, before anything is written, which subscriptions a repair will end. With
 * `repairExisting`, an active subscription with other values (made by hand, say with skemaversion 1.2)
 * is ended (Gyldig til = today, history kept) and the declared one created in the same `pulumi up`.
 * Set it to `mandatory` in the policy config to make every repair need a reviewed exception.
 *
 * @example
 * { "fk-repair-plan": "mandatory" } // a pipeline where no repair may run unattended
 */
export const repairPlanPolicy: ResourceValidationPolicy = {
    name: "fk-repair-plan",
    description: "Names the subscriptions a repair (repairExisting) will end before it creates the declared one.",
    enforcementLevel: "advisory",
    validateResource: (args, reportViolation) => {
        if (!isSubscription(args.type) || args.props.plan !== "repair") return;
        const existing = Array.isArray(args.props.existing) ? (args.props.existing as PlannedExisting[]) : [];
        const named = existing
            .map(
                (e) =>
                    `${e.uuid} (skemaversion ${e.skemaversion}, Gyldig fra ${e.validFrom}, ` +
                    `Gyldig til ${e.validTo ?? "(empty)"}; made by ${e.oprettetAf} on ${e.oprettet?.slice(0, 10)})`,
            )
            .join("; ");
        reportViolation(
            `SortimentSubscription "${args.name}": this update ends ${named || "the existing subscription"} ` +
                "(Gyldig til = today, history kept) and creates the declared one. Remove repairExisting to refuse instead.",
        );
    },
};
