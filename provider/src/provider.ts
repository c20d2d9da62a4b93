// The implementation of the SortimentSubscription dynamic provider. It is loaded at run time by the
// small shim that Pulumi serializes into state (see resource.ts), so state never holds this code:
// delete and refresh of old resources run the installed version, which must keep reading every
// earlier state shape (STATE_VERSION).
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { AbonnementFilter, ClassificationApi, HttpClassificationApi } from "./client";
import { readConnectionSettings, settingSource } from "./connection";
import { danishToday } from "./dates";
import { DestroyBehaviour, UUID_PATTERN } from "./domain";
import { errors, FkError } from "./errors";
import { decide, describeExisting, mismatches, ownNote } from "./existing";
import { CheckedInputs, checkInputs, isUnknown } from "./inputs";
import { forEngine, reported } from "./reporting";
import { Abonnement, Sortiment } from "./wire";

/** Shape version of the outputs this code writes. Version 1 is the first. */
export const STATE_VERSION = 1;

/** Outputs stored in state: the checked inputs plus what the classification system says. */
export interface SubscriptionOutputs extends CheckedInputs {
    stateVersion: number;
    /** The subscription's uuid (also the resource id). */
    abonnementUuid: string;
    sortimentUuid: string;
    /** The sortiment's brugervendtnoegle, e.g. "Borgerblikket". */
    sortimentNavn: string;
    /** The subscribing system's name, e.g. "KMD Opus Debitor". */
    itSystemInstansNavn: string;
    kommunekode: string;
    livscyklus: string;
    /** When the subscription was created (registration time). */
    oprettet: string;
    /** Who created it: a person in the web UI (adopted), or this provider. */
    oprettetAf?: string;
    /** Subscriptions with other values that this resource's create ended to repair them (repairExisting). */
    endedAbonnementer?: string[];
    /** When the create ended them. */
    repairedAt?: string;
    /** Time of the latest registration. */
    registreringstid: string;
    /** Version for If-Match. */
    version: number;
    /** Delivery to the subscribing system: Afventer, Leveret or Stoppet. */
    leveringStatus: string;
    leveretTidspunkt?: string;
    forventetLevering?: string;
    /** True when create adopted a subscription that already existed. */
    adopted: boolean;
    /** When this resource adopted it (only when `adopted`): a program can tell an adoption in this run. */
    adoptedAt?: string;
}

/** How the subscription came under this resource: kept from create through every read and update. */
type History = Pick<SubscriptionOutputs, "adopted" | "adoptedAt" | "endedAbonnementer" | "repairedAt">;

function historyOf(previous: Partial<SubscriptionOutputs>): History {
    return {
        adopted: previous.adopted ?? false,
        ...(previous.adoptedAt ? { adoptedAt: previous.adoptedAt } : {}),
        ...(previous.endedAbonnementer ? { endedAbonnementer: previous.endedAbonnementer } : {}),
        ...(previous.repairedAt ? { repairedAt: previous.repairedAt } : {}),
    };
}

/** The API operation each destroy behaviour writes with. */
const DESTROY_OPERATION: Record<Exclude<DestroyBehaviour, "retain">, string> = {
    endDate: "Ret abonnement",
    passivate: "Passiver abonnement",
    delete: "Slet abonnement",
};

/** What replaces a subscription and what changes it in place. */
function diffSubscription(olds: SubscriptionOutputs, news: CheckedInputs): dynamic.DiffResult {
    const replaces: string[] = [];
    const changed: string[] = [];
    const sameSortiment = isUnknown(news.sortiment)
        ? false
        : news.sortiment === olds.sortiment ||
          news.sortiment === olds.sortimentUuid ||
          news.sortiment === olds.sortimentNavn;
    if (!sameSortiment) replaces.push("sortiment");
    if (news.itSystemInstans !== olds.itSystemInstans) replaces.push("itSystemInstans");
    if (news.skemaversion !== olds.skemaversion) replaces.push("skemaversion");
    // Another municipality's subscription is another subscription.
    if (news.kommunekode !== olds.kommunekode) replaces.push("kommunekode");
    // A defaulted validFrom stays the creation day: it never causes a change by itself.
    if (!news.validFromDefaulted && news.validFrom !== olds.validFrom) replaces.push("validFrom");
    // Out-of-band passivation or deletion found by refresh: only a new subscription repairs it.
    if (olds.livscyklus === "Passiv" || olds.livscyklus === "Slettet") replaces.push("livscyklus");
    if ((news.validTo ?? null) !== (olds.validTo ?? null)) changed.push("validTo");
    if (news.onDestroy !== olds.onDestroy) changed.push("onDestroy");
    if (news.managedBy !== olds.managedBy) changed.push("managedBy");
    // A new endpoint is only recorded: it may be a new name for the same system, and a replacement
    // there would adopt and then end the very same subscription. If it is another system, the next
    // refresh finds the subscription gone and `up` creates it there.
    if ((news.endpoint ?? null) !== (olds.endpoint ?? null)) changed.push("endpoint");
    const keyUnchanged =
        !replaces.includes("sortiment") && !replaces.includes("itSystemInstans") && !replaces.includes("kommunekode");
    return {
        changes: replaces.length + changed.length > 0,
        replaces,
        // With the same sortiment and subscriber, the old subscription must end before the new one
        // starts (one active subscription per key); otherwise create first, so service never stops.
        deleteBeforeReplace: replaces.length > 0 && keyUnchanged,
    };
}

