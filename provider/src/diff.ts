// What a change of inputs does to a subscription in state: nothing, an update in place (Ret), or a
// replacement (a new subscription, the old one ended as onDestroy says).
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { errors } from "./errors";
import { CheckedInputs, isUnknown } from "./inputs";
import type { SubscriptionOutputs } from "./outputs";

/** The inputs whose change needs a new subscription; every other change is made in place. */
function replacingChanges(olds: SubscriptionOutputs, news: CheckedInputs): string[] {
    const replaces: string[] = [];
    const sameSortiment = isUnknown(news.sortiment)
        ? false
        : news.sortiment === olds.sortiment ||
          news.sortiment === olds.sortimentUuid ||
          news.sortiment === olds.sortimentNavn;
    if (!sameSortiment) replaces.push("sortiment");
    if (news.itSystemInstans !== olds.itSystemInstans) replaces.push("itSystemInstans");
    if (news.skemaversion !== olds.skemaversion) replaces.push("skemaversion");
    // Another municipality's subscription is another subscription, which no one set of credentials can
    // make while ending this one: refused before anything is written.
    if (!isUnknown(news.kommunekode) && news.kommunekode !== olds.kommunekode) {
        throw errors.municipalityChange(olds.abonnementUuid, olds.kommunekode, news.kommunekode);
    }
    // A defaulted validFrom stays the creation day: it never causes a change by itself.
    if (!news.validFromDefaulted && news.validFrom !== olds.validFrom) replaces.push("validFrom");
    // Out-of-band passivation or deletion found by refresh: only a new subscription repairs it.
    if (olds.livscyklus === "Passiv" || olds.livscyklus === "Slettet") replaces.push("livscyklus");
    return replaces;
}

/**
 * Ownership that update must write: none recorded (a note cleared by hand, or adopted before owners were
 * recorded), or takeOver asked (update then checks the note and moves the subscription back here when
 * another stack took it). Another stack's ownership never gets this far: read refuses it (FK_TAKEN_OVER).
 */
function ownershipChange(olds: SubscriptionOutputs, news: CheckedInputs): "owner" | "takeOver" | undefined {
    if (news.takeOver === true) return "takeOver";
    if (olds.owner === undefined && !isUnknown(news.managedBy)) return "owner";
    return undefined;
}

/** What replaces a subscription and what changes it in place. */
export function diffSubscription(olds: SubscriptionOutputs, news: CheckedInputs): dynamic.DiffResult {
    const replaces = replacingChanges(olds, news);
    const changed: string[] = [];
    if ((news.validTo ?? null) !== (olds.validTo ?? null)) changed.push("validTo");
    if (news.onDestroy !== olds.onDestroy) changed.push("onDestroy");
    if (news.managedBy !== olds.managedBy) changed.push("managedBy");
    const ownership = ownershipChange(olds, news);
    if (ownership) changed.push(ownership);
    // A new endpoint is only recorded: it may be a new name for the same system, and a replacement
    // there would adopt and then end the very same subscription. If it is another system, the next
    // refresh finds the subscription gone and `up` creates it there.
    if ((news.endpoint ?? null) !== (olds.endpoint ?? null)) changed.push("endpoint");
    const keyUnchanged = !replaces.includes("sortiment") && !replaces.includes("itSystemInstans");
    return {
        changes: replaces.length + changed.length > 0,
        replaces,
        // With the same sortiment and subscriber, the old subscription must end before the new one
        // starts (one active subscription per key); otherwise create first, so service never stops.
        deleteBeforeReplace: replaces.length > 0 && keyUnchanged,
    };
}
