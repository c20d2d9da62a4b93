// The stand-in's HTTP(S) server: starts it, and dispatches each request through fault injection and
// authentication to its route, logging it without credentials. The routes are in routes.ts, who a
// request acts for in auth.ts, reading and writing HTTP in http-io.ts.
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import { AddressInfo } from "node:net";
import { Authenticator, authenticator } from "./auth";
import { FaultInjector, FaultSettings } from "./faults";
import { header, readBody, readForm, Reply, writeReply } from "./http-io";
import { ProblemError, problems } from "./problems";
import { allRoutes, OperationStats, Route } from "./routes";
import { defaultSeed, mergeSeeds, SeedInput, seedFileSchema } from "./seed";
import { Actor, SubscriptionService } from "./service";
import { Store } from "./store";
import { StsSettings, TokenService } from "./sts";
import { stsRoutes } from "./sts-routes";
import { Clock } from "./time";

export type { OperationStats } from "./routes";

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
    /**
     * Which credential identified the municipality: its own client certificate, its own bearer token,
     * or a token from the STS bound to the client certificate.
     */
    credential?: "certificate" | "token" | "sts";
    /** The caller's x-TransaktionsId, as KOMBIT's services log it for support. */
    transaktionsId?: string;
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
    seed?: SeedInput;
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
    /**
     * The security token service (sts.ts): the entity id it issues tokens for, and how.
     * @default entity id STANDIN_ENTITY_ID, tokens for 8 hours
     */
    sts?: StsSettings & {
        entityId?: string;
        /** Receives every token the STS issues (tests look for them where they must not be). @default none */
        onIssued?: (token: string) => void;
    };
}

export interface RunningStandin {
    /** Base URL, e.g. http://127.0.0.1:41234 (the API lives under /api/v1). */
    url: string;
    port: number;
    faults: FaultInjector;
    clock: Clock;
    service: SubscriptionService;
    /** The security token service: its service agreements, settings, and tokens issued. */
    sts: TokenService;
    /** Request counts per operation since start or the last reset. */
    stats(): Record<string, OperationStats>;
    resetStats(): void;
    close(): Promise<void>;
}

/** Counts requests per operation and status. */
class Statistics {
    private counts: Record<string, OperationStats> = {};
    count(operation: string, status: number | "dropped"): void {
        const s = (this.counts[operation] ??= { total: 0, byStatus: {} });
        s.total++;
        s.byStatus[String(status)] = (s.byStatus[String(status)] ?? 0) + 1;
    }
    current(): Record<string, OperationStats> {
        return structuredClone(this.counts);
    }
    reset(): void {
        this.counts = {};
    }
}

/** One request on its way through the stand-in: its route, fault, actor, and how it ended. */
class Exchange {
    private readonly started = process.hrtime.bigint();
    readonly url: URL;
    readonly route: Route | undefined;
    private readonly pathMatches: boolean;
    fault: string | undefined;
    actor: Actor | undefined;

    constructor(
        readonly req: http.IncomingMessage,
        private readonly res: http.ServerResponse,
        routes: Route[],
        private readonly finished: (entry: RequestLogEntry, operation: string) => void,
    ) {
        this.url = new URL(req.url ?? "/", "http://standin.invalid");
        const candidates = routes.filter((r) => r.pattern.test(this.url.pathname));
        this.pathMatches = candidates.length > 0;
        this.route = candidates.find((r) => r.method === req.method);
    }

    get operation(): string {
        return this.route?.operation ?? "unknown";
    }

    /** The route, or the problem of a path or method the API does not have. */
    mustRoute(): Route {
        if (this.route) return this.route;
        if (this.pathMatches) throw problems.methodNotAllowed(this.req.method ?? "?", this.url.pathname);
        throw problems.notFound("Route", this.url.pathname);
    }

    send(reply: Reply): void {
        writeReply(this.res, reply);
        this.finish(reply.status);
    }

    drop(): void {
        this.req.socket.destroy();
        this.finish("dropped");
    }

    private finish(status: number | "dropped"): void {
        this.finished(
            {
                time: new Date().toISOString(),
                method: this.req.method ?? "?",
                path: this.url.pathname,
                operation: this.operation,
                status,
                ...(this.actor?.kind === "kommune" ? { kommunekode: this.actor.kommunekode } : {}),
                ...(this.actor?.kind === "kommune" && this.actor.by ? { credential: this.actor.by } : {}),
                ...(header(this.req, "x-transaktionsid")
                    ? { transaktionsId: header(this.req, "x-transaktionsid") }
                    : {}),
                durationMs: Number(process.hrtime.bigint() - this.started) / 1e6,
                ...(this.fault ? { fault: this.fault } : {}),
            },
            this.operation,
        );
    }
}

/** Sends each request through fault injection and authentication to its route. */
class Dispatcher {
    constructor(
        private readonly routes: Route[],
        private readonly auth: Authenticator,
        private readonly faults: FaultInjector,
        private readonly maxBody: number,
        private readonly finished: (entry: RequestLogEntry, operation: string) => void,
    ) {}

