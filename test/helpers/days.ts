// Calendar days in Danish time, as the provider and the stand-in compute them: read when needed, never
// once at load, so a test run that goes past midnight in Denmark compares like with like.
import { danishDateOf } from "@fk-iac/klassifikation-standin";

export { addDays } from "@fk-iac/klassifikation-standin";

/** Today's date (YYYY-MM-DD) in Europe/Copenhagen, now. */
export function today(): string {
    return danishDateOf(new Date());
}
