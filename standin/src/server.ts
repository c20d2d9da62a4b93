// The stand-in's HTTP(S) server: routing, authentication, fault injection, request log.
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import { AddressInfo } from "node:net";
import { TLSSocket } from "node:tls";
import { z } from "zod";
import { FaultInjector, FaultSettings } from "./faults";
import { ProblemError, problems } from "./problems";
import { defaultSeed, kommunekodeSchema, mergeSeeds, SeedFile, seedFileSchema, sha256Hex, Tenant } from "./seed";
import { Actor, etagOf, SubscriptionService } from "./service";
import { Store } from "./store";
import { Clock } from "./time";
import { dateSchema, opretSchema, parseOrProblem, retSchema, soegQuerySchema, uuidSchema } from "./validation";

/** TLS settings; with `clientCa`, client certificates signed by it identify municipalities. */
export interface StandinTlsOptions {
    /** Server certificate (PEM). */
    cert: string | Buffer;
    /** Server private key (PEM). */
    key: string | Buffer;
    /** CA (PEM) that signs accepted client certificates. */
    clientCa?: string | Buffer;
    /**
     * Refuse the TLS handshake without a client certificate signed by `clientCa`.
     * @default false (bearer tokens are accepted too)
     */
    requireClientCertificate?: boolean;
}

/** One line of the request log. Never holds credentials. */
export interface RequestLogEntry {
    time: string;
    method: string;
    path: string;
    operation: string;
    status: number | "dropped";
    kommunekode?: string;
    durationMs: number;
    fault?: string;
}

export interface StandinOptions {
    /** @default "127.0.0.1" */
    host?: string;
    /** 0 picks a free port. @default 0 */
    port?: number;
    /** SQLite file; data survives restarts. @default ":memory:" */
    dbPath?: string;
    /** Added to the built-in seed (Borgerblikket, KMD Opus Debitor). */
    seed?: Partial<SeedFile>;
    /** Time from creation until the sortiment counts as delivered. @default 86400 (a day, as in reality) */
    deliveryDelaySeconds?: number;
    /** Bearer token of the admin routes (/admin/...). @default undefined: admin routes answer 404 */
    adminToken?: string;
    tls?: StandinTlsOptions;
    /** Initial fault injection. @default no faults */
    faults?: Partial<FaultSettings>;
    /** Receives every request log entry. @default none */
    log?: (entry: RequestLogEntry) => void;
    /** Largest accepted request body in bytes. @default 65536 */
    maxBodyBytes?: number;
}

export interface OperationStats {
    total: number;
    byStatus: Record<string, number>;
}

export interface RunningStandin {
    /** Base URL, e.g. http://127.0.0.1:41234 (the API lives under /api/v1). */
    url: string;
    port: number;
    faults: FaultInjector;
    clock: Clock;
    service: SubscriptionService;
    /** Request counts per operation since start or the last reset. */
    stats(): Record<string, OperationStats>;
    resetStats(): void;
    close(): Promise<void>;
}

interface Route {
    method: string;
    pattern: RegExp;
    operation: string;
    admin?: boolean;
    write?: boolean;
    handler: (ctx: RequestContext, params: string[]) => Promise<Reply> | Reply;
}

interface RequestContext {
    req: http.IncomingMessage;
    url: URL;
    actor?: Actor;
    body: () => Promise<unknown>;
}

interface Reply {
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
}

const API = "/api/v1";
const UUID = "([^/]+)";

function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
    return { status, body, headers };
}

function pathUuid(raw: string): string {
    return parseOrProblem(z.object({ uuid: uuidSchema }), { uuid: decodeURIComponent(raw) }, "query").uuid;
}

function kommuneOf(ctx: RequestContext): Actor & { kind: "kommune" } {
    if (ctx.actor?.kind !== "kommune") throw problems.unauthorized("this operation acts for a municipality");
    return ctx.actor;
}

