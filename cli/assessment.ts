// Prints a task assessment as the municipality's administrator reads it.
import type { TaskAssessment } from "@fk-iac/klassifikation";

export function printAssessment(
    title: string,
    a: TaskAssessment,
    out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): void {
    out("");
    out(title);
    for (const c of a.criteria) out(`  ${c.ok ? "[x]" : "[ ]"} ${c.name}: ${c.detail}`);
    const verdict = {
        done: "DONE: the subscription is correct and the debtor system has the sortiment.",
        pending:
            "CREATED CORRECTLY; delivery to the debtor system is pending (it can take up to a day). Run the status command again later.",
        wrong: "NOT DONE: see the unchecked items above.",
    }[a.state];
    out(`  => ${verdict}`);
}
