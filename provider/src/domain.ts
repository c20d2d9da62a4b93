// The domain's fixed values and words. Danish terms are kept where they are the domain's own; this is
// the one place that maps them to the resource's English inputs:
//
//   UI field (task GB1.0)           resource input      wire contract (contract/openapi.yaml)
//   Sortiment                       sortiment           sortiment (uuid), looked up by brugervendtnoegle
//   Abonnerende It-systeminstans    itSystemInstans     itSystemInstans (uuid)
//   Skemaversion                    skemaversion        skemaversion
//   Gyldig fra                      validFrom           virkning.from
//   Gyldig til                      validTo             virkning.to (null = left empty)
//   (abonnement = the subscription, livscyklus = lifecycle state, levering = delivery to the system)

/** KMD Opus Debitor, the debtor system of task GB1.0. */
export const KMD_OPUS_DEBITOR = "362ebac2-761b-4a44-abc6-679f2d5615ce";

/** The sortiment of task GB1.0, by its brugervendtnoegle (user-facing key). */
export const BORGERBLIKKET = "Borgerblikket";

/** The schema version task GB1.0 requires. */
export const REQUIRED_SKEMAVERSION = "1.3";

/**
 * What `pulumi destroy` (or removing the resource) does to the subscription.
 *
 * - `endDate`: set Gyldig til to today (Danish time). The OIO way: history is kept. The default.
 * - `passivate`: Passiver it; it stops and is hidden from default searches.
 * - `delete`: Slet it.
 * - `retain`: leave it untouched in the classification system; only Pulumi forgets it.
 */
export type DestroyBehaviour = "endDate" | "passivate" | "delete" | "retain";

export const DESTROY_BEHAVIOURS: readonly DestroyBehaviour[] = ["endDate", "passivate", "delete", "retain"];

/** OIO lifecycle codes of a subscription. */
export type Livscyklus = "Opstaaet" | "Rettet" | "Passiv" | "Slettet";

/** Every livscyklus code, in lifecycle order. */
export const LIVSCYKLUSSER: readonly [Livscyklus, ...Livscyklus[]] = ["Opstaaet", "Rettet", "Passiv", "Slettet"];

/** Delivery of the sortiment to the subscribing system. */
export type LeveringStatus = "Afventer" | "Leveret" | "Stoppet";

/** The type token of our resource: pulumi-nodejs:dynamic/fk-klassifikation:SortimentSubscription. */
export const RESOURCE_MODULE = "fk-klassifikation";
export const RESOURCE_TYPE = "SortimentSubscription";
export const RESOURCE_TYPE_TOKEN = `pulumi-nodejs:dynamic/${RESOURCE_MODULE}:${RESOURCE_TYPE}`;

/** A uuid as the classification API writes it: lower case. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A uuid as a person may paste it: either case (inputs are lower-cased after check). */
export const ANY_CASE_UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
export const SKEMAVERSION_PATTERN = /^\d+\.\d+$/;

/** The value the engine passes for inputs not known until apply (at preview). */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
