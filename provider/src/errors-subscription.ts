// The errors of the subscription itself: values the service does not know, subscriptions that clash
// with the declared one or belong to another stack, and what is left after a repair that failed
// half-way. Part of the one factory, `errors` (errors.ts).
import { KMD_OPUS_DEBITOR } from "./domain";
import type { ExistingSubscription, Mismatch } from "./existing";
import { ownerStack } from "./ownership";
import { FkError, NOTHING_WRITTEN } from "./fk-error";
import { describeKommune } from "./kommuner";
import { showValue as show } from "./text";

/** A failure's message without its "nothing was written" sentence, for a report where something was. */
function withoutReassurance(message: string): string {
    return message
        .replace(new RegExp(`[.:;] ${NOTHING_WRITTEN}[^.[]*\\.?`, "g"), ".")
        .replace(/\s*\[FK_[A-Z_]+\]/g, "")
        .replace(/\.{2,}/g, ".")
        .replace(/\.+$/, "");
}

export const subscriptionErrors = {
    unknownSortiment: (sortiment: string, known: string[]) =>
        new FkError(
            "FK_UNKNOWN_SORTIMENT",
            `sortiment ${show(sortiment)} does not exist in the classification system; ` +
                (known.length
                    ? `known sortimenter include ${known.map((k) => show(k)).join(", ")}`
                    : "give its brugervendtnoegle or uuid"),
        ),

    unsupportedSkemaversion: (skemaversion: string, sortiment: string, supported: string[]) =>
        new FkError(
            "FK_UNSUPPORTED_SKEMAVERSION",
            `skemaversion ${show(skemaversion)} is not offered by sortiment ${sortiment}; it supports ${supported.join(", ")}`,
        ),

    unknownItSystem: (uuid: string) =>
        new FkError(
            "FK_UNKNOWN_IT_SYSTEM",
            `itSystemInstans ${show(uuid)} is not a registered it-systeminstans; check the uuid in the classification system ` +
                `(for KMD Opus Debitor it is ${KMD_OPUS_DEBITOR})`,
        ),

    /**
     * A subscription with the declared sortiment and it-systeminstans exists with other values. Raised
     * before any write (in `pulumi preview` too); names the one found, who made it and when, how it
     * differs, and the ways forward.
     */
    conflictingSubscription: (existing: ExistingSubscription, differences: Mismatch[], state = "active") =>
        new FkError(
            "FK_CONFLICT",
            `an ${state} subscription ${existing.uuid} already exists for this sortiment and it-systeminstans ` +
                `(skemaversion ${existing.skemaversion}, validFrom ${existing.validFrom}, validTo ${existing.validTo ?? "(empty)"}; ` +
                `made by ${existing.oprettetAf} on ${existing.oprettet.slice(0, 10)}), ` +
                `but the program asks for ${differences.map((d) => `${d.field} ${d.wanted ?? "(empty)"}`).join(", ") || "other values"}. ` +
                "Nothing was written. Ways forward: to end it (Gyldig til = today, its history kept) and create the declared one " +
                "in the same pulumi up, set repairExisting (root program: pulumi config set repairExisting true; fleet: --repair " +
                "or the inventory column repair); to keep it, declare it with exactly these values (the next pulumi up adopts it); " +
                "or end it in the classification system first",
            409,
        ),

    /**
     * Another stack manages the subscription (its note names it). Raised before any write, in `pulumi
     * preview` too; names that stack and the ways forward.
     */
    ownedElsewhere: (existing: ExistingSubscription, owner: string) =>
        new FkError(
            "FK_OWNED_ELSEWHERE",
            `subscription ${existing.uuid} (skemaversion ${existing.skemaversion}, validFrom ${existing.validFrom}, ` +
                `validTo ${existing.validTo ?? "(empty)"}) is managed by the Pulumi stack ${ownerStack(owner)} ` +
                `(resource ${owner}), as its note records. Nothing was written: one subscription has one owner. ` +
                `Ways forward: manage it from ${ownerStack(owner)}; or move it to this stack with takeOver ` +
                "(root program: pulumi config set takeOver true; fleet: --take-over), which records this stack as its owner " +
                `with one write of the note and leaves ${ownerStack(owner)} to let go of it on its next refresh or up; ` +
                `or destroy it in ${ownerStack(owner)} first`,
            409,
        ),

    /**
     * The subscription this resource holds in state is now managed by another stack (taken over). Raised
     * before any write; the resource is neither changed nor recreated.
     */
    takenOver: (uuid: string, owner: string, managedBy: string) =>
        new FkError(
            "FK_TAKEN_OVER",
            `subscription ${uuid} is now managed by the Pulumi stack ${ownerStack(owner)} (resource ${owner}), as its note ` +
                `records: it was taken over from this stack (${managedBy}). Nothing was written, and nothing is created ` +
                "in its place. Ways forward: remove the resource from this program (pulumi up then forgets it without ending it), " +
                "or take it back with takeOver (pulumi config set takeOver true)",
            409,
        ),

    /**
     * A repair or replacement ended the wrong subscription(s), and then could not create the declared one:
     * the municipality has none in force until the next `pulumi up`, which finishes the job.
     */
    nothingInForce: (
        ended: readonly { uuid: string; validTo: string | null }[],
        cause: string,
        maybeCreated: boolean,
    ) =>
        new FkError(
            "FK_NOTHING_IN_FORCE",
            `ended ${ended.map((e) => `subscription ${e.uuid} (Gyldig til ${e.validTo ?? "?"})`).join(", ")} and then could not ` +
                `create the declared one: ${withoutReassurance(cause)}. No subscription is in force for this sortiment and ` +
                "it-systeminstans now" +
                (maybeCreated
                    ? " (unless the last Opret, whose answer was lost, went through: the next pulumi up finds it)"
                    : "") +
                ". Run pulumi up again when the classification API answers: it creates the declared one (the ended one stays " +
                "ended, its history kept; repairExisting need not stay set)",
        ),

    /**
     * The program gives the subscription another municipality. Credentials act for one municipality, so no
     * single `up` can end the old one and create the new one: refused in preview, before any write.
     */
    municipalityChange: (uuid: string, from: string, to: string) =>
        new FkError(
            "FK_MUNICIPALITY_CHANGE",
            `kommunekode changes from ${from} to ${to} for subscription ${uuid}: a subscription belongs to one municipality, ` +
                `and credentials act for one, so no single pulumi up can end ${describeKommune(from)}'s and create ` +
                `${describeKommune(to)}'s. Nothing was written. Move the stack in two steps: pulumi destroy with ` +
                `${describeKommune(from)}'s credentials and kommune:kode still ${from} (or pulumi state delete to leave it ` +
                `as it is), then set kommune:kode ${to} with ${describeKommune(to)}'s credentials and pulumi up`,
        ),

    newerState: (uuid: string, found: number, known: number) =>
        new FkError(
            "FK_NEWER_STATE",
            `subscription ${uuid} is recorded in state shape ${found}, written by a newer version of ` +
                `@fk-iac/klassifikation; this version reads shapes up to ${known}. Nothing was sent. ` +
                "Install the version the stack was last updated with (`git pull`, then `npm ci`), and run again",
        ),

    concurrentChange: (uuid: string) =>
        new FkError(
            "FK_CONCURRENT_CHANGE",
            `subscription ${uuid} was changed by someone else since Pulumi last read it (412). ` +
                "Run `pulumi refresh` to see its current state, then `pulumi up` again",
            412,
        ),
};
