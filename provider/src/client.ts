// The classification API over the HTTP+JSON contract of contract/openapi.yaml: each operation of
// ClassificationApi as one request through the transport (transport.ts: TLS, deadline, retries),
// its status mapped to an FkError or "absent", and its body validated with zod against wire.ts.
import type { AxiosResponse } from "axios";
import { z } from "zod";
import { ActingFor } from "./acting-for";
import type { AbonnementFilter, ClassificationApi, CreateOutcome } from "./classification-api";
import type { ConnectionSettings } from "./connection";
import { FkError } from "./errors";
import { Expect, failureOf, parseBody, problemOf } from "./response";
import { kommuneNavn } from "./kommuner";
import { StsTokens } from "./sts";
import { HttpTransport, NOT_ACTED_ON_STATUS, Request, RETRYABLE_STATUS } from "./transport";
import {
    Abonnement,
    AbonnementOpret,
    abonnementPageSchema,
    abonnementSchema,
    ItSystemInstans,
    itSystemInstansSchema,
    Myndighed,
    myndighedSchema,
    Sortiment,
    sortimentListSchema,
    sortimentSchema,
} from "./wire";

export type { AbonnementFilter, ClassificationApi, CreateOutcome } from "./classification-api";

/** Soeg abonnement's page size. */
const PAGE_SIZE = 500;

/** What an API client is built with beside the connection settings. */
export interface ApiOptions {
    /** How the retries wait (tests make it instant). @default sleep */
    wait?: (ms: number) => Promise<void>;
    /**
     * The municipality the calls act for. Needed with fk:stsEndpoint: tokens are asked for its CVR.
     * @default none (a fixed token or a certificate says whom the calls act for)
     */
    kommunekode?: string;
}

/**
 * The HTTP client of the classification API.
 *
 * @example
 * const api = new HttpClassificationApi(readConnectionSettings(settingSource(config)));
 * const [borgerblikket] = await api.searchSortimenter("Borgerblikket");
 */
export class HttpClassificationApi implements ClassificationApi {
    private readonly transport: HttpTransport;
    private readonly sts?: StsTokens;
    /** Whom the credentials act for, once known (without the STS: with it, the token says so). */
    private readonly actingFor = new ActingFor();
    /**
     * Reference data looked up in this process (sortimenter by name and by uuid, it-systeminstanser):
     * it does not change within one engine run, so check's look-ups serve create too. A failed look-up
     * is not remembered.
     */
    private readonly reference = new Map<string, Promise<unknown>>();

    constructor(
        private readonly settings: ConnectionSettings,
        private readonly options: ApiOptions = {},
    ) {
        const { wait, kommunekode } = options;
        if (settings.sts && kommunekode === undefined) {
            throw new Error(
                "with fk:stsEndpoint the API client needs the municipality (kommunekode) its tokens are for",
            );
        }
        this.sts = settings.sts ? new StsTokens(settings, kommunekode!, wait) : undefined;
        this.transport = new HttpTransport(settings, {
            ...(wait ? { wait } : {}),
            ...(this.sts ? { bearer: this.sts } : {}),
        });
    }

    /**
     * The one request path of every operation but Opret: send (with retries when idempotent), then
     * 404 as "absent" where the operation allows it, any other status than `ok` as the matching
     * FkError, and the body validated against the contract.
     */
    private async call<T>(
        req: Omit<Request, "idempotent">,
        schema: z.ZodType<T>,
        expect: Expect = {},
    ): Promise<T | undefined> {
        const sent = await this.transport.send({ ...req, idempotent: true });
        if (sent.kind === "unreachable") throw sent.error;
        const { res } = sent;
        try {
            if (res.status === 404 && expect.absentOn404) return undefined;
            if (res.status !== (expect.ok ?? 200)) this.fail(req.operation, res);
            return parseBody(req.operation, schema, res);
        } catch (err) {
            throw err instanceof FkError ? err.inTransaction(sent.transaktionsId) : err;
        }
    }

    /** Turns an unexpected status into the right FkError. */
    private fail(operation: string, res: AxiosResponse): never {
        throw failureOf(operation, res, {
            endpoint: this.settings.endpoint,
            viaSts: Boolean(this.sts),
            attempts: this.settings.maxRetries + 1,
            secrets: this.transport.secrets,
        });
    }

    /** The look-up's answer, asked once per key in this client's life. */
    private remembered<T>(key: string, lookup: () => Promise<T>): Promise<T> {
        let answer = this.reference.get(key) as Promise<T> | undefined;
        if (!answer) {
            const asked = lookup();
            asked.catch(() => {
                if (this.reference.get(key) === asked) this.reference.delete(key);
            });
            this.reference.set(key, asked);
            answer = asked;
        }
        return answer;
    }

    getMyndighed(): Promise<Myndighed> {
        // With the STS, the token says whom the calls act for: it is checked to name the municipality's
        // CVR before it is used (sts.ts), so no call is needed to ask.
        if (this.sts) {
            const kommunekode = this.options.kommunekode!;
            return this.sts.token().then(() => ({ kommunekode, navn: kommuneNavn(kommunekode) ?? kommunekode }));
        }
        const req = { operation: "Laes myndighed", method: "GET", url: "/myndighed" } as const;
        return this.actingFor.get(() => this.call(req, myndighedSchema).then((m) => m!));
    }

