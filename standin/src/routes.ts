// The stand-in's routes: which handler answers which method and path, and what it does with the
// service. Authentication and HTTP input/output live in auth.ts and http-io.ts; dispatch in server.ts.
import { z } from "zod";
import { FaultInjector } from "./faults";
import { json, header, Reply, RequestContext } from "./http-io";
import { problems } from "./problems";
import { kommunekodeSchema } from "./seed";
import { Actor, etagOf, SubscriptionService } from "./service";
import { Store } from "./store";
import { Clock } from "./time";
import { dateSchema, opretSchema, parseOrProblem, retSchema, soegQuerySchema, uuidSchema } from "./validation";

export interface Route {
    method: string;
    pattern: RegExp;
    operation: string;
    admin?: boolean;
    write?: boolean;
    /** The route checks its caller itself (the STS's token route): no municipality's credentials needed. */
    authenticatesItself?: boolean;
    handler: (ctx: RequestContext, params: string[]) => Promise<Reply> | Reply;
}

/** Counts of requests per operation and status. */
export interface OperationStats {
    total: number;
    byStatus: Record<string, number>;
}

/** What the handlers work on. */
export interface RouteDeps {
    store: Store;
    service: SubscriptionService;
    faults: FaultInjector;
    clock: Clock;
    /** The municipality's name by kommunekode. */
    kommuneNavn: (kommunekode: string) => string | undefined;
    stats: { current(): Record<string, OperationStats>; reset(): void };
}

const API = "/api/v1";
const UUID = "([^/]+)";

function pathUuid(raw: string): string {
    return parseOrProblem(z.object({ uuid: uuidSchema }), { uuid: decodeURIComponent(raw) }, "query").uuid;
}

function kommuneOf(ctx: RequestContext): Actor & { kind: "kommune" } {
    if (ctx.actor?.kind !== "kommune") throw problems.unauthorized("this operation acts for a municipality");
    return ctx.actor;
}

/** Every route of the stand-in. */
export function allRoutes(deps: RouteDeps): Route[] {
    return [
        ...referenceRoutes(deps),
        ...abonnementReadRoutes(deps),
        ...abonnementWriteRoutes(deps),
        ...adminDataRoutes(deps),
        ...adminNoteRoutes(deps),
        ...adminControlRoutes(deps),
        ...clockAndHealthRoutes(deps),
    ];
}

/** Whom the credentials act for, and the reference data: sortimenter and it-systeminstanser. */
function referenceRoutes({ store, kommuneNavn }: RouteDeps): Route[] {
    return [
        {
            method: "GET",
            pattern: new RegExp(`^${API}/myndighed$`),
            operation: "laesMyndighed",
            handler: (ctx) => {
                const { kommunekode } = kommuneOf(ctx);
                return json(200, { kommunekode, navn: kommuneNavn(kommunekode) ?? kommunekode });
            },
        },
        {
            method: "GET",
            pattern: new RegExp(`^${API}/sortimenter$`),
            operation: "soegSortiment",
            handler: (ctx) => {
                const q = parseOrProblem(
                    z.object({ brugervendtnoegle: z.string().max(200).optional() }).strict(),
                    Object.fromEntries(ctx.url.searchParams),
                    "query",
                );
                return json(200, { items: store.searchSortimenter(q.brugervendtnoegle) });
            },
        },
        {
            method: "GET",
            pattern: new RegExp(`^${API}/sortimenter/${UUID}$`),
            operation: "laesSortiment",
            handler: (_ctx, [id]) => {
                const uuid = pathUuid(id);
                const s = store.getSortiment(uuid);
                if (!s) throw problems.notFound("Sortiment", uuid);
                return json(200, s);
            },
        },
        {
            method: "GET",
            pattern: new RegExp(`^${API}/it-systeminstanser/${UUID}$`),
            operation: "laesItSystemInstans",
            handler: (_ctx, [id]) => {
                const uuid = pathUuid(id);
                const i = store.getItSystemInstans(uuid);
                if (!i) throw problems.notFound("It-systeminstans", uuid);
                return json(200, i);
            },
        },
    ];
}

/** The subscriptions, as a municipality reads them: Soeg, Laes. */
function abonnementReadRoutes({ service }: RouteDeps): Route[] {
    return [
        {
            method: "GET",
            pattern: new RegExp(`^${API}/abonnementer$`),
            operation: "soegAbonnement",
            handler: (ctx) => {
                const q = parseOrProblem(soegQuerySchema, Object.fromEntries(ctx.url.searchParams), "query");
                const { foersteresultat, maksimalantalresultater, aktiv, ...filter } = q;
                return json(
                    200,
                    service.soeg(
                        kommuneOf(ctx),
                        { ...filter, aktiv: aktiv === "true" },
                        Number(foersteresultat ?? 0),
                        Number(maksimalantalresultater ?? 100),
                    ),
                );
            },
        },
        {
            method: "GET",
            pattern: new RegExp(`^${API}/abonnementer/${UUID}$`),
            operation: "laesAbonnement",
            handler: (ctx, [id]) => {
                const a = service.laes(kommuneOf(ctx), pathUuid(id));
                return json(200, a, { ETag: etagOf(a) });
            },
        },
    ];
}

/** The subscriptions, as a municipality changes them: Opret, Ret, Slet, Passiver. */
function abonnementWriteRoutes({ service }: RouteDeps): Route[] {
    return [
        {
            method: "POST",
            pattern: new RegExp(`^${API}/abonnementer$`),
            operation: "opretAbonnement",
            write: true,
            handler: async (ctx) => {
                const actor = kommuneOf(ctx);
                const input = parseOrProblem(opretSchema, await ctx.body(), "body");
                const created = service.opret(actor, actor.kommunekode, input);
                return json(201, created, { ETag: etagOf(created), Location: `${API}/abonnementer/${created.uuid}` });
            },
        },
        {
            method: "PATCH",
            pattern: new RegExp(`^${API}/abonnementer/${UUID}$`),
            operation: "retAbonnement",
            write: true,
            handler: async (ctx, [id]) => {
                const actor = kommuneOf(ctx);
                const uuid = pathUuid(id);
                const input = parseOrProblem(retSchema, await ctx.body(), "body");
                const change = { ...(input.virkning ? { to: input.virkning.to } : {}), note: input.note };
                const a = service.ret(actor, uuid, change, header(ctx.req, "if-match"));
                return json(200, a, { ETag: etagOf(a) });
            },
        },
        {
            method: "DELETE",
            pattern: new RegExp(`^${API}/abonnementer/${UUID}$`),
            operation: "sletAbonnement",
            write: true,
            handler: (ctx, [id]) => {
                service.slet(kommuneOf(ctx), pathUuid(id), header(ctx.req, "if-match"));
                return { status: 204 };
            },
        },
        {
            method: "POST",
            pattern: new RegExp(`^${API}/abonnementer/${UUID}/passiver$`),
            operation: "passiverAbonnement",
            write: true,
            handler: (ctx, [id]) => {
                const a = service.passiver(kommuneOf(ctx), pathUuid(id), header(ctx.req, "if-match"));
                return json(200, a, { ETag: etagOf(a) });
            },
        },
    ];
}

/** Admin: a subscription's note changed out of band, as a person editing it in the web UI would. */
function adminNoteRoutes({ service }: RouteDeps): Route[] {
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
function adminDataRoutes({ service }: RouteDeps): Route[] {
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
function adminControlRoutes({ faults, stats }: RouteDeps): Route[] {
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
function clockAndHealthRoutes({ clock }: RouteDeps): Route[] {
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
