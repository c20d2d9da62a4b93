// The contract's API (contract/openapi.yaml): whom the credentials act for, the reference data, and
// reading and writing subscriptions, each handler a few lines over the service.
import { z } from "zod";
import { header, json } from "./http-io";
import { problems } from "./problems";
import { API, kommuneOf, pathUuid, Route, RouteDeps, UUID } from "./route";
import { etagOf } from "./service";
import { opretSchema, parseOrProblem, retSchema, soegQuerySchema } from "./validation";
/** Whom the credentials act for, and the reference data: sortimenter and it-systeminstanser. */
export function referenceRoutes({ store, kommuneNavn }: RouteDeps): Route[] {
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
export function abonnementReadRoutes({ service }: RouteDeps): Route[] {
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
export function abonnementWriteRoutes({ service }: RouteDeps): Route[] {
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
