import { ResourceValidationPolicy } from "@pulumi/policy";
import { endpointProblem } from "./rules";
import { isSubscription, isText } from "./match";
import { violation } from "./messages";

/**
 * The classification API must be reached over HTTPS; plain HTTP only to loopback (a local stand-in).
 *
 * @example
 * pulumi config set fk:endpoint https://klassifikation.example.dk
 */
export const httpsEndpointPolicy: ResourceValidationPolicy = {
    name: "fk-https-endpoint",
    description: "The classification API endpoint must use HTTPS (loopback excepted).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (!isSubscription(args.type)) return;
        const found: unknown = args.props.endpoint;
        if (!isText(found)) return;
        if (!endpointProblem(found)) return;
        reportViolation(
            violation({
                resource: args.name,
                field: "endpoint",
                found,
                expected:
                    "an https:// URL without credentials in it (plain http:// only to 127.0.0.1, ::1 or localhost)",
                fix: "Run `pulumi config set fk:endpoint https://...`.",
            }),
        );
    },
};
