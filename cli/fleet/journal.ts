// The fleet's journal (journal.json in its state folder): each stack's last `up`, with a fingerprint
// of what that up depended on, so a re-run skips the stacks where nothing changed since it succeeded.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "../local";
import type { InventoryRow } from "./inventory";
import type { FleetOptions, JournalEntry, StackResult } from "./types";

/** The files every stack's `up` depends on besides its row: the program and the locked dependencies. */
const PROGRAM_FILES = [
    "program.ts",
    "Pulumi.yaml",
    "provider/package.json",
    "policy/package.json",
    "package-lock.json",
];

/** A hash of PROGRAM_FILES: computed once per fleet run, not once per row. */
export function programFingerprint(): string {
    const h = crypto.createHash("sha256");
    for (const f of PROGRAM_FILES) h.update(fs.readFileSync(path.join(repoRoot, f)));
    return h.digest("hex");
}

/** What an `up` depends on: the row (with the credentials reference, never the secret) and the program. */
export function fingerprint(row: InventoryRow, program: string): string {
    return crypto
        .createHash("sha256")
        .update(JSON.stringify({ ...row, line: undefined }))
        .update(program)
        .digest("hex");
}

/** The journal of a state folder; a missing or unreadable file is an empty journal. */
export class Journal {
    private readonly file: string;
    private readonly entries: Record<string, JournalEntry>;

    constructor(stateDir: string) {
        this.file = path.join(stateDir, "journal.json");
        try {
            this.entries = JSON.parse(fs.readFileSync(this.file, "utf8")) as Record<string, JournalEntry>;
        } catch {
            this.entries = {};
        }
    }

    get(stack: string): JournalEntry | undefined {
        return this.entries[stack];
    }

    set(stack: string, entry: JournalEntry): void {
        this.entries[stack] = entry;
    }

    /** A refresh may have found drift, and a destroy leaves nothing: the next up must run. */
    forget(stack: string): void {
        delete this.entries[stack];
    }

    save(): void {
        fs.writeFileSync(this.file, `${JSON.stringify(this.entries, null, 2)}\n`);
    }
}

/** A stack's last `up`, as the journal has it. */
export function lastUpOf(entry: JournalEntry): NonNullable<StackResult["lastUp"]> {
    return { result: entry.result, at: entry.at, ...(entry.error ? { error: entry.error } : {}) };
}

/** When `up` may skip the stack: the time of its last successful up with the same fingerprint. */
export function unchangedSince(last: JournalEntry | undefined, fp: string, opts: FleetOptions): string | undefined {
    const same = opts.operation === "up" && !opts.force && last?.operation === "up" && last.result === "succeeded";
    return same && last.fingerprint === fp ? last.at : undefined;
}
