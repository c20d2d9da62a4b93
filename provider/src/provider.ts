// The implementation of the SortimentSubscription dynamic provider. It is loaded at run time by the
// small shim that Pulumi serializes into state (see resource.ts, and runtime.ts, its entry), so state never holds this code:
// delete and refresh of old resources run the installed version, which must keep reading every
// earlier state shape (STATE_VERSION). Each operation is a few lines over the modules that hold its
// parts: preflight (checks before a write), create (adopt, repair or create), destroy, ending (Ret on
// Gyldig til), diff and outputs.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { ClassificationApi } from "./classification-api";
import { readConnectionSettings, settingSource } from "./connection";
import { createOrAdopt, planCreate } from "./create";
import { diffSubscription } from "./diff";
import { destroySubscription } from "./destroy";
import { setNote, setValidTo } from "./ending";
import { errors, FkError } from "./errors";
import type { Plan } from "./decision";
import type { ExistingSubscription } from "./existing";
import { ownerOf, ownNote } from "./ownership";
import { CheckedInputs, checkInputs, isUnknown } from "./inputs";
import { historyOf, outputsOf, SubscriptionOutputs } from "./outputs";
import { migrateOutputs } from "./migrations";
import { mustActFor, prepareCreate } from "./preflight";
import type { Abonnement } from "./wire";

export { STATE_VERSION } from "./outputs";
export type { SubscriptionOutputs } from "./outputs";

