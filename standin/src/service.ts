// The rules of the classification system for subscriptions, independent of HTTP.
import * as crypto from "node:crypto";
import type { z } from "zod";
import { problems } from "./problems";
import { AbonnementRow, Livscyklus, overlaps, SearchFilter, Store } from "./store";
import type { abonnementSeedSchema } from "./seed";
import { Clock } from "./time";

/** A uuid (version 4 form) derived from a text, so the same seed entry always gets the same uuid. */
function uuidFrom(text: string): string {
    const h = crypto.createHash("sha256").update(text).digest("hex");
    const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Who acts: a municipality (from its credentials) or the stand-in's administrator. */
/** Who a request acts for; a municipality's request records which credential identified it. */
export type Actor = { kind: "kommune"; kommunekode: string; by?: "certificate" | "token" | "sts" } | { kind: "admin" };

export interface Abonnement {
    uuid: string;
    kommunekode: string;
    sortiment: string;
    itSystemInstans: string;
    skemaversion: string;
    virkning: { from: string; to: string | null };
    livscyklus: Livscyklus;
    note: string | null;
    registrering: { oprettet: string; oprettetAf: string; tidspunkt: string; aktoer: string };
    version: number;
    levering: {
        status: "Afventer" | "Leveret" | "Stoppet";
        leveretTidspunkt: string | null;
        forventetTidspunkt: string | null;
    };
}

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

    view(row: AbonnementRow): Abonnement {
        const due = new Date(Date.parse(row.oprettet) + this.deliveryDelayMs);
        const ended =
            row.livscyklus === "Passiv" ||
            row.livscyklus === "Slettet" ||
            (row.to !== null && row.to <= this.clock.today());
        let levering: Abonnement["levering"];
        if (ended) levering = { status: "Stoppet", leveretTidspunkt: null, forventetTidspunkt: null };
        else if (this.clock.now() >= due)
            levering = {
                status: "Leveret",
                leveretTidspunkt: due.toISOString(),
                forventetTidspunkt: due.toISOString(),
            };
        else levering = { status: "Afventer", leveretTidspunkt: null, forventetTidspunkt: due.toISOString() };
        return {
            uuid: row.uuid,
            kommunekode: row.kommunekode,
            sortiment: row.sortiment,
            itSystemInstans: row.itSystemInstans,
            skemaversion: row.skemaversion,
            virkning: { from: row.from, to: row.to },
            livscyklus: row.livscyklus,
            note: row.note,
            registrering: {
                oprettet: row.oprettet,
                oprettetAf: row.oprettetAf,
                tidspunkt: row.tidspunkt,
                aktoer: row.aktoer,
            },
            version: row.version,
            levering,
        };
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

    /**
     * Adds a subscription that existed before (a seed), with its own dates and actors; an entry already
     * there (same uuid) is left as it is.
     */
    importAbonnement(seed: z.output<typeof abonnementSeedSchema>): void {
        const sortiment = this.store.getSortiment(seed.sortiment) ?? this.store.searchSortimenter(seed.sortiment)[0];
        if (!sortiment) throw new Error(`seeded abonnement: no sortiment ${seed.sortiment}`);
        if (!this.store.getItSystemInstans(seed.itSystemInstans))
            throw new Error(`seeded abonnement: no it-systeminstans ${seed.itSystemInstans}`);
        const uuid = seed.uuid ?? uuidFrom(JSON.stringify(seed));
        if (this.store.getAbonnement(uuid)) return;
        this.store.insert({
            uuid,
            version: seed.aendret ? 2 : 1,
            kommunekode: seed.kommunekode,
            sortiment: sortiment.uuid,
            itSystemInstans: seed.itSystemInstans,
            skemaversion: seed.skemaversion,
            from: seed.virkning.from,
            to: seed.virkning.to,
            livscyklus: seed.livscyklus,
            note: seed.note,
            oprettet: new Date(seed.oprettet).toISOString(),
            oprettetAf: seed.oprettetAf,
            tidspunkt: new Date(seed.aendret?.tidspunkt ?? seed.oprettet).toISOString(),
            aktoer: seed.aendret?.aktoer ?? seed.oprettetAf,
        });
    }

    /** Everything, Slettet included: for the admin's inspection. */
    all(kommunekode?: string): Abonnement[] {
        return this.store
            .search({ ...(kommunekode ? { kommunekode } : {}), includeDeleted: true }, 0, 1_000_000)
            .rows.map((r) => this.view(r));
    }
}