function conflictWith(a: Abonnement, inputs: CheckedInputs, state = "active") {
    return errors.conflictingSubscription(describeExisting(a), mismatches(a, inputs), state);
}

/** A 409 naming a subscription that overlaps in time but is not active today (e.g. it starts later): report it as is. */
async function refuseInactiveConflict(
    api: ClassificationApi,
    uuid: string,
    key: AbonnementFilter,
    inputs: CheckedInputs,
): Promise<void> {
    const other = await api.getAbonnement(uuid);
    if (other && !(await api.searchAbonnementer(key)).some((a) => a.uuid === other.uuid)) {
        throw conflictWith(other, inputs, "overlapping");
    }
}

/** Failures of reaching the API, not answers from it: check's look-up leaves the plan open on these. */
const TRANSPORT_FAILURES: readonly string[] = ["FK_UNAVAILABLE", "FK_TIMEOUT"];

/** Attempts of the look-up-then-create loop before giving up. */
const CREATE_ATTEMPTS = 6;

export class SortimentSubscriptionProvider implements dynamic.ResourceProvider {
    private readonly fixedApi?: ClassificationApi;
    private readonly clients = new Map<string, ClassificationApi>();
    private config?: { get(key: string): string | undefined };

    /** @param api a fixed transport for every endpoint (tests, or another transport). */
    constructor(api?: ClassificationApi) {
        this.fixedApi = api;
    }

    configure(req: dynamic.ConfigureRequest): Promise<void> {
        this.config = req.config;
        return Promise.resolve();
    }

    /**
     * The API client for the endpoint a subscription lives in, built on first use so that `check`
     * works without connection settings.
     */
    private client(endpoint: string | undefined): ClassificationApi {
        if (this.fixedApi) return this.fixedApi;
        const key = endpoint ?? "";
        let api = this.clients.get(key);
        if (!api) {
            api = new HttpClassificationApi(readConnectionSettings(settingSource(this.config), endpoint));
            this.clients.set(key, api);
        }
        return api;
    }

