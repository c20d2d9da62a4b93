// Persistence of the stand-in in an embedded SQLite database (node:sqlite). All statements run
// synchronously on the server's one thread, and each write runs in a transaction, so concurrent
// requests cannot interleave inside one operation; WAL mode keeps the file consistent on a crash.
import * as crypto from "node:crypto";
import { DatabaseSync } from "node:sqlite";
import type { Livscyklus } from "./rules";
import { migrate, SCHEMA, toRow } from "./schema";
import { ItSystemInstansSeed, SortimentSeed } from "./seed";

export type { Livscyklus } from "./rules";
export { overlaps } from "./rules";

export interface AbonnementRow {
    uuid: string;
    kommunekode: string;
    sortiment: string;
    itSystemInstans: string;
    skemaversion: string;
    from: string;
    to: string | null;
    livscyklus: Livscyklus;
    note: string | null;
    oprettet: string;
    /** Who made the first registration (created it); `aktoer` is who made the latest. */
    oprettetAf: string;
    tidspunkt: string;
    aktoer: string;
    version: number;
}

export interface SearchFilter {
    kommunekode?: string;
    sortiment?: string;
    itSystemInstans?: string;
    skemaversion?: string;
    livscyklus?: Livscyklus;
    /** Include Slettet rows (admin inspection only). */
    includeDeleted?: boolean;
    /** Only rows whose virkning covers this date. */
    gyldigPaa?: string;
    /** Only rows in force: not Passiv/Slettet and not ended by this date. */
    aktivPaa?: string;
}

export class Store {
    private readonly db: DatabaseSync;

    constructor(path: string) {
        this.db = new DatabaseSync(path);
        this.db.exec(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;",
        );
        this.db.exec(SCHEMA);
        migrate(this.db);
    }

    close(): void {
        this.db.close();
    }

    /** Runs fn in one write transaction. */
    transaction<T>(fn: () => T): T {
        this.db.exec("BEGIN IMMEDIATE");
        try {
            const result = fn();
            this.db.exec("COMMIT");
            return result;
        } catch (err) {
            this.db.exec("ROLLBACK");
            throw err;
        }
    }

    upsertSortiment(s: SortimentSeed): void {
        this.db
            .prepare(
                `INSERT INTO sortiment (uuid, brugervendtnoegle, titel, skemaversioner) VALUES (?, ?, ?, ?)
             ON CONFLICT(uuid) DO UPDATE SET brugervendtnoegle = excluded.brugervendtnoegle,
               titel = excluded.titel, skemaversioner = excluded.skemaversioner`,
            )
            .run(s.uuid, s.brugervendtnoegle, s.titel, JSON.stringify(s.skemaversioner));
    }

    upsertItSystemInstans(i: ItSystemInstansSeed): void {
        this.db
            .prepare(
                `INSERT INTO itsysteminstans (uuid, navn) VALUES (?, ?) ON CONFLICT(uuid) DO UPDATE SET navn = excluded.navn`,
            )
            .run(i.uuid, i.navn);
    }

    getSortiment(uuid: string): SortimentSeed | undefined {
        const r = this.db.prepare("SELECT * FROM sortiment WHERE uuid = ?").get(uuid) as
            Record<string, unknown> | undefined;
        return r && this.toSortiment(r);
    }

    searchSortimenter(brugervendtnoegle?: string): SortimentSeed[] {
        const rows =
            brugervendtnoegle === undefined
                ? this.db.prepare("SELECT * FROM sortiment ORDER BY brugervendtnoegle").all()
                : this.db.prepare("SELECT * FROM sortiment WHERE brugervendtnoegle = ?").all(brugervendtnoegle);
        return (rows as Record<string, unknown>[]).map((r) => this.toSortiment(r));
    }

    private toSortiment(r: Record<string, unknown>): SortimentSeed {
        return {
            uuid: r.uuid as string,
            brugervendtnoegle: r.brugervendtnoegle as string,
            titel: r.titel as string,
            skemaversioner: JSON.parse(r.skemaversioner as string) as string[],
        };
    }

    getItSystemInstans(uuid: string): ItSystemInstansSeed | undefined {
        const r = this.db.prepare("SELECT * FROM itsysteminstans WHERE uuid = ?").get(uuid) as
            Record<string, unknown> | undefined;
        return r && { uuid: r.uuid as string, navn: r.navn as string };
    }

    getAbonnement(uuid: string): AbonnementRow | undefined {
        const r = this.db.prepare("SELECT * FROM abonnement WHERE uuid = ?").get(uuid) as
            Record<string, unknown> | undefined;
        return r && toRow(r);
    }

