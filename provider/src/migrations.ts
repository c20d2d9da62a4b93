// State written by an older version of this provider, read by this one: every read of outputs from
// state (read, diff, update, delete) goes through `migrateOutputs`, which brings them to the shape of
// STATE_VERSION one step at a time, and refuses state written by a newer version (a downgrade) before
// anything is sent.
import { errors } from "./errors";
import { STATE_VERSION, SubscriptionOutputs } from "./outputs";

/** Outputs as some version wrote them: any shape up to STATE_VERSION. */
export type StoredOutputs = Record<string, unknown>;

/**
 * One step per shape change: `MIGRATIONS[n]` takes outputs of shape n to shape n + 1, and has a unit
 * test of its own (test/component/provider/migrations.test.ts); a new STATE_VERSION without its step
 * fails that test. A step only adds, renames or reshapes keys from what is stored: it sends nothing.
 */
export const MIGRATIONS: Readonly<Record<number, (outputs: StoredOutputs) => StoredOutputs>> = {
    /** 0.2.0 records the version that wrote the outputs; shape 1 was written by 0.1.0 only. */
    1: (outputs) => ({ ...outputs, providerVersion: "0.1.0" }),
    /**
     * 0.3.0 records the owner its note names. Earlier versions wrote that note on every subscription they
     * created (`managed by pulumi: <managedBy>`), so the owner is taken to be this resource; one they adopted
     * by hand has no such note, which the next refresh records (and the next up writes the note).
     */
    2: (outputs) =>
        typeof outputs.managedBy === "string" && outputs.managedBy.length > 0
            ? { ...outputs, owner: outputs.managedBy }
            : { ...outputs },
};

/** The shape version outputs were written in; outputs from before the field existed are shape 1. */
export function stateVersionOf(outputs: StoredOutputs): number {
    const v = outputs.stateVersion;
    return typeof v === "number" && Number.isInteger(v) && v >= 1 ? v : 1;
}

/**
 * Outputs from state in today's shape.
 *
 * @example
 * const props = migrateOutputs(olds); // olds as any earlier version wrote them
 */
export function migrateOutputs(outputs: StoredOutputs): SubscriptionOutputs {
    const found = stateVersionOf(outputs);
    if (found > STATE_VERSION) {
        const uuid = typeof outputs.abonnementUuid === "string" ? outputs.abonnementUuid : "(unknown)";
        throw errors.newerState(uuid, found, STATE_VERSION);
    }
    let out = outputs;
    for (let v = found; v < STATE_VERSION; v++) {
        const step = MIGRATIONS[v];
        if (!step) throw new Error(`no migration of state shape ${v} to ${v + 1}`);
        out = { ...step(out), stateVersion: v + 1 };
    }
    return out as unknown as SubscriptionOutputs;
}