    /**
     * Refuses, before anything is written, credentials that act for another municipality than the one
     * the subscription belongs to (Laes myndighed, asked once per endpoint and process).
     */
    private async mustActFor(
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

    /**
     * `olds`: the previous inputs or outputs (none on create); `news`: the program's inputs. For a
     * subscription not yet in state, it also looks up what exists (read calls only), so that `preview`
     * shows the plan (create, adopt or repair) and refuses a conflicting one before `up` writes anything.
     */
    async check(olds: object | undefined, news: object | undefined): Promise<dynamic.CheckResult> {
        const previous = (olds ?? {}) as Record<string, unknown>;
        const result = checkInputs(previous, (news ?? {}) as Record<string, unknown>);
        if (result.failures.length > 0) return result;
        const inputs = result.inputs as unknown as CheckedInputs;
        if (Object.keys(previous).length > 0) {
            // In state already: an adoption stays one while Gyldig fra is the adopted one.
            if (previous.plan === "adopt" && previous.validFrom === inputs.validFrom) inputs.plan = "adopt";
            return result;
        }
        await this.planCreate(inputs);
        return result;
    }

    /** What `up` will do for a new subscription, from what exists; skipped when it cannot be known yet. */
    private async planCreate(inputs: CheckedInputs): Promise<void> {
        const decisive = [
            inputs.sortiment,
            inputs.itSystemInstans,
            inputs.skemaversion,
            inputs.kommunekode,
            inputs.validFrom,
            inputs.validTo,
            inputs.endpoint,
        ];
        if (decisive.some(isUnknown)) return;
        let api: ClassificationApi;
        try {
            api = this.client(inputs.endpoint);
        } catch (err) {
            // No connection configured: create reports it, with the same message.
            if (err instanceof FkError && err.code === "FK_INVALID_CONNECTION") return;
            throw err;
        }
        let active: Abonnement[];
        try {
            const { sortiment } = await this.prepareCreate(inputs);
            active = await api.searchAbonnementer({
                sortiment: sortiment.uuid,
                itSystemInstans: inputs.itSystemInstans,
                aktiv: true,
            });
        } catch (err) {
            // Not reachable now: preview still judges the inputs; create looks again and decides.
            if (err instanceof FkError && TRANSPORT_FAILURES.includes(err.code)) return;
            throw err;
        }
        const decision = decide(active, inputs, inputs.repairExisting === true);
        if (decision.plan === "refuse") throw conflictWith(decision.wrong[0], inputs);
        inputs.plan = decision.plan;
        const about = decision.match ? [decision.match] : decision.wrong;
        if (about.length > 0) inputs.existing = about.map(describeExisting);
    }

    diff(_id: string, olds: SubscriptionOutputs, news: CheckedInputs): Promise<dynamic.DiffResult> {
        return Promise.resolve(diffSubscription(olds, news));
    }

    private async resolveSortiment(api: ClassificationApi, ref: string): Promise<Sortiment> {
        if (UUID_PATTERN.test(ref)) {
            const s = await api.getSortiment(ref);
            if (!s)
                throw errors.unknownSortiment(
                    ref,
                    (await api.findSortimenter()).map((x) => x.brugervendtnoegle),
                );
            return s;
        }
        const found = await api.findSortimenter(ref);
        if (found.length !== 1)
            throw errors.unknownSortiment(
                ref,
                (await api.findSortimenter()).map((x) => x.brugervendtnoegle),
            );
        return found[0];
    }

    private outputs(
        inputs: CheckedInputs,
        a: Abonnement,
        sortiment: { uuid: string; brugervendtnoegle: string },
        systemName: string,
        history: History,
    ): SubscriptionOutputs {
        const out: SubscriptionOutputs = {
            ...inputs,
            skemaversion: a.skemaversion,
            validFrom: a.virkning.from,
            stateVersion: STATE_VERSION,
            abonnementUuid: a.uuid,
            sortimentUuid: sortiment.uuid,
            sortimentNavn: sortiment.brugervendtnoegle,
            itSystemInstansNavn: systemName,
            kommunekode: a.kommunekode,
            livscyklus: a.livscyklus,
            oprettet: a.registrering.oprettet,
            oprettetAf: a.registrering.oprettetAf ?? a.registrering.aktoer,
            registreringstid: a.registrering.tidspunkt,
            version: a.version,
            leveringStatus: a.levering.status,
            adopted: history.adopted,
        };
        if (history.adoptedAt) out.adoptedAt = history.adoptedAt;
        else delete out.adoptedAt;
        if (history.endedAbonnementer?.length) {
            out.endedAbonnementer = history.endedAbonnementer;
            if (history.repairedAt) out.repairedAt = history.repairedAt;
        } else {
            delete out.endedAbonnementer;
            delete out.repairedAt;
        }
        if (a.virkning.to !== null) out.validTo = a.virkning.to;
        else delete out.validTo;
        if (a.levering.leveretTidspunkt) out.leveretTidspunkt = a.levering.leveretTidspunkt;
        if (a.levering.forventetTidspunkt) out.forventetLevering = a.levering.forventetTidspunkt;
        return out;
    }

    /** The checks before any write: the municipality, the sortiment and its schema version, the subscriber. */
    private async prepareCreate(inputs: CheckedInputs) {
        const api = this.client(inputs.endpoint);
        await this.mustActFor(api, inputs.kommunekode, "Opret abonnement", inputs.endpoint);
        const sortiment = await this.resolveSortiment(api, inputs.sortiment);
        if (!sortiment.skemaversioner.includes(inputs.skemaversion)) {
            throw errors.unsupportedSkemaversion(
                inputs.skemaversion,
                sortiment.brugervendtnoegle,
                sortiment.skemaversioner,
            );
        }
        const system = await api.getItSystemInstans(inputs.itSystemInstans);
        if (!system) throw errors.unknownItSystem(inputs.itSystemInstans);
        return { api, sortiment, systemName: system.navn };
    }

    async create(inputs: CheckedInputs): Promise<dynamic.CreateResult> {
        const { api, sortiment, systemName } = await this.prepareCreate(inputs);
        const key: AbonnementFilter = {
            sortiment: sortiment.uuid,
            itSystemInstans: inputs.itSystemInstans,
            aktiv: true,
        };
        const note = ownNote(inputs.managedBy);
        const ended: string[] = [];
        const done = (a: Abonnement, adopted: boolean) => ({
            id: a.uuid,
            outs: this.outputs(inputs, a, sortiment, systemName, {
                adopted,
                ...(adopted ? { adoptedAt: new Date().toISOString() } : {}),
                endedAbonnementer: ended,
                ...(ended.length > 0 ? { repairedAt: new Date().toISOString() } : {}),
            }),
        });

        // Look up first, every time: a lost response, a timeout or a killed `pulumi up` may have
        // created it already, and a municipality may have made it by hand. Opret itself is never
        // retried blindly.
        let lastCause = "";
        for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
            const decision = decide(await api.searchAbonnementer(key), inputs, inputs.repairExisting === true);
            if (decision.plan === "adopt") return done(decision.match!, decision.match!.note !== note);
            if (decision.plan === "refuse") throw conflictWith(decision.wrong[0], inputs);
            if (decision.plan === "repair") {
                // End the wrong ones (history kept), then look again: the next pass creates.
                for (const wrong of decision.wrong) {
                    await endSubscription(api, wrong);
                    if (!ended.includes(wrong.uuid)) ended.push(wrong.uuid);
                }
                continue;
            }
            const outcome = await api.createAbonnement({
                sortiment: sortiment.uuid,
                itSystemInstans: inputs.itSystemInstans,
                skemaversion: inputs.skemaversion,
                virkning: { from: inputs.validFrom, to: inputs.validTo ?? null },
                note,
            });
            if (outcome.kind === "created") return done(outcome.abonnement, false);
            // conflict: someone created one in between (or a subscription overlaps in time); unknown:
            // the outcome is not known. Either way the next look-up decides.
            lastCause =
                outcome.kind === "conflict"
                    ? `409 conflict with ${outcome.existing ?? "an existing subscription"}`
                    : outcome.cause;
            if (outcome.kind === "conflict" && outcome.existing) {
                await refuseInactiveConflict(api, outcome.existing, key, inputs);
            }
            await new Promise((r) => setTimeout(r, Math.min(200 * 2 ** attempt, 5000)));
        }
        throw errors.unavailable("Opret abonnement", CREATE_ATTEMPTS, lastCause);
    }

