// The stand-in's control API for tests and demos, under /admin with the admin token: data changed out
// of band (as someone in the web UI would), faults, statistics, the clock, and health.
import { z } from "zod";
import { json } from "./http-io";
import { problems } from "./problems";
import { pathUuid, Route, RouteDeps, UUID } from "./route";
import { kommunekodeSchema } from "./seed";
import { dateSchema, opretSchema, parseOrProblem } from "./validation";
/** Admin: a subscription's note changed out of band, as a person editing it in the web UI would. */
export function adminNoteRoutes({ service }: RouteDeps): Route[] {
    return [
        {
            method: "POST",
            pattern: new RegExp(`^/admin/abonnementer/${UUID}/note$`),
            operation: "admin.note",
            admin: true,
            handler: async (ctx, [id]) => {
                const input = parseOrProblem(
                    z.object({ note: z.string().max(500) }).strict(),
                    await ctx.body(),
                    "body",
                );
                return json(200, service.ret({ kind: "admin" }, pathUuid(id), { note: input.note }, undefined, false));
            },
        },
    ];
}

/** Admin: subscriptions changed out of band (as someone in the web UI would), for demos and tests. */
export function adminDataRoutes({ service }: RouteDeps): Route[] {
    return [
        {
            method: "GET",
            pattern: /^\/admin\/abonnementer$/,
            operation: "admin.list",
            admin: true,
            handler: (ctx) => json(200, { items: service.all(ctx.url.searchParams.get("kommunekode") ?? undefined) }),
        },
        {
            method: "POST",
            pattern: /^\/admin\/abonnementer$/,
            operation: "admin.opret",
            admin: true,
            handler: async (ctx) => {
                const body = await ctx.body();
                const input = parseOrProblem(opretSchema.extend({ kommunekode: kommunekodeSchema }), body, "body");
                const { kommunekode, ...rest } = input;
                return json(201, service.opret({ kind: "admin" }, kommunekode, rest));
            },
        },
        {
            method: "POST",
            pattern: new RegExp(`^/admin/abonnementer/${UUID}/afslut$`),
            operation: "admin.afslut",
            admin: true,
            handler: async (ctx, [id]) => {
                const input = parseOrProblem(z.object({ to: dateSchema }).strict(), await ctx.body(), "body");
                return json(200, service.ret({ kind: "admin" }, pathUuid(id), { to: input.to }, undefined, false));
            },
        },
        {
            method: "POST",
            pattern: new RegExp(`^/admin/abonnementer/${UUID}/passiver$`),
            operation: "admin.passiver",
            admin: true,
            handler: (_ctx, [id]) => json(200, service.passiver({ kind: "admin" }, pathUuid(id), undefined)),
        },
        {
            method: "DELETE",
            pattern: new RegExp(`^/admin/abonnementer/${UUID}$`),
            operation: "admin.slet",
            admin: true,
            handler: (_ctx, [id]) => {
                service.slet({ kind: "admin" }, pathUuid(id), undefined);
                return { status: 204 };
            },
        },
    ];
}

/** Admin: fault injection and statistics. */
export function adminControlRoutes({ faults, stats }: RouteDeps): Route[] {
    return [
        {
            method: "GET",
            pattern: /^\/admin\/faults$/,
            operation: "admin.faults",
            admin: true,
            handler: () => json(200, { settings: faults.current(), injected: faults.injected }),
        },
        {
            method: "PUT",
            pattern: /^\/admin\/faults$/,
            operation: "admin.faults",
            admin: true,
            handler: async (ctx) => {
                const body = await ctx.body();
                try {
                    return json(200, { settings: faults.configure(body) });
                } catch (err) {
                    if (err instanceof z.ZodError) throw problems.badRequest(`invalid fault settings: ${err.message}`);
                    throw err;
                }
            },
        },
        {
            method: "GET",
            pattern: /^\/admin\/stats$/,
            operation: "admin.stats",
            admin: true,
            handler: () => json(200, { operations: stats.current(), faults: faults.injected }),
        },
        {
            method: "DELETE",
            pattern: /^\/admin\/stats$/,
            operation: "admin.stats",
            admin: true,
            handler: () => {
                stats.reset();
                return { status: 204 };
            },
        },
    ];
}

/** Admin: the clock; and the health check. */
export function clockAndHealthRoutes({ clock }: RouteDeps): Route[] {
    return [
        {
            method: "PUT",
            pattern: /^\/admin\/clock$/,
            operation: "admin.clock",
            admin: true,
            handler: async (ctx) => {
                const input = parseOrProblem(
                    z.object({ offsetSeconds: z.number().int() }).strict(),
                    await ctx.body(),
                    "body",
                );
                clock.setOffsetSeconds(input.offsetSeconds);
                return json(200, {
                    offsetSeconds: clock.offsetSeconds,
                    now: clock.now().toISOString(),
                    today: clock.today(),
                });
            },
        },
        {
            method: "GET",
            pattern: /^\/healthz$/,
            operation: "health",
            handler: () => json(200, { status: "ok" }),
        },
    ];
}
