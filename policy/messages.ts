// One factory for every violation message, so they all name the resource, the value found, the
// value expected, and what to change. Values are cut to a readable length by the provider's showValue.
import { showValue as show } from "./rules";

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

export function violation(f: ViolationFacts): string {
    return `SortimentSubscription ${show(f.resource)}: ${f.field} is ${show(f.found)}, expected ${f.expected}. ${f.fix}`;
}
