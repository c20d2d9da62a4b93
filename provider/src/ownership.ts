// Who manages a subscription: the Pulumi resource its note names (`managed by pulumi: <project>/<stack>/
// <name>`), written by Opret or by one Ret of the note when a stack adopts one. Everyone reads the owner
// there: other stacks, the survey, the status page, and a person in the web UI.

/** What a note starts with when a Pulumi resource manages the subscription. */
const OWNER_NOTE_PREFIX = "managed by pulumi: ";

/**
 * The note that records the owner: `managed by pulumi: <project>/<stack>/<name>`. Opret writes it, and
 * an adoption writes it once (a Ret of the note alone), so everyone reads the owner on the subscription.
 *
 * @example
 * ownNote("fk-klassifikation/kobenhavn/borgerblikket") // "managed by pulumi: fk-klassifikation/kobenhavn/borgerblikket"
 */
export function ownNote(managedBy: string): string {
    return `${OWNER_NOTE_PREFIX}${managedBy}`;
}

/**
 * The Pulumi resource (`<project>/<stack>/<name>`) a note says manages the subscription; undefined for
 * a note that names none (made by hand and not yet under code, or the note cleared by hand).
 *
 * @example
 * ownerOf("managed by pulumi: p/kobenhavn/sub") // "p/kobenhavn/sub"
 * ownerOf(null) // undefined
 */
export function ownerOf(note: string | null | undefined): string | undefined {
    if (typeof note !== "string" || !note.startsWith(OWNER_NOTE_PREFIX)) return undefined;
    const owner = note.slice(OWNER_NOTE_PREFIX.length).trim();
    return owner.length > 0 ? owner : undefined;
}

/** True when a note says a Pulumi stack manages the subscription. */
export function madeByPulumi(note: string | null | undefined): boolean {
    return ownerOf(note) !== undefined;
}

/**
 * The stack of an owner `<project>/<stack>/<name>`, as messages name it: `<project>/<stack>`.
 *
 * @example
 * ownerStack("fk-klassifikation/kobenhavn/borgerblikket") // "fk-klassifikation/kobenhavn"
 */
export function ownerStack(owner: string): string {
    const parts = owner.split("/");
    return parts.length >= 3 ? parts.slice(0, -1).join("/") : owner;
}