    async read(id: string, props: SubscriptionOutputs): Promise<dynamic.ReadResult> {
        const api = this.client(props.endpoint);
        // With another municipality's credentials the subscription would look deleted (404): refuse
        // rather than let refresh drop it from state.
        await this.mustActFor(api, props.kommunekode, "Laes abonnement", props.endpoint);
        const a = await api.getAbonnement(id);
        if (!a) return { id: "", props: {} };
        const system = await api.getItSystemInstans(a.itSystemInstans);
        const sortiment = (await api.getSortiment(a.sortiment)) ?? {
            uuid: a.sortiment,
            brugervendtnoegle: props.sortimentNavn ?? a.sortiment,
        };
        const inputs: CheckedInputs = {
            sortiment: props.sortiment ?? sortiment.brugervendtnoegle,
            itSystemInstans: a.itSystemInstans,
            skemaversion: a.skemaversion,
            kommunekode: props.kommunekode ?? a.kommunekode,
            validFrom: a.virkning.from,
            validFromDefaulted: props.validFromDefaulted ?? false,
            onDestroy: props.onDestroy ?? "endDate",
            managedBy: props.managedBy ?? "",
            ...(props.endpoint ? { endpoint: props.endpoint } : {}),
            ...(props.repairExisting !== undefined ? { repairExisting: props.repairExisting } : {}),
            ...(props.plan ? { plan: props.plan } : {}),
            ...(props.existing ? { existing: props.existing } : {}),
        };
        return {
            id,
            props: this.outputs(
                inputs,
                a,
                sortiment,
                system?.navn ?? props.itSystemInstansNavn ?? "",
                historyOf(props),
            ),
        };
    }

