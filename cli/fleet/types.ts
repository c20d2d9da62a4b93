// The fleet's vocabulary: its operations, options, events and per-municipality results.
import type { ConnectionSettingKey, SurveyResult, SurveyState } from "@fk-iac/klassifikation";
import type { InventoryRow } from "./inventory";

export type FleetOperation = "preview" | "up" | "refresh" | "destroy" | "status";
export const OPERATIONS: FleetOperation[] = ["preview", "up", "refresh", "destroy", "status"];

/** How an operation on a stack ended. */
export type OperationResult = "succeeded" | "failed" | "skipped";

/** The outcome for one municipality. */
export interface StackResult {
    kommunekode: string;
    navn: string;
    stack: string;
    operation: FleetOperation;
    result: OperationResult;
    /** Resource changes by kind (create, update, delete, same, ...). */
    changes: Record<string, number>;
    durationMs: number;
    /** For status: the municipality's state (see the survey's states). */
    task?: SurveyState;
    /** For status: what the survey found. */
    survey?: SurveyResult;
    /** For status: the stack's last `up` as the fleet's journal has it. */
    lastUp?: { result: OperationResult; at: string; error?: string };
    message: string;
}

export interface FleetOptions {
    operation: FleetOperation;
    rows: InventoryRow[];
    concurrency: number;
    /** Folder for the fleet's project, journal and reports. */
    stateDir: string;
    /** Engine environment (backend, passphrase, offline settings). */
    engineEnv: Record<string, string>;
    /** The policy pack every preview and up gets (`--policy-pack`): its folder or its analyzer executable. */
    policyPack: string;
    /** Re-run `up` also where nothing changed since the last successful one. */
    force: boolean;
    /** Repair every row's wrong subscription (as the inventory column `repair` does for one row). */
    repair?: boolean;
    /** Take over every row's subscription that another stack manages (takeOver). @default false */
    takeOver?: boolean;
    /**
     * Remove a stack's lock when it is the fleet's own run that died (killed with the fleet), then run the
     * stack; a live run's lock or someone else's is never removed. @default false: such a stack fails, saying so
     */
    clearDeadLocks?: boolean;
    /** Connection settings shared by every row (--setting caBundleFile=...): see SHARED_CONNECTION_SETTINGS. */
    settings?: Partial<Record<ConnectionSettingKey, string>>;
    onEvent: (event: FleetEvent) => void;
}

export type FleetEvent =
    | { kind: "start"; row: InventoryRow }
    | { kind: "output"; row: InventoryRow; line: string }
    | { kind: "finish"; row: InventoryRow; result: StackResult };

/** The journal's record of a stack's last `up` (journal.ts). */
export interface JournalEntry {
    fingerprint: string;
    operation: FleetOperation;
    result: StackResult["result"];
    at: string;
    /** A failed run's reason. */
    error?: string;
}