    searchSortimenter(brugervendtnoegle?: string): Promise<Sortiment[]> {
        return this.remembered(`soeg sortiment\n${brugervendtnoegle ?? ""}`, async () => {
            const params = brugervendtnoegle === undefined ? {} : { brugervendtnoegle };
            const req = { operation: "Soeg sortiment", method: "GET", url: "/sortimenter", params } as const;
            return (await this.call(req, sortimentListSchema))!.items;
        });
    }

    getSortiment(uuid: string): Promise<Sortiment | undefined> {
        return this.remembered(`laes sortiment\n${uuid}`, () => {
            const req = { operation: "Laes sortiment", method: "GET", url: `/sortimenter/${uuid}` } as const;
            return this.call(req, sortimentSchema, { absentOn404: true });
        });
    }

    getItSystemInstans(uuid: string): Promise<ItSystemInstans | undefined> {
        return this.remembered(`laes it-systeminstans\n${uuid}`, () => {
            const url = `/it-systeminstanser/${uuid}`;
            const req = { operation: "Laes it-systeminstans", method: "GET", url } as const;
            return this.call(req, itSystemInstansSchema, { absentOn404: true });
        });
    }

    async searchAbonnementer(filter: AbonnementFilter): Promise<Abonnement[]> {
        const all: Abonnement[] = [];
        for (let offset = 0; ; offset += PAGE_SIZE) {
            const params = { ...filter, foersteresultat: offset, maksimalantalresultater: PAGE_SIZE };
            const req = { operation: "Soeg abonnement", method: "GET", url: "/abonnementer", params } as const;
            const page = (await this.call(req, abonnementPageSchema))!;
            all.push(...page.items);
            if (page.items.length === 0 || offset + page.items.length >= page.total) {
                // What it found shows whom the credentials act for (the caller's own only).
                if (!this.sts) this.actingFor.seen(all);
                return all;
            }
        }
    }

    getAbonnement(uuid: string): Promise<Abonnement | undefined> {
        const req = { operation: "Laes abonnement", method: "GET", url: `/abonnementer/${uuid}` } as const;
        return this.call(req, abonnementSchema, { absentOn404: true });
    }

    /**
     * Opret is sent once (resent only after a 429, which the service did not act on): an answer that
     * did not arrive is an outcome ("unknown"), for create to look up; a 429 to the last resend is
     * "refused" (nothing was created).
     */
    async createAbonnement(body: AbonnementOpret): Promise<CreateOutcome> {
        const operation = "Opret abonnement";
        const sent = await this.transport.send({
            operation,
            method: "POST",
            url: "/abonnementer",
            data: body,
            idempotent: false,
        });
        const { transaktionsId } = sent;
        if (sent.kind === "unreachable") return { kind: "unknown", cause: sent.error.message };
        const { res } = sent;
        try {
            if (res.status === 201) return { kind: "created", abonnement: parseBody(operation, abonnementSchema, res) };
            if (res.status === 409) return { kind: "conflict", existing: problemOf(res).existing };
            if (NOT_ACTED_ON_STATUS.has(res.status))
                return { kind: "refused", cause: `HTTP ${res.status} (x-TransaktionsId ${transaktionsId})` };
            if (RETRYABLE_STATUS.has(res.status))
                return { kind: "unknown", cause: `HTTP ${res.status} (x-TransaktionsId ${transaktionsId})` };
            this.fail(operation, res);
        } catch (err) {
            throw err instanceof FkError ? err.inTransaction(transaktionsId) : err;
        }
    }

    setValidTo(uuid: string, to: string | null, version: number): Promise<Abonnement | undefined> {
        return this.ret(uuid, { virkning: { to } }, version);
    }

    setNote(uuid: string, note: string, version: number): Promise<Abonnement | undefined> {
        return this.ret(uuid, { note }, version);
    }

    /** Ret abonnement: one change, on the version it was decided on (If-Match). */
    private ret(uuid: string, data: object, version: number): Promise<Abonnement | undefined> {
        const headers = { "If-Match": `"${version}"` };
        const req = {
            operation: "Ret abonnement",
            method: "PATCH",
            url: `/abonnementer/${uuid}`,
            data,
            headers,
        } as const;
        return this.call(req, abonnementSchema, { absentOn404: true });
    }

    passivate(uuid: string): Promise<Abonnement | undefined> {
        const url = `/abonnementer/${uuid}/passiver`;
        const req = { operation: "Passiver abonnement", method: "POST", url } as const;
        return this.call(req, abonnementSchema, { absentOn404: true });
    }

    async deleteAbonnement(uuid: string): Promise<boolean> {
        const req = { operation: "Slet abonnement", method: "DELETE", url: `/abonnementer/${uuid}` } as const;
        const deleted = z.unknown().transform(() => true);
        return (await this.call(req, deleted, { ok: 204, absentOn404: true })) ?? false;
    }
}
