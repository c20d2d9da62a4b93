// Which sortiment a program's reference names: one rule for create (preflight) and the survey, so a
// name that matches two sortimenter is refused by both instead of taken as the first by one.
import type { ClassificationApi } from "./classification-api";
import { UUID_PATTERN } from "./domain";
import { errors } from "./errors";
import type { Sortiment } from "./wire";

/** The sortiment a reference (uuid or brugervendtnoegle) names; refused with the known names otherwise. */
export async function resolveSortiment(api: ClassificationApi, ref: string): Promise<Sortiment> {
    if (UUID_PATTERN.test(ref)) {
        const byUuid = await api.getSortiment(ref);
        if (byUuid) return byUuid;
    } else {
        const byName = await api.searchSortimenter(ref);
        if (byName.length === 1) return byName[0];
    }
    const known = (await api.searchSortimenter()).map((x) => x.brugervendtnoegle);
    throw errors.unknownSortiment(ref, known);
}