/** The inputs a subscription in state was declared with, completed from what the API says now. */
function inputsOf(props: SubscriptionOutputs, a: Abonnement, sortimentNavn: string): CheckedInputs {
    return {
        sortiment: props.sortiment ?? sortimentNavn,
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
}

export class SortimentSubscriptionProvider implements dynamic.ResourceProvider {
    private readonly fixedApi?: ClassificationApi;
    private readonly clients = new Map<string, ClassificationApi>();
    private config?: { get(key: string): string | undefined };

    /**
     * @param api a fixed transport for every endpoint (tests, or another transport).
     * @param tell where a line for the user goes: what destroy did to the subscription (the engine
     * itself only says "deleted"). @default nowhere
     */
    constructor(
        api?: ClassificationApi,
        private readonly tell: (line: string) => void = () => {},
    ) {
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
    private client(endpoint: string | undefined, kommunekode: string): ClassificationApi {
        if (this.fixedApi) return this.fixedApi;
        const key = `${endpoint ?? ""}\n${kommunekode}`;
        let api = this.clients.get(key);
        if (!api) {
            // The HTTP client (axios, jose, TLS, the proxy agent) loads on the first call that needs it: a
            // preview with no change makes none.
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const { HttpClassificationApi } = require("./client") as typeof import("./client");
            api = new HttpClassificationApi(readConnectionSettings(settingSource(this.config), endpoint), {
                kommunekode,
            });
            this.clients.set(key, api);
        }
        return api;
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
            // In state already: what check planned for its creation stays as it was, so a preview's diff
            // shows only what the program declares (a change of Gyldig fra replaces it, and the engine then
            // checks again without olds: the plan is made anew).
            if (typeof previous.plan === "string") inputs.plan = previous.plan as Plan;
            if (Array.isArray(previous.existing)) inputs.existing = previous.existing as ExistingSubscription[];
            return result;
        }
        // Recorded only when `up` does more than the engine's create (or replacement) says: adopt or
        // repair, with the subscriptions that is about, for the preview and the policy pack to show.
        const planned = await this.plan(inputs);
        if (planned && (planned.plan === "adopt" || planned.plan === "repair")) {
            inputs.plan = planned.plan;
            inputs.existing = planned.existing;
        }
        return result;
    }

    /** What `up` will do for a new subscription; undefined when it cannot be known yet. */
    private async plan(inputs: CheckedInputs) {
        const decisive = [
            inputs.sortiment,
            inputs.itSystemInstans,
            inputs.skemaversion,
            inputs.kommunekode,
            inputs.validFrom,
            inputs.validTo,
            inputs.endpoint,
        ];
        if (decisive.some(isUnknown)) return undefined;
        let api: ClassificationApi;
        try {
            api = this.client(inputs.endpoint, inputs.kommunekode);
        } catch (err) {
            // No connection configured: create reports it, with the same message.
            if (err instanceof FkError && err.code === "FK_INVALID_CONNECTION") return undefined;
            throw err;
        }
        return planCreate(api, inputs);
    }

    /** Refuses (rejects) a change no `up` may make: another municipality. */
    diff(_id: string, stored: SubscriptionOutputs, news: CheckedInputs): Promise<dynamic.DiffResult> {
        try {
            return Promise.resolve(diffSubscription(migrateOutputs({ ...stored }), news));
        } catch (err) {
            return Promise.reject(err instanceof Error ? err : new Error(String(err)));
        }
    }

    async create(inputs: CheckedInputs): Promise<dynamic.CreateResult> {
        const api = this.client(inputs.endpoint, inputs.kommunekode);
        const { sortiment, systemName } = await prepareCreate(api, inputs);
        const { abonnement, adopted, ended } = await createOrAdopt(api, inputs, sortiment);
        const now = new Date().toISOString();
        const outs = outputsOf(inputs, abonnement, sortiment, systemName, {
            adopted,
            ...(adopted ? { adoptedAt: now } : {}),
            endedAbonnementer: ended,
            ...(ended.length > 0 ? { repairedAt: now } : {}),
        });
        return { id: abonnement.uuid, outs };
    }

    async read(id: string, stored: SubscriptionOutputs): Promise<dynamic.ReadResult> {
        const props = migrateOutputs({ ...stored });
        const api = this.client(props.endpoint, props.kommunekode);
        // With another municipality's credentials the subscription would look deleted (404): refuse
        // rather than let refresh drop it from state.
        await mustActFor(api, props.kommunekode, "Laes abonnement", props.endpoint);
        const a = await api.getAbonnement(id);
        if (!a) return { id: "", props: {} };
        // Taken over by another stack: say so, and leave state as it is (it is never recreated here).
        const owner = ownerOf(a.note);
        if (owner !== undefined && owner !== props.managedBy) throw errors.takenOver(id, owner, props.managedBy);
        const system = await api.getItSystemInstans(a.itSystemInstans);
        const sortiment = (await api.getSortiment(a.sortiment)) ?? {
            uuid: a.sortiment,
            brugervendtnoegle: props.sortimentNavn ?? a.sortiment,
        };
        const systemName = system?.navn ?? props.itSystemInstansNavn ?? "";
        // The owner its note names is recorded as `owner`; none recorded makes the next `up` write it.
        const inputs = inputsOf(props, a, sortiment.brugervendtnoegle);
        return { id, props: outputsOf(inputs, a, sortiment, systemName, historyOf(props)) };
    }

    async update(id: string, stored: SubscriptionOutputs, news: CheckedInputs): Promise<dynamic.UpdateResult> {
        const olds = migrateOutputs({ ...stored });
        const endpoint = news.endpoint ?? olds.endpoint;
        const api = this.client(endpoint, olds.kommunekode);
        await mustActFor(api, olds.kommunekode, "Ret abonnement", endpoint);
        let current = await api.getAbonnement(id);
        if (!current) {
            throw errors.rejected(
                "Ret abonnement",
                404,
                `subscription ${id} no longer exists; run \`pulumi refresh\` and then \`pulumi up\` to create it again`,
            );
        }
        const owner = ownerOf(current.note);
        const ours = owner === undefined || owner === olds.managedBy || owner === news.managedBy;
        if (!ours && news.takeOver !== true) throw errors.takenOver(id, owner, news.managedBy);
        if (ours && current.version !== olds.version) throw errors.concurrentChange(id);
        const to = news.validTo ?? null;
        if (current.virkning.to !== to) {
            const version = current.version;
            const changed = await setValidTo(
                api,
                current,
                to,
                (now) => now !== undefined && now.virkning.to === to && now.version === version + 1,
            );
            if (!changed) throw errors.rejected("Ret abonnement", 404, `subscription ${id} was deleted meanwhile`);
            current = changed;
        }
        const note = ownNote(news.managedBy);
        if (current.note !== note) {
            const claimed = await setNote(api, current, note);
            if (!claimed) throw errors.concurrentChange(id);
            current = claimed;
        }
        const sortiment = { uuid: olds.sortimentUuid, brugervendtnoegle: olds.sortimentNavn };
        const inputs = { ...news, validFrom: olds.validFrom };
        return { outs: outputsOf(inputs, current, sortiment, olds.itSystemInstansNavn, historyOf(olds)) };
    }

    async delete(id: string, stored: SubscriptionOutputs): Promise<void> {
        const props = migrateOutputs({ ...stored });
        const said = (what: string) => this.tell(`subscription ${id} ${what}`);
        await destroySubscription(() => this.client(props.endpoint, props.kommunekode), id, props, said);
    }
}
