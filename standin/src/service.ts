// The rules of the classification system for subscriptions, independent of HTTP.
import { problems } from "./problems";
import { importAbonnement, type SeededAbonnement } from "./seeding";
import { AbonnementRow, overlaps, SearchFilter, Store } from "./store";
import { Clock } from "./time";
import { type Abonnement, viewOf } from "./view";

export type { Abonnement } from "./view";

/** Who a request acts for; a municipality's request records which credential identified it. */
export type Actor = { kind: "kommune"; kommunekode: string; by?: "certificate" | "token" | "sts" } | { kind: "admin" };

export interface OpretInput {
    sortiment: string;
    itSystemInstans: string;
    skemaversion: string;
    virkning: { from: string; to: string | null };
    note?: string;
}

export function etagOf(a: { version: number }): string {
    return `"${a.version}"`;
}

function aktoerOf(actor: Actor): string {
    return actor.kind === "admin" ? "admin" : `kommune:${actor.kommunekode}`;
}

export class SubscriptionService {
    constructor(
        private readonly store: Store,
        private readonly clock: Clock,
        /** Time from creation until the sortiment reaches the subscribing system. */
        private readonly deliveryDelayMs: number,
    ) {}

    /** The subscription as the API shows it, with its delivery (view.ts). */
    view(row: AbonnementRow): Abonnement {
        return viewOf(row, this.clock, this.deliveryDelayMs);
    }

    /** Reads a subscription the actor may see; Slettet and other municipalities' are "not found". */
    private visible(actor: Actor, uuid: string): AbonnementRow {
        const row = this.store.getAbonnement(uuid);
        if (
            !row ||
            row.livscyklus === "Slettet" ||
            (actor.kind === "kommune" && row.kommunekode !== actor.kommunekode)
        ) {
            throw problems.notFound("Abonnement", uuid);
        }
        return row;
    }

    laes(actor: Actor, uuid: string): Abonnement {
        return this.view(this.visible(actor, uuid));
    }

    soeg(
        actor: Actor & { kind: "kommune" },
        filter: Omit<SearchFilter, "kommunekode" | "includeDeleted"> & { aktiv?: boolean },
        offset: number,
        limit: number,
    ): { total: number; foersteresultat: number; items: Abonnement[] } {
        const { aktiv, ...rest } = filter;
        const { total, rows } = this.store.search(
            { ...rest, kommunekode: actor.kommunekode, ...(aktiv ? { aktivPaa: this.clock.today() } : {}) },
            offset,
            limit,
        );
        return { total, foersteresultat: offset, items: rows.map((r) => this.view(r)) };
    }

    opret(actor: Actor, kommunekode: string, input: OpretInput): Abonnement {
        const sortiment = this.store.getSortiment(input.sortiment);
        const errors = [];
        if (!sortiment) {
            errors.push({ field: "sortiment", message: "no sortiment has this uuid", value: input.sortiment });
        } else if (!sortiment.skemaversioner.includes(input.skemaversion)) {
            errors.push({
                field: "skemaversion",
                message: `sortiment ${sortiment.brugervendtnoegle} supports skemaversion ${sortiment.skemaversioner.join(", ")}`,
                value: input.skemaversion,
            });
        }
        if (!this.store.getItSystemInstans(input.itSystemInstans)) {
            errors.push({
                field: "itSystemInstans",
                message: "no it-systeminstans has this uuid",
                value: input.itSystemInstans,
            });
        }
        if (input.virkning.to !== null && input.virkning.to < input.virkning.from) {
            errors.push({
                field: "virkning.to",
                message: `must not be before virkning.from (${input.virkning.from})`,
                value: input.virkning.to,
            });
        }
        if (errors.length) {
            throw problems.unprocessable(errors.map((e) => `${e.field}: ${e.message}`).join("; "), errors);
        }
        return this.store.transaction(() => {
            const clash = this.store
                .liveWithKey(kommunekode, input.sortiment, input.itSystemInstans)
                .find((existing) => overlaps(existing, input.virkning));
            if (clash) {
                throw problems.conflict(
                    `kommune ${kommunekode} already has abonnement ${clash.uuid} on this sortiment for this it-systeminstans ` +
                        `with virkning ${clash.from}..${clash.to ?? "(open)"} overlapping ${input.virkning.from}..${input.virkning.to ?? "(open)"}`,
                    clash.uuid,
                );
            }
            const now = this.clock.now().toISOString();
            const row = this.store.insert({
                kommunekode,
                sortiment: input.sortiment,
                itSystemInstans: input.itSystemInstans,
                skemaversion: input.skemaversion,
                from: input.virkning.from,
                to: input.virkning.to,
                livscyklus: "Opstaaet",
                note: input.note ?? null,
                oprettet: now,
                oprettetAf: aktoerOf(actor),
                tidspunkt: now,
                aktoer: aktoerOf(actor),
            });
            return this.view(row);
        });
    }

