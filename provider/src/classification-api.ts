// The seam between the provider and the classification system: the operations the provider needs,
// as English verbs on the domain's nouns. HttpClassificationApi (client.ts) speaks the HTTP+JSON
// contract of contract/openapi.yaml; another transport (e.g. SOAP over Serviceplatformen) implements
// this interface, and nothing else changes.
import type { Livscyklus } from "./domain";
import type { Abonnement, AbonnementOpret, ItSystemInstans, Myndighed, Sortiment } from "./wire";

/** Filters of Soeg (search) on subscriptions. */
export interface AbonnementFilter {
    sortiment?: string;
    itSystemInstans?: string;
    /** Only subscriptions in force today (not Passiv, not ended). */
    aktiv?: boolean;
    livscyklus?: Exclude<Livscyklus, "Slettet">;
}

/** The outcome of one Opret attempt. */
export type CreateOutcome =
    | { kind: "created"; abonnement: Abonnement }
    | { kind: "conflict"; existing: string | undefined }
    /** The request may or may not have been carried out (lost response, timeout, 5xx). */
    | { kind: "unknown"; cause: string }
    /** The service turned it away before acting on it (429, still after resending): nothing was created. */
    | { kind: "refused"; cause: string };

/**
 * The classification API as the provider needs it: English verbs on the domain's nouns, each naming
 * the OIO operation (and the contract's operationId) it is.
 */
export interface ClassificationApi {
    /** Laes myndighed (`laesMyndighed`): the municipality the credentials act for. */
    getMyndighed(): Promise<Myndighed>;
    /** Soeg sortiment (`soegSortiment`), by brugervendtnoegle or all. */
    searchSortimenter(brugervendtnoegle?: string): Promise<Sortiment[]>;
    /** Laes sortiment (`laesSortiment`); undefined when there is none. */
    getSortiment(uuid: string): Promise<Sortiment | undefined>;
    /** Laes it-systeminstans (`laesItSystemInstans`); undefined when there is none. */
    getItSystemInstans(uuid: string): Promise<ItSystemInstans | undefined>;
    /** Soeg abonnement (`soegAbonnement`): all matching subscriptions, every page. */
    searchAbonnementer(filter: AbonnementFilter): Promise<Abonnement[]>;
    /** Laes abonnement (`laesAbonnement`); undefined when it is gone. */
    getAbonnement(uuid: string): Promise<Abonnement | undefined>;
    /** Opret abonnement (`opretAbonnement`): one attempt, never retried blindly; callers make it safe by searching first. */
    createAbonnement(body: AbonnementOpret): Promise<CreateOutcome>;
    /** Ret abonnement (`retAbonnement`): virkning.to with If-Match; undefined when the subscription is gone. */
    setValidTo(uuid: string, to: string | null, version: number): Promise<Abonnement | undefined>;
    /** Ret abonnement (`retAbonnement`) of the note alone, with If-Match; undefined when the subscription is gone. */
    setNote(uuid: string, note: string, version: number): Promise<Abonnement | undefined>;
    /** Passiver abonnement (`passiverAbonnement`); undefined when it is gone. */
    passivate(uuid: string): Promise<Abonnement | undefined>;
    /** Slet abonnement (`sletAbonnement`); false when it was already gone. */
    deleteAbonnement(uuid: string): Promise<boolean>;
}
