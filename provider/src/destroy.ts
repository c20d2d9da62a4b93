// What `pulumi destroy` does to a subscription, by its onDestroy: end it (Gyldig til today, the
// default), passivate it, delete it, or leave it; never one another stack manages now. It says what it
// did, because the engine itself only says "deleted".
import type { ClassificationApi } from "./classification-api";
import type { DestroyBehaviour } from "./domain";
import { endSubscription } from "./ending";
import { ownerOf } from "./ownership";
import type { SubscriptionOutputs } from "./outputs";
import { mustActFor } from "./preflight";

/** The API operation each destroy behaviour writes with. */
const DESTROY_OPERATION: Record<Exclude<DestroyBehaviour, "retain">, string> = {
    endDate: "Ret abonnement",
    passivate: "Passiver abonnement",
    delete: "Slet abonnement",
};

/** What destroy did to the subscription, as the user is told (the engine itself says "deleted"). */
const DESTROYED = {
    ended: (to: string | null) =>
        `was ended, not deleted: Gyldig til ${to}; FK Klassifikation keeps it and its history (onDestroy "endDate")`,
    alreadyEnded: (to: string | null) => `was already ended (Gyldig til ${to}) and is left as it is`,
    passivated: 'was passivated (livscyklus Passiv), not deleted (onDestroy "passivate")',
    passive: "was already Passiv and is left as it is",
    deleted: 'was deleted in FK Klassifikation (livscyklus Slettet; onDestroy "delete")',
    retained: 'is left as it is in FK Klassifikation; only the stack forgot it (onDestroy "retain")',
    gone: "no longer exists in FK Klassifikation; nothing to end",
    takenOver: (owner: string) => `is managed by ${owner} now and is left as it is; only this stack forgot it`,
};

/**
 * Destroys the subscription as its onDestroy says, after checking the credentials act for its
 * municipality, and tells `said` what happened. `client` is asked for only when the API is called.
 */
export async function destroySubscription(
    client: () => ClassificationApi,
    id: string,
    props: SubscriptionOutputs,
    said: (what: string) => void,
): Promise<void> {
    const behaviour: DestroyBehaviour = props.onDestroy ?? "endDate";
    if (behaviour === "retain") return said(DESTROYED.retained);
    const api = client();
    await mustActFor(api, props.kommunekode, DESTROY_OPERATION[behaviour], props.endpoint);
    const current = await api.getAbonnement(id);
    if (!current) return said(DESTROYED.gone);
    // Taken over by another stack: it is theirs now; this stack only forgets it.
    const owner = ownerOf(current.note);
    if (owner !== undefined && owner !== props.managedBy) return said(DESTROYED.takenOver(owner));
    if (behaviour === "delete") {
        await api.deleteAbonnement(id);
        return said(DESTROYED.deleted);
    }
    if (current.livscyklus === "Passiv") return said(DESTROYED.passive);
    if (behaviour === "passivate") {
        await api.passivate(id);
        return said(DESTROYED.passivated);
    }
    const to = await endSubscription(api, current);
    said(current.virkning.to === to ? DESTROYED.alreadyEnded(to) : DESTROYED.ended(to));
}
