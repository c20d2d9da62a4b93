// Ret abonnement on Gyldig til, the one write that changes a subscription in place: update uses it to
// set the declared end date, and destroy and repair to end a subscription the OIO way (history kept).
import type { ClassificationApi } from "./classification-api";
import { danishToday } from "./dates";
import { errors, FkError } from "./errors";
import type { Abonnement } from "./wire";

/**
 * Sets Gyldig til with If-Match on the version read. The client retries a Ret whose response was
 * lost, and the retry then answers 412 (the first attempt went through): when `settled` accepts what
 * the subscription is now, that counts as done; any other 412 is a concurrent change.
 *
 * @returns the subscription after the change; undefined when it is gone.
 */
export async function setValidTo(
    api: ClassificationApi,
    current: Abonnement,
    to: string | null,
    settled: (now: Abonnement | undefined) => boolean,
): Promise<Abonnement | undefined> {
    try {
        return await api.setValidTo(current.uuid, to, current.version);
    } catch (err) {
        if (!(err instanceof FkError && err.code === "FK_CONCURRENT_CHANGE")) throw err;
        const now = await api.getAbonnement(current.uuid);
        if (!settled(now)) throw errors.concurrentChange(current.uuid);
        return now;
    }
}

/**
 * Ends a subscription the OIO way, its history kept: Gyldig til = today, or its Gyldig fra when it has
 * not started yet. Already ended by then (or passive, or gone) counts as done.
 */
export async function endSubscription(api: ClassificationApi, current: Abonnement): Promise<void> {
    const today = danishToday();
    const to = current.virkning.from > today ? current.virkning.from : today;
    const endedBy = (a: Abonnement | undefined) =>
        !a || a.livscyklus === "Passiv" || (a.virkning.to !== null && a.virkning.to <= to);
    if (endedBy(current)) return;
    await setValidTo(api, current, to, endedBy);
}
