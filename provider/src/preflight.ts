// The checks before a write, with read calls only: whom the credentials act for, which sortiment a
// reference names and whether it has the schema version, and whether the subscriber exists.
import type { ClassificationApi } from "./classification-api";
import { errors } from "./errors";
import { CheckedInputs, isUnknown } from "./inputs";
import { resolveSortiment } from "./sortiment";
import type { Sortiment } from "./wire";

/**
 * Refuses, before anything is written, credentials that act for another municipality than the one
 * the subscription belongs to (Laes myndighed, asked once per endpoint and process; not asked when a
 * search has already shown it, see HttpClassificationApi.searchAbonnementer).
 */
export async function mustActFor(
    api: ClassificationApi,
    kommunekode: string | undefined,
    operation: string,
    endpoint: string | undefined,
): Promise<void> {
    if (kommunekode === undefined || isUnknown(kommunekode)) return;
    const myndighed = await api.getMyndighed();
    if (myndighed.kommunekode !== kommunekode) {
        throw errors.wrongMunicipality(
            operation,
            endpoint ?? "the configured endpoint (fk:endpoint)",
            kommunekode,
            myndighed.kommunekode,
        );
    }
}

/** What create needs to know before it writes. */
export interface Prepared {
    sortiment: Sortiment;
    /** The subscribing it-systeminstans's name. */
    systemName: string;
}

/**
 * The checks before any write: the sortiment and its schema version, the subscriber, and (last, so that
 * a search made before it may already have shown whom the credentials act for) the municipality.
 */
export async function prepareCreate(api: ClassificationApi, inputs: CheckedInputs): Promise<Prepared> {
    const prepared = await checkReferences(api, inputs);
    await mustActFor(api, inputs.kommunekode, "Opret abonnement", inputs.endpoint);
    return prepared;
}

/** The sortiment a reference names and its schema version, and the subscriber: read calls only. */
export async function checkReferences(api: ClassificationApi, inputs: CheckedInputs): Promise<Prepared> {
    const sortiment = await resolveSortiment(api, inputs.sortiment);
    if (!sortiment.skemaversioner.includes(inputs.skemaversion)) {
        throw errors.unsupportedSkemaversion(
            inputs.skemaversion,
            sortiment.brugervendtnoegle,
            sortiment.skemaversioner,
        );
    }
    const system = await api.getItSystemInstans(inputs.itSystemInstans);
    if (!system) throw errors.unknownItSystem(inputs.itSystemInstans);
    return { sortiment, systemName: system.navn };
}