    async update(id: string, olds: SubscriptionOutputs, news: CheckedInputs): Promise<dynamic.UpdateResult> {
        const api = this.client(news.endpoint ?? olds.endpoint);
        await this.mustActFor(api, olds.kommunekode, "Ret abonnement", news.endpoint ?? olds.endpoint);
        let current = await api.getAbonnement(id);
        if (!current) {
            throw errors.rejected(
                "Ret abonnement",
                404,
                `subscription ${id} no longer exists; run \`pulumi refresh\` and then \`pulumi up\` to create it again`,
            );
        }
        if (current.version !== olds.version) throw errors.concurrentChange(id);
        const to = news.validTo ?? null;
        if (current.virkning.to !== to) {
            try {
                const changed = await api.setValidTo(id, to, current.version);
                if (!changed) throw errors.rejected("Ret abonnement", 404, `subscription ${id} was deleted meanwhile`);
                current = changed;
            } catch (err) {
                // A retried Ret whose first attempt went through answers 412: accept it if the state is what we asked for.
                if (!(err instanceof FkError && err.code === "FK_CONCURRENT_CHANGE")) throw err;
                const now = await api.getAbonnement(id);
                if (!now || now.virkning.to !== to || now.version !== current.version + 1)
                    throw errors.concurrentChange(id);
                current = now;
            }
        }
        const sortiment = { uuid: olds.sortimentUuid, brugervendtnoegle: olds.sortimentNavn };
        return {
            outs: this.outputs(
                { ...news, validFrom: olds.validFrom },
                current,
                sortiment,
                olds.itSystemInstansNavn,
                historyOf(olds),
            ),
        };
    }

    async delete(id: string, props: SubscriptionOutputs): Promise<void> {
        const behaviour: DestroyBehaviour = props.onDestroy ?? "endDate";
        if (behaviour === "retain") return;
        const api = this.client(props.endpoint);
        await this.mustActFor(api, props.kommunekode, DESTROY_OPERATION[behaviour], props.endpoint);
        if (behaviour === "delete") {
            await api.remove(id);
            return;
        }
        const current = await api.getAbonnement(id);
        if (!current || current.livscyklus === "Passiv") return;
        if (behaviour === "passivate") {
            await api.passivate(id);
            return;
        }
        await endSubscription(api, current);
    }
}

/**
 * Ends a subscription the OIO way, its history kept: Gyldig til = today, or its Gyldig fra when it has
 * not started yet. Already ended by then counts as done; a retried Ret whose first attempt went
 * through (412) too.
 */
async function endSubscription(api: ClassificationApi, current: Abonnement): Promise<void> {
    const today = danishToday();
    const to = current.virkning.from > today ? current.virkning.from : today;
    if (current.virkning.to !== null && current.virkning.to <= to) return;
    try {
        await api.setValidTo(current.uuid, to, current.version);
    } catch (err) {
        if (!(err instanceof FkError && err.code === "FK_CONCURRENT_CHANGE")) throw err;
        const now = await api.getAbonnement(current.uuid);
        if (now && now.livscyklus !== "Passiv" && (now.virkning.to === null || now.virkning.to > to))
            throw errors.concurrentChange(current.uuid);
    }
}

/**
 * Entry point of the serialized shim (resource.ts): one provider per process, each operation's failure
 * reported once, without a stack trace (see reporting.ts).
 */
type Inputs = Record<string, unknown> | undefined;
type Outputs = SubscriptionOutputs;
type Checked = CheckedInputs;
let instance: dynamic.ResourceProvider | undefined;
export function handler(): dynamic.ResourceProvider {
    if (!instance) {
        const p = new SortimentSubscriptionProvider();
        instance = {
            // The engine hands over untyped values: news as the program sent them, olds and props as
            // this provider's check and create/read/update returned them (the shapes typed here).
            configure: (req) => reported(() => p.configure(req)),
            check: (olds: Inputs, news: Inputs) =>
                reported(async () => {
                    const result = await p.check(olds, news);
                    return { ...result, failures: forEngine(result.failures, news ?? {}) };
                }),
            diff: (id, olds: Outputs, news: Checked) => reported(() => p.diff(id, olds, news)),
            create: (inputs: Checked) => reported(() => p.create(inputs)),
            read: (id, props: Outputs) => reported(() => p.read(id, props)),
            update: (id, olds: Outputs, news: Checked) => reported(() => p.update(id, olds, news)),
            delete: (id, props: Outputs) => reported(() => p.delete(id, props)),
        };
    }
    return instance;
}