    private checkIfMatch(row: AbonnementRow, ifMatch: string | undefined, required: boolean): void {
        if (ifMatch === undefined) {
            if (required) throw problems.preconditionRequired();
            return;
        }
        if (ifMatch !== "*" && ifMatch !== etagOf(row)) throw problems.preconditionFailed(ifMatch, etagOf(row));
    }

    /**
     * Ret: a new Gyldig til (`to`), a new note, or both, with If-Match. A change of the note alone is a
     * registration like any other (new version, livscyklus Rettet); the virkning stays as it is.
     */
    ret(
        actor: Actor,
        uuid: string,
        change: { to?: string | null; note?: string },
        ifMatch: string | undefined,
        requireIfMatch = true,
    ): Abonnement {
        return this.store.transaction(() => {
            const row = this.visible(actor, uuid);
            this.checkIfMatch(row, ifMatch, requireIfMatch);
            if (row.livscyklus === "Passiv") {
                throw problems.conflict(`abonnement ${uuid} is Passiv and cannot be changed`);
            }
            const to = change.to === undefined ? row.to : change.to;
            if (to !== null && to < row.from) {
                throw problems.unprocessable(`virkning.to: must not be before virkning.from (${row.from})`, [
                    { field: "virkning.to", message: `must not be before virkning.from (${row.from})`, value: to },
                ]);
            }
            const clash = this.store
                .liveWithKey(row.kommunekode, row.sortiment, row.itSystemInstans)
                .find((other) => other.uuid !== uuid && overlaps(other, { from: row.from, to }));
            if (clash) {
                throw problems.conflict(
                    `extending abonnement ${uuid} would overlap abonnement ${clash.uuid}`,
                    clash.uuid,
                );
            }
            const updated = this.store.update(uuid, {
                to,
                ...(change.note === undefined ? {} : { note: change.note }),
                livscyklus: "Rettet",
                tidspunkt: this.clock.now().toISOString(),
                aktoer: aktoerOf(actor),
            });
            return this.view(updated);
        });
    }

    passiver(actor: Actor, uuid: string, ifMatch: string | undefined): Abonnement {
        return this.store.transaction(() => {
            const row = this.visible(actor, uuid);
            this.checkIfMatch(row, ifMatch, false);
            if (row.livscyklus === "Passiv") return this.view(row);
            return this.view(
                this.store.update(uuid, {
                    livscyklus: "Passiv",
                    tidspunkt: this.clock.now().toISOString(),
                    aktoer: aktoerOf(actor),
                }),
            );
        });
    }

    slet(actor: Actor, uuid: string, ifMatch: string | undefined): void {
        this.store.transaction(() => {
            const row = this.visible(actor, uuid);
            this.checkIfMatch(row, ifMatch, false);
            this.store.update(uuid, {
                livscyklus: "Slettet",
                tidspunkt: this.clock.now().toISOString(),
                aktoer: aktoerOf(actor),
            });
        });
    }

    /** Adds a subscription that existed before (a seed): see importAbonnement (seeding.ts). */
    importAbonnement(seed: SeededAbonnement): void {
        importAbonnement(this.store, seed);
    }

    /** Everything, Slettet included: for the admin's inspection. */
    all(kommunekode?: string): Abonnement[] {
        return this.store
            .search({ ...(kommunekode ? { kommunekode } : {}), includeDeleted: true }, 0, 1_000_000)
            .rows.map((r) => this.view(r));
    }
}