    search(filter: SearchFilter, offset = 0, limit = 100): { total: number; rows: AbonnementRow[] } {
        const where: string[] = [];
        const params: (string | number | null)[] = [];
        const eq = (column: string, value: string | undefined) => {
            if (value !== undefined) {
                where.push(`${column} = ?`);
                params.push(value);
            }
        };
        eq("kommunekode", filter.kommunekode);
        eq("sortiment", filter.sortiment);
        eq("itsysteminstans", filter.itSystemInstans);
        eq("skemaversion", filter.skemaversion);
        if (filter.livscyklus !== undefined) {
            eq("livscyklus", filter.livscyklus);
        } else {
            where.push(filter.includeDeleted ? "1 = 1" : "livscyklus NOT IN ('Slettet', 'Passiv')");
        }
        if (filter.gyldigPaa !== undefined) {
            where.push("virkning_from <= ? AND (virkning_to IS NULL OR virkning_to > ?)");
            params.push(filter.gyldigPaa, filter.gyldigPaa);
        }
        if (filter.aktivPaa !== undefined) {
            where.push("livscyklus NOT IN ('Slettet', 'Passiv') AND (virkning_to IS NULL OR virkning_to > ?)");
            params.push(filter.aktivPaa);
        }
        const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
        const total = Number(
            (this.db.prepare(`SELECT COUNT(*) AS n FROM abonnement ${clause}`).get(...params) as { n: number }).n,
        );
        const rows = this.db
            .prepare(`SELECT * FROM abonnement ${clause} ORDER BY oprettet, uuid LIMIT ? OFFSET ?`)
            .all(...params, limit, offset) as Record<string, unknown>[];
        return { total, rows: rows.map(toRow) };
    }

    /** Subscriptions of the same key still in force somewhere in time (not Passiv or Slettet). */
    liveWithKey(kommunekode: string, sortiment: string, itSystemInstans: string): AbonnementRow[] {
        const rows = this.db
            .prepare(
                `SELECT * FROM abonnement WHERE kommunekode = ? AND sortiment = ? AND itsysteminstans = ?
             AND livscyklus NOT IN ('Slettet', 'Passiv') ORDER BY oprettet, uuid`,
            )
            .all(kommunekode, sortiment, itSystemInstans) as Record<string, unknown>[];
        return rows.map(toRow);
    }

    /** Inserts a subscription; a new one gets a fresh uuid and version 1, a seeded one keeps its own. */
    insert(row: Omit<AbonnementRow, "uuid" | "version"> & { uuid?: string; version?: number }): AbonnementRow {
        const full: AbonnementRow = { ...row, uuid: row.uuid ?? crypto.randomUUID(), version: row.version ?? 1 };
        this.db
            .prepare(
                `INSERT INTO abonnement (uuid, kommunekode, sortiment, itsysteminstans, skemaversion, virkning_from,
               virkning_to, livscyklus, note, oprettet, oprettet_af, tidspunkt, aktoer, version)
             VALUES ($uuid, $kommunekode, $sortiment, $itSystemInstans, $skemaversion, $from,
               $to, $livscyklus, $note, $oprettet, $oprettetAf, $tidspunkt, $aktoer, $version)`,
            )
            .run({
                $uuid: full.uuid,
                $kommunekode: full.kommunekode,
                $sortiment: full.sortiment,
                $itSystemInstans: full.itSystemInstans,
                $skemaversion: full.skemaversion,
                $from: full.from,
                $to: full.to,
                $livscyklus: full.livscyklus,
                $note: full.note,
                $oprettet: full.oprettet,
                $oprettetAf: full.oprettetAf,
                $tidspunkt: full.tidspunkt,
                $aktoer: full.aktoer,
                $version: full.version,
            });
        return full;
    }

    /** Writes a new registration of an existing subscription and bumps its version. */
    update(
        uuid: string,
        changes: { to?: string | null; note?: string; livscyklus: Livscyklus; tidspunkt: string; aktoer: string },
    ): AbonnementRow {
        const current = this.getAbonnement(uuid);
        if (!current) throw new Error(`abonnement ${uuid} vanished inside a transaction`);
        const to = changes.to === undefined ? current.to : changes.to;
        const note = changes.note === undefined ? current.note : changes.note;
        this.db
            .prepare(
                `UPDATE abonnement SET virkning_to = ?, note = ?, livscyklus = ?, tidspunkt = ?, aktoer = ?,
             version = version + 1 WHERE uuid = ?`,
            )
            .run(to, note, changes.livscyklus, changes.tidspunkt, changes.aktoer, uuid);
        return this.getAbonnement(uuid)!;
    }
}
