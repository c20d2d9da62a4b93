// Ret abonnement, the one write that changes a subscription in place: on Gyldig til, which update uses
// to set the declared end date and destroy and repair to end a subscription the OIO way (history kept);
// and on the note alone, which records the stack that manages it.
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
    const after = await ret(api, current, () => api.setValidTo(current.uuid, to, current.version));
    if (after.kind === "done") return after.abonnement;
    if (!settled(after.now)) throw errors.concurrentChange(current.uuid);
    return after.now;
}

/**
 * One Ret with If-Match on the version read. A 412 may be the client's retry of a Ret whose response
 * was lost (the first attempt went through), or someone else's change: then the subscription as it is
 * now, for the caller to judge.
 */
async function ret(
    api: ClassificationApi,
    current: Abonnement,
    write: () => Promise<Abonnement | undefined>,
): Promise<{ kind: "done"; abonnement: Abonnement | undefined } | { kind: "412"; now: Abonnement | undefined }> {
    try {
        return { kind: "done", abonnement: await write() };
    } catch (err) {
        if (!(err instanceof FkError && err.code === "FK_CONCURRENT_CHANGE")) throw err;
        return { kind: "412", now: await api.getAbonnement(current.uuid) };
    }
}

/**
 * Ends a subscription the OIO way, its history kept: Gyldig til = today, or its Gyldig fra when it has
 * not started yet. Already ended by then (or passive, or gone) counts as done.
 *
 * @returns its Gyldig til afterwards (null for one passive or gone with no end date).
 */
export async function endSubscription(api: ClassificationApi, current: Abonnement): Promise<string | null> {
    const today = danishToday();
    const to = current.virkning.from > today ? current.virkning.from : today;
    const endedBy = (a: Abonnement | undefined) =>
        !a || a.livscyklus === "Passiv" || (a.virkning.to !== null && a.virkning.to <= to);
    if (endedBy(current)) return current.virkning.to;
    const after = await setValidTo(api, current, to, endedBy);
    return after?.virkning.to ?? to;
}

/**
 * Records the owner in the subscription's note: one Ret of the note alone, with If-Match on the version
 * read; its values and dates stay as they are. A lost response retried into 412 counts as done when the
 * note reads as written.
 *
 * @returns the subscription after the change; undefined when it is gone, or was changed otherwise meanwhile.
 */
export async function setNote(
    api: ClassificationApi,
    current: Abonnement,
    note: string,
): Promise<Abonnement | undefined> {
    const after = await ret(api, current, () => api.setNote(current.uuid, note, current.version));
    if (after.kind === "done") return after.abonnement;
    return after.now?.note === note ? after.now : undefined;
}
