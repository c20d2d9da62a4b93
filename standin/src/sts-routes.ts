// The routes of the stand-in's STS (sts.ts): the token route a system calls, and the admin routes
// that add and revoke service agreements and make the STS misbehave for tests.
import { z } from "zod";
import { json, Reply } from "./http-io";
import { parseOrProblem } from "./validation";
import { problems } from "./problems";
import type { Route } from "./route";
import { OAuthError, STS_ISSUE_PATH, stsSettingsSchema, TokenService } from "./sts";

const FINGERPRINT = "((?:[0-9A-F]{2}:){31}[0-9A-F]{2})";

/** An OAuth 2.0 error answer: `{ error, error_description }`. */
function oauthReply(err: OAuthError): Reply {
    return {
        status: err.status,
        body: { error: err.error, error_description: err.description },
        headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
    };
}

export function stsRoutes(sts: TokenService): Route[] {
    return [tokenRoute(sts), ...agreementRoutes(sts), ...stsControlRoutes(sts)];
}

/** The token route: client_credentials over mutual TLS. */
function tokenRoute(sts: TokenService): Route {
    return {
        method: "POST",
        pattern: new RegExp(`^${STS_ISSUE_PATH}$`),
        operation: "issueToken",
        authenticatesItself: true,
        handler: async (ctx) => {
            try {
                const answer = await sts.issue(ctx.req.socket, await ctx.form());
                const headers = { "Content-Type": answer.type, "Cache-Control": "no-store" };
                if (typeof answer.body === "string") return { status: answer.status, raw: answer.body, headers };
                return { status: answer.status, body: answer.body, headers };
            } catch (err) {
                if (err instanceof OAuthError) return oauthReply(err);
                throw err;
            }
        },
    };
}

/** Admin: add and revoke service agreements. */
function agreementRoutes(sts: TokenService): Route[] {
    const cvrPath = (raw: string) =>
        parseOrProblem(
            z.object({ cvr: z.string().regex(/^\d{8}$/, "a CVR number of eight digits") }),
            { cvr: raw },
            "query",
        ).cvr;
    return [
        {
            method: "PUT",
            pattern: new RegExp(`^/admin/serviceaftaler/${FINGERPRINT}/([^/]+)$`),
            operation: "admin.serviceaftale",
            admin: true,
            handler: (_ctx, [fingerprint, cvr]) => {
                sts.grant(fingerprint, cvrPath(cvr));
                return { status: 204 };
            },
        },
        {
            method: "DELETE",
            pattern: new RegExp(`^/admin/serviceaftaler/${FINGERPRINT}/([^/]+)$`),
            operation: "admin.serviceaftale",
            admin: true,
            handler: (_ctx, [fingerprint, cvr]) => {
                if (!sts.revoke(fingerprint, cvrPath(cvr)))
                    throw problems.notFound("Service agreement", `${fingerprint} for CVR ${cvr}`);
                return { status: 204 };
            },
        },
    ];
}

/** Admin: the STS's lifetime and answers, and its signing key. */
function stsControlRoutes(sts: TokenService): Route[] {
    return [
        {
            method: "PUT",
            pattern: /^\/admin\/sts$/,
            operation: "admin.sts",
            admin: true,
            handler: async (ctx) => {
                const settings = sts.configure(parseOrProblem(stsSettingsSchema, await ctx.body(), "body"));
                return json(200, { settings, issued: Object.fromEntries(sts.issued) });
            },
        },
        {
            method: "POST",
            pattern: /^\/admin\/sts\/rotate-key$/,
            operation: "admin.sts",
            admin: true,
            handler: () => {
                sts.rotateKey();
                return { status: 204 };
            },
        },
        {
            method: "GET",
            pattern: /^\/admin\/sts$/,
            operation: "admin.sts",
            admin: true,
            handler: () => json(200, { settings: sts.current(), issued: Object.fromEntries(sts.issued) }),
        },
    ];
}