export async function startStandin(options: StandinOptions = {}): Promise<RunningStandin> {
    const seed = mergeSeeds(defaultSeed, seedFileSchema.parse(options.seed ?? {}));
    const store = new Store(options.dbPath ?? ":memory:");
    for (const s of seed.sortimenter) store.upsertSortiment(s);
    for (const i of seed.itSystemInstanser) store.upsertItSystemInstans(i);

    const tenantNames = new Map<string, string>(seed.tenants.map((t) => [t.kommunekode, t.navn]));
    const byToken = new Map<string, Tenant>();
    const byFingerprint = new Map<string, Tenant>();
    for (const t of seed.tenants) {
        for (const h of t.tokenSha256) byToken.set(h, t);
        for (const f of t.certificateFingerprints) byFingerprint.set(f, t);
    }

    const clock = new Clock();
    const service = new SubscriptionService(store, clock, (options.deliveryDelaySeconds ?? 86_400) * 1000);
    const faults = new FaultInjector();
    faults.configure(options.faults ?? {});
    const maxBody = options.maxBodyBytes ?? 65_536;
    let stats: Record<string, OperationStats> = {};

    const routes: Route[] = [
        {
            method: "GET", pattern: new RegExp(`^${API}/myndighed$`), operation: "laesMyndighed",
            handler: (ctx) => {
                const { kommunekode } = kommuneOf(ctx);
                return json(200, { kommunekode, navn: tenantNames.get(kommunekode) ?? kommunekode });
            },
        },
        {
            method: "GET", pattern: new RegExp(`^${API}/sortimenter$`), operation: "soegSortiment",
            handler: (ctx) => {
                const q = parseOrProblem(z.object({ brugervendtnoegle: z.string().max(200).optional() }).strict(),
                    Object.fromEntries(ctx.url.searchParams), "query");
                return json(200, { items: store.findSortimenter(q.brugervendtnoegle) });
            },
        },
        {
            method: "GET", pattern: new RegExp(`^${API}/sortimenter/${UUID}$`), operation: "laesSortiment",
            handler: (_ctx, [id]) => {
                const uuid = pathUuid(id);
                const s = store.getSortiment(uuid);
                if (!s) throw problems.notFound("Sortiment", uuid);
                return json(200, s);
            },
        },
        {
            method: "GET", pattern: new RegExp(`^${API}/it-systeminstanser/${UUID}$`), operation: "laesItSystemInstans",
            handler: (_ctx, [id]) => {
                const uuid = pathUuid(id);
                const i = store.getItSystemInstans(uuid);
                if (!i) throw problems.notFound("It-systeminstans", uuid);
                return json(200, i);
            },
        },
        {
            method: "POST", pattern: new RegExp(`^${API}/abonnementer$`), operation: "opretAbonnement", write: true,
            handler: async (ctx) => {
                const actor = kommuneOf(ctx);
                const input = parseOrProblem(opretSchema, await ctx.body(), "body");
                const created = service.opret(actor, actor.kommunekode, input);
                return json(201, created, { ETag: etagOf(created), Location: `${API}/abonnementer/${created.uuid}` });
            },
        },
        {
            method: "GET", pattern: new RegExp(`^${API}/abonnementer$`), operation: "soegAbonnement",
            handler: (ctx) => {
                const q = parseOrProblem(soegQuerySchema, Object.fromEntries(ctx.url.searchParams), "query");
                const { foersteresultat, maksimalantalresultater, aktiv, ...filter } = q;
                return json(200, service.soeg(kommuneOf(ctx), { ...filter, aktiv: aktiv === "true" },
                    Number(foersteresultat ?? 0), Number(maksimalantalresultater ?? 100)));
            },
        },
        {
            method: "GET", pattern: new RegExp(`^${API}/abonnementer/${UUID}$`), operation: "laesAbonnement",
            handler: (ctx, [id]) => {
                const a = service.laes(kommuneOf(ctx), pathUuid(id));
                return json(200, a, { ETag: etagOf(a) });
            },
        },
        {
            method: "PATCH", pattern: new RegExp(`^${API}/abonnementer/${UUID}$`), operation: "retAbonnement", write: true,
            handler: async (ctx, [id]) => {
                const actor = kommuneOf(ctx);
                const uuid = pathUuid(id);
                const input = parseOrProblem(retSchema, await ctx.body(), "body");
                const a = service.ret(actor, uuid, input.virkning.to, header(ctx.req, "if-match"));
                return json(200, a, { ETag: etagOf(a) });
            },
        },
        {
            method: "DELETE", pattern: new RegExp(`^${API}/abonnementer/${UUID}$`), operation: "sletAbonnement", write: true,
            handler: (ctx, [id]) => {
                service.slet(kommuneOf(ctx), pathUuid(id), header(ctx.req, "if-match"));
                return { status: 204 };
            },
        },
        {
            method: "POST", pattern: new RegExp(`^${API}/abonnementer/${UUID}/passiver$`), operation: "passiverAbonnement", write: true,
            handler: (ctx, [id]) => {
                const a = service.passiver(kommuneOf(ctx), pathUuid(id), header(ctx.req, "if-match"));
                return json(200, a, { ETag: etagOf(a) });
            },
        },
        // Admin routes: out-of-band changes and inspection, for demos and tests.
        {
            method: "GET", pattern: /^\/admin\/abonnementer$/, operation: "admin.list", admin: true,
            handler: (ctx) => json(200, { items: service.all(ctx.url.searchParams.get("kommunekode") ?? undefined) }),
        },
        {
            method: "POST", pattern: /^\/admin\/abonnementer$/, operation: "admin.opret", admin: true,
            handler: async (ctx) => {
                const body = await ctx.body();
                const input = parseOrProblem(opretSchema.extend({ kommunekode: kommunekodeSchema }), body, "body");
                const { kommunekode, ...rest } = input;
                return json(201, service.opret({ kind: "admin" }, kommunekode, rest));
            },
        },
        {
            method: "POST", pattern: new RegExp(`^/admin/abonnementer/${UUID}/afslut$`), operation: "admin.afslut", admin: true,
            handler: async (ctx, [id]) => {
                const input = parseOrProblem(z.object({ to: dateSchema }).strict(), await ctx.body(), "body");
                return json(200, service.ret({ kind: "admin" }, pathUuid(id), input.to, undefined, false));
            },
        },
        {
            method: "POST", pattern: new RegExp(`^/admin/abonnementer/${UUID}/passiver$`), operation: "admin.passiver", admin: true,
            handler: (_ctx, [id]) => json(200, service.passiver({ kind: "admin" }, pathUuid(id), undefined)),
        },
        {
            method: "DELETE", pattern: new RegExp(`^/admin/abonnementer/${UUID}$`), operation: "admin.slet", admin: true,
            handler: (_ctx, [id]) => {
                service.slet({ kind: "admin" }, pathUuid(id), undefined);
                return { status: 204 };
            },
        },
        {
            method: "GET", pattern: /^\/admin\/faults$/, operation: "admin.faults", admin: true,
            handler: () => json(200, { settings: faults.current(), injected: faults.injected }),
        },
        {
            method: "PUT", pattern: /^\/admin\/faults$/, operation: "admin.faults", admin: true,
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
            method: "GET", pattern: /^\/admin\/stats$/, operation: "admin.stats", admin: true,
            handler: () => json(200, { operations: stats, faults: faults.injected }),
        },
        {
            method: "DELETE", pattern: /^\/admin\/stats$/, operation: "admin.stats", admin: true,
            handler: () => {
                stats = {};
                return { status: 204 };
            },
        },
        {
            method: "PUT", pattern: /^\/admin\/clock$/, operation: "admin.clock", admin: true,
            handler: async (ctx) => {
                const input = parseOrProblem(z.object({ offsetSeconds: z.number().int() }).strict(), await ctx.body(), "body");
                clock.setOffsetSeconds(input.offsetSeconds);
                return json(200, { offsetSeconds: clock.offsetSeconds, now: clock.now().toISOString(), today: clock.today() });
            },
        },
        {
            method: "GET", pattern: /^\/healthz$/, operation: "health",
            handler: () => json(200, { status: "ok" }),
        },
    ];

    function authenticate(req: http.IncomingMessage): Actor | undefined {
        const socket = req.socket as TLSSocket;
        if (socket.encrypted && socket.authorized) {
            const cert = socket.getPeerCertificate();
            const tenant = cert?.fingerprint256 ? byFingerprint.get(cert.fingerprint256) : undefined;
            if (tenant) return { kind: "kommune", kommunekode: tenant.kommunekode };
        }
        const auth = header(req, "authorization");
        const match = auth?.match(/^Bearer\s+(\S+)$/i);
        if (match) {
            const tenant = byToken.get(sha256Hex(match[1]));
            if (tenant) return { kind: "kommune", kommunekode: tenant.kommunekode };
        }
        return undefined;
    }

    function isAdmin(req: http.IncomingMessage): boolean {
        if (!options.adminToken) return false;
        return header(req, "authorization") === `Bearer ${options.adminToken}`;
    }

    function readBody(req: http.IncomingMessage): Promise<unknown> {
        const type = (header(req, "content-type") ?? "").split(";")[0].trim().toLowerCase();
        if (type !== "application/json") return Promise.reject(problems.unsupportedMediaType(type));
        return new Promise((resolve, reject) => {
            const chunks: Buffer[] = [];
            let size = 0;
            req.on("data", (chunk: Buffer) => {
                size += chunk.length;
                if (size > maxBody) {
                    reject(problems.payloadTooLarge(maxBody));
                    req.resume();
                    return;
                }
                chunks.push(chunk);
            });
            req.on("end", () => {
                try {
                    resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
                } catch (err) {
                    reject(problems.badRequest(`the body is not valid JSON: ${(err as Error).message}`));
                }
            });
            req.on("error", reject);
        });
    }

    function count(operation: string, status: number | "dropped") {
        const s = (stats[operation] ??= { total: 0, byStatus: {} });
        s.total++;
        s.byStatus[String(status)] = (s.byStatus[String(status)] ?? 0) + 1;
    }

    async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
        const started = process.hrtime.bigint();
        const url = new URL(req.url ?? "/", "http://standin.invalid");
        const pathMatches = routes.filter((r) => r.pattern.test(url.pathname));
        const route = pathMatches.find((r) => r.method === req.method);
        const operation = route?.operation ?? "unknown";
        let fault: string | undefined;
        let actor: Actor | undefined;

        const finish = (status: number | "dropped") => {
            count(operation, status);
            options.log?.({
                time: new Date().toISOString(),
                method: req.method ?? "?",
                path: url.pathname,
                operation,
                status,
                ...(actor?.kind === "kommune" ? { kommunekode: actor.kommunekode } : {}),
                durationMs: Number(process.hrtime.bigint() - started) / 1e6,
                ...(fault ? { fault } : {}),
            });
        };
        const send = (reply: Reply) => {
            const headers: Record<string, string> = { ...(reply.headers ?? {}) };
            let payload: string | undefined;
            if (reply.body !== undefined) {
                payload = JSON.stringify(reply.body);
                headers["Content-Type"] ??= "application/json";
            }
            res.writeHead(reply.status, headers);
            res.end(payload);
            finish(reply.status);
        };
        const drop = () => {
            req.socket.destroy();
            finish("dropped");
        };

        try {
            if (!route) {
                if (pathMatches.length) throw problems.methodNotAllowed(req.method ?? "?", url.pathname);
                throw problems.notFound("Route", url.pathname);
            }
            if (route.admin) {
                if (!isAdmin(req)) throw problems.notFound("Route", url.pathname);
            } else if (route.operation !== "health") {
                if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
                const decision = faults.decide(route.write === true);
                if (decision !== "none") fault = decision;
                if (decision === "drop") return drop();
                if (decision === "error500") throw problems.unavailable(500);
                if (decision === "error503") throw problems.unavailable(503);
                if (decision === "rateLimit") throw problems.tooManyRequests(faults.retryAfterSeconds);
                actor = authenticate(req);
                if (!actor) {
                    throw problems.unauthorized(
                        "send Authorization: Bearer <token> or a client certificate registered for your municipality");
                }
            }
            const params = url.pathname.match(route.pattern)!.slice(1);
            const reply = await route.handler({ req, url, actor, body: () => readBody(req) }, params);
            if (fault === "loseResponse") return drop();
            send(reply);
        } catch (err) {
            if (fault === "loseResponse") return drop();
            if (err instanceof ProblemError) {
                send({ status: err.problem.status, body: err.problem, headers: { ...err.headers, "Content-Type": "application/problem+json" } });
            } else {
                process.stderr.write(`fk-standin: unexpected error in ${operation}: ${(err as Error)?.stack ?? err}\n`);
                const p = problems.internal();
                send({ status: 500, body: p.problem, headers: { "Content-Type": "application/problem+json" } });
            }
        }
    }

    const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
        handle(req, res).catch((err) => {
            process.stderr.write(`fk-standin: ${(err as Error)?.stack ?? err}\n`);
            if (!res.headersSent) res.writeHead(500).end();
        });
    };
    const server = options.tls
        ? https.createServer({
            cert: options.tls.cert,
            key: options.tls.key,
            ...(options.tls.clientCa ? { ca: options.tls.clientCa, requestCert: true } : {}),
            rejectUnauthorized: options.tls.requireClientCertificate === true,
        }, listener)
        : http.createServer(listener);
    server.keepAliveTimeout = 5_000;

    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    const host = options.host ?? "127.0.0.1";
    const url = `${options.tls ? "https" : "http"}://${host.includes(":") ? `[${host}]` : host}:${port}`;

    return {
        url,
        port,
        faults,
        clock,
        service,
        stats: () => JSON.parse(JSON.stringify(stats)),
        resetStats: () => {
            stats = {};
        },
        close: () =>
            new Promise<void>((resolve) => {
                server.close(() => {
                    store.close();
                    resolve();
                });
                server.closeAllConnections();
            }),
    };
}

function header(req: http.IncomingMessage, name: string): string | undefined {
    const v = req.headers[name];
    return Array.isArray(v) ? v[0] : v;
}

/** Reads a PEM file for the TLS options. */
export function readPem(path: string): Buffer {
    return fs.readFileSync(path);
}
