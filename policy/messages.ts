// One factory for every violation message, so they all name the resource, the value found, the
// value expected, and what to change.

export interface ViolationFacts {
    /** The resource's name in the program. */
    resource: string;
    /** The input concerned. */
    field: string;
    found: unknown;
    expected: string;
    /** What the operator should change. */
    fix: string;
}

function show(v: unknown): string {
    if (v === undefined) return "(not set)";
    return typeof v === "string" ? `"${v}"` : JSON.stringify(v);
}

export function violation(f: ViolationFacts): string {
    return `SortimentSubscription "${f.resource}": ${f.field} is ${show(f.found)}, expected ${f.expected}. ${f.fix}`;
}
