// The stand-in's HTTP(S) server: builds the store, service, STS and faults from the options and
// listens. Each request goes through the dispatcher (dispatcher.ts) to its route (routes.ts), who it
// acts for is in auth.ts, and the log line and counts it ends with in exchange.ts and statistics.ts.
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import { AddressInfo } from "node:net";
import { authenticator } from "./auth";
import { Dispatcher } from "./dispatcher";
import type { RequestLogEntry } from "./exchange";
import { FaultInjector, FaultSettings } from "./faults";
import { allRoutes } from "./routes";
import { defaultSeed, mergeSeeds, SeedInput, seedFileSchema } from "./seed";
import { SubscriptionService } from "./service";
import { OperationStats, Statistics } from "./statistics";
import { Store } from "./store";
import { StsSettings, TokenService } from "./sts";
import { stsRoutes } from "./sts-routes";
import { Clock } from "./time";

export type { OperationStats } from "./statistics";
export type { RequestLogEntry } from "./exchange";

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