    async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const x = new Exchange(req, res, this.routes, this.finished);
        try {
            const route = x.mustRoute();
            if (!(await this.admit(x, route))) return x.drop();
            const params = x.url.pathname.match(route.pattern)!.slice(1);
            const reply = await route.handler(
                {
                    req,
                    url: x.url,
                    actor: x.actor,
                    body: () => readBody(req, this.maxBody),
                    form: () => readForm(req, this.maxBody),
                },
                params,
            );
            if (x.fault === "loseResponse") return x.drop();
            x.send(reply);
        } catch (err) {
            if (x.fault === "loseResponse") return x.drop();
            if (err instanceof ProblemError) {
                x.send({
                    status: err.problem.status,
                    body: err.problem,
                    headers: { ...err.headers, "Content-Type": "application/problem+json" },
                });
            } else {
                process.stderr.write(
                    `fk-standin: unexpected error in ${x.operation}: ${err instanceof Error ? err.stack : String(err)}\n`,
                );
                x.send({
                    status: 500,
                    body: problems.internal().problem,
                    headers: { "Content-Type": "application/problem+json" },
                });
            }
        }
    }

    /**
     * Admin routes need the admin token (else they do not exist); API routes first meet the injected
     * faults, then need a municipality's credentials. False: drop the connection.
     */
    private async admit(x: Exchange, route: Route): Promise<boolean> {
        if (route.admin) {
            if (!this.auth.isAdmin(x.req)) throw problems.notFound("Route", x.url.pathname);
            return true;
        }
        if (route.operation === "health") return true;
        if (!this.faults.appliesTo(route.operation)) return this.authenticate(x, route);
        if (this.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, this.faults.latencyMs));
        const decision = this.faults.decide(route.write === true);
        if (decision !== "none") x.fault = decision;
        if (decision === "drop") return false;
        if (decision === "error500") throw problems.unavailable(500);
        if (decision === "error503") throw problems.unavailable(503);
        if (decision === "rateLimit") throw problems.tooManyRequests(this.faults.retryAfterSeconds);
        return this.authenticate(x, route);
    }

    /**
     * Who the request acts for; a request without credentials is refused (401). The STS's token route
     * checks its caller itself.
     */
    private async authenticate(x: Exchange, route: Route): Promise<boolean> {
        if (route.authenticatesItself) return true;
        x.actor = await this.auth.actor(x.req);
        if (!x.actor) {
            throw problems.unauthorized(
                "send Authorization: Bearer <token> or a client certificate registered for your municipality",
            );
        }
        return true;
    }
}

/** Starts listening with the options' host, port and TLS settings; resolves with the server. */
async function listen(options: StandinOptions, listener: http.RequestListener): Promise<http.Server> {
    const server = options.tls
        ? https.createServer(
              {
                  cert: options.tls.cert,
                  key: options.tls.key,
                  ...(options.tls.clientCa ? { ca: options.tls.clientCa, requestCert: true } : {}),
                  rejectUnauthorized: options.tls.requireClientCertificate === true,
              },
              listener,
          )
        : http.createServer(listener);
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
    });
    return server;
}

export async function startStandin(options: StandinOptions = {}): Promise<RunningStandin> {
    const seed = mergeSeeds(defaultSeed, seedFileSchema.parse(options.seed ?? {}));
    const store = new Store(options.dbPath ?? ":memory:");
    for (const s of seed.sortimenter) store.upsertSortiment(s);
    for (const i of seed.itSystemInstanser) store.upsertItSystemInstans(i);
    const { entityId, onIssued, ...stsSettings } = options.sts ?? {};
    const sts = new TokenService(entityId, seed.serviceAgreements, stsSettings, onIssued);
    const auth = authenticator(seed.tenants, options.adminToken, sts);
    const clock = new Clock();
    const service = new SubscriptionService(store, clock, (options.deliveryDelaySeconds ?? 86_400) * 1000);
    for (const a of seed.abonnementer) service.importAbonnement(a);
    const faults = new FaultInjector();
    faults.configure(options.faults ?? {});
    const stats = new Statistics();

    const routes = [
        ...allRoutes({ store, service, faults, clock, kommuneNavn: (kode) => auth.kommuneNavn(kode), stats }),
        ...stsRoutes(sts),
    ];
    const dispatcher = new Dispatcher(routes, auth, faults, options.maxBodyBytes ?? 65_536, (entry, operation) => {
        stats.count(operation, entry.status);
        options.log?.(entry);
    });
    const server = await listen(options, (req, res) => {
        dispatcher.handle(req, res).catch((err) => {
            process.stderr.write(`fk-standin: ${(err as Error)?.stack ?? err}\n`);
            if (!res.headersSent) res.writeHead(500).end();
        });
    });
    const port = (server.address() as AddressInfo).port;
    const host = options.host ?? "127.0.0.1";
    return {
        url: `${options.tls ? "https" : "http"}://${host.includes(":") ? `[${host}]` : host}:${port}`,
        port,
        faults,
        clock,
        service,
        sts,
        stats: () => stats.current(),
        resetStats: () => stats.reset(),
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

/** Reads a PEM file for the TLS options. */
export function readPem(path: string): Buffer {
    return fs.readFileSync(path);
}
