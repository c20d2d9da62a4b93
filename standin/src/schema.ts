// The stand-in's database: its tables, how a database written by an older stand-in is brought up to
// date, and how a row of it becomes an AbonnementRow.
import type { DatabaseSync } from "node:sqlite";
import type { Livscyklus } from "./rules";
import type { AbonnementRow } from "./store";

/** The tables, created when they do not exist. */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS sortiment (
    uuid TEXT PRIMARY KEY,
    brugervendtnoegle TEXT NOT NULL UNIQUE,
    titel TEXT NOT NULL,
    skemaversioner TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS itsysteminstans (
    uuid TEXT PRIMARY KEY,
    navn TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS abonnement (
    uuid TEXT PRIMARY KEY,
    kommunekode TEXT NOT NULL,
    sortiment TEXT NOT NULL REFERENCES sortiment(uuid),
    itsysteminstans TEXT NOT NULL REFERENCES itsysteminstans(uuid),
    skemaversion TEXT NOT NULL,
    virkning_from TEXT NOT NULL,
    virkning_to TEXT,
    livscyklus TEXT NOT NULL,
    note TEXT,
    oprettet TEXT NOT NULL,
    oprettet_af TEXT,
    tidspunkt TEXT NOT NULL,
    aktoer TEXT NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS abonnement_key ON abonnement (kommunekode, sortiment, itsysteminstans);
`;

/** A row of the abonnement table as the store returns it. */
export function toRow(r: Record<string, unknown>): AbonnementRow {
    return {
        uuid: r.uuid as string,
        kommunekode: r.kommunekode as string,
        sortiment: r.sortiment as string,
        itSystemInstans: r.itsysteminstans as string,
        skemaversion: r.skemaversion as string,
        from: r.virkning_from as string,
        to: (r.virkning_to as string | null) ?? null,
        livscyklus: r.livscyklus as Livscyklus,
        note: (r.note as string | null) ?? null,
        oprettet: r.oprettet as string,
        // Databases written before the column existed: the latest actor is the best that is known.
        oprettetAf: (r.oprettet_af as string | null) ?? (r.aktoer as string),
        tidspunkt: r.tidspunkt as string,
        aktoer: r.aktoer as string,
        version: Number(r.version),
    };
}

/** Brings a database written by an older stand-in up to the current schema. */
export function migrate(db: DatabaseSync): void {
    const columns = (db.prepare("PRAGMA table_info(abonnement)").all() as { name: string }[]).map((c) => c.name);
    if (!columns.includes("oprettet_af")) db.exec("ALTER TABLE abonnement ADD COLUMN oprettet_af TEXT");
}
