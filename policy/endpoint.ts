import { ResourceValidationPolicy } from "@pulumi/policy";
import { isSubscription, known } from "./match";
import { violation } from "./messages";

function isLoopback(hostname: string): boolean {
    const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
    return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

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
        const found = args.props.endpoint;
        if (!known(found)) return;
        let url: URL | undefined;
        try {
            url = new URL(found);
        } catch {
            url = undefined;
        }
        if (url && (url.protocol === "https:" || (url.protocol === "http:" && isLoopback(url.hostname)))) return;
        reportViolation(violation({
            resource: args.name,
            field: "endpoint",
            found,
            expected: "an https:// URL (plain http:// only to 127.0.0.1, ::1 or localhost)",
            fix: "Run `pulumi config set fk:endpoint https://...`.",
        }));
    },
};
