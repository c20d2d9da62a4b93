// Starts the stand-in for tests: in-process, on a free port, with municipalities whose tokens the
// test knows, and an admin token for out-of-band changes.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
    RequestLogEntry,
    RunningStandin,
    startStandin,
    StandinOptions,
    sha256Hex,
} from "@fk-iac/klassifikation-standin";
import { kommuneCvr, kommuneNavn } from "@fk-iac/klassifikation/rules";
import { HttpClassificationApi } from "../../provider/src/client";
import { call } from "./http";

export interface TestKommune {
    kommunekode: string;
    navn: string;
    token: string;
}

export const testKommuner: TestKommune[] = [
    { kommunekode: "0101", navn: "København", token: "" },
    { kommunekode: "0751", navn: "Aarhus", token: "" },
    { kommunekode: "0851", navn: "Aalborg", token: "" },
];

export interface TestStandin {
    server: RunningStandin;
    url: string;
    adminToken: string;
    kommuner: TestKommune[];
    dbPath: string;
    log: RequestLogEntry[];
    admin(method: string, p: string, body?: unknown): Promise<any>;
    close(): Promise<void>;
}

/**
 * A random token that begins with "-" on purpose: a CLI reads such a value as a flag, so every test
 * that passes a token proves it is passed in a way that works for any value (a plain random
 * base64url token begins with "-" once in 64 runs, which made runs flaky before).
 */
export function randomToken(): string {
    return `-${crypto.randomBytes(24).toString("base64url")}`;
}

/** Starts a stand-in; with TLS, the admin helper trusts the CA given as `trust` (else the client CA). */
export async function startTestStandin(
    opts: Partial<StandinOptions> & { kommuner?: number; trust?: Buffer } = {},
): Promise<TestStandin> {
    const kommuner = testKommuner
        .slice(0, opts.kommuner ?? testKommuner.length)
        .map((k) => ({ ...k, token: randomToken() }));
    const adminToken = randomToken();
    const dbPath = opts.dbPath ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), "fk-standin-")), "standin.db");
    const log: RequestLogEntry[] = [];
    const server = await startStandin({
        deliveryDelaySeconds: 86_400,
        ...opts,
        dbPath,
        adminToken,
        log: (e) => log.push(e),
        seed: {
            ...(opts.seed ?? {}),
            tenants: [
                ...(opts.seed?.tenants ?? []),
                ...kommuner.map((k) => ({
                    kommunekode: k.kommunekode,
                    navn: k.navn,
                    cvr: kommuneCvr(k.kommunekode),
                    tokenSha256: [sha256Hex(k.token)],
                    certificateFingerprints: [],
                })),
            ],
        },
    });
    return {
        server,
        url: server.url,
        adminToken,
        kommuner,
        dbPath,
        log,
        admin: async (method, p, body) => {
            const trust = opts.trust ?? (opts.tls?.clientCa as Buffer | undefined);
            const res = await call(server.url, method, p, {
                token: adminToken,
                body,
                ...(trust ? { tls: { ca: trust } } : {}),
            });
            if (res.status >= 300) throw new Error(`admin ${method} ${p}: ${res.status} ${JSON.stringify(res.body)}`);
            return res.body;
        },
        close: () => server.close(),
    };
}

/**
 * Stand-in tenants for municipalities that act with the given tokens (kommunekode → token), each named
 * as in the list of the 98; for the fleet's tests and benchmark.
 *
 * @example
 * startTestStandin({ kommuner: 0, seed: { tenants: tenantsFor(tokens) } });
 */
export function tenantsFor(tokens: ReadonlyMap<string, string>) {
    return [...tokens].map(([kode, token]) => ({
        kommunekode: kode,
        navn: kommuneNavn(kode) ?? kode,
        cvr: kommuneCvr(kode),
        tokenSha256: [sha256Hex(token)],
        certificateFingerprints: [] as string[],
    }));
}

/**
 * The classification API of a test stand-in as one of its municipalities sees it: no retries, short
 * deadlines, so a test reads the stand-in's state directly over HTTP.
 *
 * @example
 * const result = await surveyMunicipality(apiOf(s), { kommunekode: "0101" });
 */
export function apiOf(s: TestStandin, kommune = 0): HttpClassificationApi {
    return new HttpClassificationApi({
        endpoint: s.url,
        token: s.kommuner[kommune].token,
        timeoutMs: 5000,
        deadlineMs: 10000,
        maxRetries: 0,
        retryBaseDelayMs: 0,
        retryMaxDelayMs: 0,
    });
}
