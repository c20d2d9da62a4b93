// The SortimentSubscription resource. What Pulumi serializes into state is only the small shim below:
// each method loads the installed implementation (`@fk-iac/klassifikation/runtime`) when it runs.
// That keeps the serialized provider small, keeps zod and axios out of the closure serializer, and
// lets delete/refresh of old resources run current code.
import * as pulumi from "@pulumi/pulumi";
import {
    BORGERBLIKKET,
    DestroyBehaviour,
    KMD_OPUS_DEBITOR,
    REQUIRED_SKEMAVERSION,
    RESOURCE_MODULE,
    RESOURCE_TYPE,
} from "./domain";
import { hasUrlCredentials, maskUrl } from "./endpoint";
import { errors } from "./errors";

// The shim's text is in every stack's state: Prettier and the lint leave it exactly as it is
// (test/component/provider/upgrade-guard.test.ts compares its hash with the latest release's).
/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return */
// prettier-ignore
const shim: pulumi.dynamic.ResourceProvider = {
    configure: (req) => require("@fk-iac/klassifikation/runtime").handler().configure(req),
    check: (olds, news) => require("@fk-iac/klassifikation/runtime").handler().check(olds, news),
    diff: (id, olds, news) => require("@fk-iac/klassifikation/runtime").handler().diff(id, olds, news),
    create: (inputs) => require("@fk-iac/klassifikation/runtime").handler().create(inputs),
    read: (id, props) => require("@fk-iac/klassifikation/runtime").handler().read(id, props),
    update: (id, olds, news) => require("@fk-iac/klassifikation/runtime").handler().update(id, olds, news),
    delete: (id, props) => require("@fk-iac/klassifikation/runtime").handler().delete(id, props),
};
/* eslint-enable @typescript-eslint/no-require-imports, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return */

/**
 * Inputs of a {@link SortimentSubscription}. The Danish UI fields of FK Klassifikation map to them as:
 * Sortiment → `sortiment`, Abonnerende It-systeminstans → `itSystemInstans`, Skemaversion →
 * `skemaversion`, Gyldig fra → `validFrom`, Gyldig til → `validTo`.
 *
 * @example
 * new SortimentSubscription("borgerblikket", {
 *     sortiment: "Borgerblikket",
 *     itSystemInstans: "362ebac2-761b-4a44-abc6-679f2d5615ce", // KMD Opus Debitor
 *     skemaversion: "1.3",
 * });
 */
export interface SortimentSubscriptionArgs {
    /** The sortiment: its brugervendtnoegle (e.g. "Borgerblikket") or its uuid. Changing it replaces the subscription. */
    sortiment: pulumi.Input<string>;
    /** Uuid of the subscribing it-systeminstans. Changing it replaces the subscription. */
    itSystemInstans: pulumi.Input<string>;
    /** Schema version the sortiment is delivered in, e.g. "1.3". Changing it replaces the subscription. */
    skemaversion: pulumi.Input<string>;
    /**
     * The municipality the subscription belongs to, as its four-digit kommunekode (e.g. "0101" for
     * København). Before every write the provider asks the classification API whom the credentials act
     * for, and refuses when it is another municipality. Changing it is refused before anything is written
     * (FK_MUNICIPALITY_CHANGE): credentials act for one municipality, so move a stack in two steps
     * (destroy with the old municipality's credentials, then up with the new one's).
     * @default the stack config kommune:kode (required: there is no default municipality)
     */
    kommunekode?: pulumi.Input<string>;
    /**
     * First day in force (Gyldig fra), YYYY-MM-DD. Changing it replaces the subscription.
     * @default today in Danish time (Europe/Copenhagen), fixed when the subscription is created
     */
    validFrom?: pulumi.Input<string>;
    /**
     * Day it ends (Gyldig til), YYYY-MM-DD; the subscription is in force until the day before. Changed in place.
     * @default none: open-ended, as task GB1.0 asks
     */
    validTo?: pulumi.Input<string>;
    /**
     * What destroying the resource does in the classification system.
     * @default "endDate": Gyldig til is set to today, keeping the history (the OIO way)
     */
    onDestroy?: pulumi.Input<DestroyBehaviour>;
    /**
     * The classification API the subscription lives in. Recorded on the resource (it is not a secret),
     * so destroy and refresh reach the right system, and policies can check it. Changing it only
     * records the new endpoint (it may be a new name for the same system); if the subscription is not
     * there, `pulumi refresh` shows it gone and the next `pulumi up` creates it.
     * @default the stack config fk:endpoint, else the environment variable FK_KLASSIFIKATION_ENDPOINT
     */
    endpoint?: pulumi.Input<string>;
    /**
     * What to do when the municipality already has an active subscription with this sortiment and
     * it-systeminstans, but with other values (made by hand in the web UI, say with skemaversion 1.2 or
     * a Gyldig til). `false` refuses it before anything is written (in `pulumi preview` too), naming it.
     * `true` repairs it in the same `pulumi up`: the wrong one is ended (Gyldig til = today; its history
     * is kept, never deleted), then the declared one is created; `preview` shows that plan first.
     * One that has the declared values is always adopted as it is (values and dates untouched; one write
     * of its note records this resource as its owner), whatever its Gyldig fra when validFrom is left out.
     * @default false
     */
    repairExisting?: pulumi.Input<boolean>;
    /**
     * What to do when the active subscription is managed by another stack (its note names that stack's
     * resource). `false` refuses it before anything is written, in `pulumi preview` too, naming that stack.
     * `true` moves it to this resource with one write of its note (values and dates untouched); the stack
     * that lost it then refuses to change or recreate it (FK_TAKEN_OVER), and destroying it there only
     * forgets it. Set it for the run that moves the subscription, then unset it.
     * @default false
     */
    takeOver?: pulumi.Input<boolean>;
}

/**
 * A credential in the endpoint URL stops the program before the resource is registered: before the
 * engine starts the provider, so the stack's configuration (which Pulumi records with the provider in
 * state) is never written with it. The message shows the URL masked.
 */
function refuseCredentialsIn(endpoint: pulumi.Input<string> | undefined, fromConfig: boolean): void {
    if (typeof endpoint !== "string" || !hasUrlCredentials(endpoint)) return;
    const setting = fromConfig ? "fk:endpoint (or FK_KLASSIFIKATION_ENDPOINT)" : "the resource's endpoint";
    throw new pulumi.RunError(
        errors.invalidConnection(
            setting,
            "must not contain credentials; give the token with `printf '%s' \"$TOKEN\" | pulumi config set --secret fk:token`, or a client certificate",
            endpoint,
        ).message,
    );
}

/**
 * The endpoint as the resource passes it on: a credential in the URL never leaves the program (the
 * provider refuses such an endpoint anyway, and the engine, policies and state see it masked).
 */
function masked(endpoint: pulumi.Input<string> | undefined): pulumi.Input<string> | undefined {
    if (endpoint === undefined || typeof endpoint === "string")
        return endpoint === undefined ? undefined : maskUrl(endpoint);
    return pulumi.output(endpoint).apply(maskUrl);
}

/**
 * A municipality's subscription (abonnement) of an it-systeminstans to a sortiment in FK Klassifikation.
 *
 * The resource id is the subscription's uuid. Connection settings come from stack config (`fk:endpoint`,
 * `fk:token` or a client certificate; see ConnectionSettings) and are never stored in state. The
 * municipality (`kommunekode`, default the stack config `kommune:kode`) must be the one the credentials
 * act for: create, adopt, update and destroy refuse before any write when it is not.
 *
 * @example
 * const sub = new SortimentSubscription("borgerblikket", gb10Subscription);
 * export const leveringStatus = sub.leveringStatus;
 */
export class SortimentSubscription extends pulumi.dynamic.Resource {
    /** The subscription's uuid in FK Klassifikation. */
    declare public readonly abonnementUuid: pulumi.Output<string>;
    declare public readonly sortiment: pulumi.Output<string>;
    declare public readonly sortimentUuid: pulumi.Output<string>;
    /** The sortiment's brugervendtnoegle. */
    declare public readonly sortimentNavn: pulumi.Output<string>;
    declare public readonly itSystemInstans: pulumi.Output<string>;
    /** The subscribing system's name, e.g. "KMD Opus Debitor". */
    declare public readonly itSystemInstansNavn: pulumi.Output<string>;
    declare public readonly skemaversion: pulumi.Output<string>;
    declare public readonly validFrom: pulumi.Output<string>;
    declare public readonly validTo: pulumi.Output<string | undefined>;
    declare public readonly onDestroy: pulumi.Output<DestroyBehaviour>;
    /** The classification API it lives in. */
    declare public readonly endpoint: pulumi.Output<string | undefined>;
    /** The municipality that owns it (its kommunekode), checked against the credentials before every write. */
    declare public readonly kommunekode: pulumi.Output<string>;
    /** OIO lifecycle: Opstaaet, Rettet, Passiv. */
    declare public readonly livscyklus: pulumi.Output<string>;
    /** Creation time in the classification system. */
    declare public readonly oprettet: pulumi.Output<string>;
    /** Time of the latest registration. */
    declare public readonly registreringstid: pulumi.Output<string>;
    /** Delivery to the subscribing system: Afventer (may take up to a day), Leveret, Stoppet. */
    declare public readonly leveringStatus: pulumi.Output<string>;
    declare public readonly leveretTidspunkt: pulumi.Output<string | undefined>;
    declare public readonly forventetLevering: pulumi.Output<string | undefined>;
    /** True when the subscription existed already and was adopted rather than created. */
    declare public readonly adopted: pulumi.Output<boolean>;
    /** When this resource adopted it (only for an adopted one). */
    declare public readonly adoptedAt: pulumi.Output<string | undefined>;
    /** Who created it: the person in the web UI for one made by hand, else this provider's credentials. */
    declare public readonly oprettetAf: pulumi.Output<string | undefined>;
    /** The subscriptions with other values that the create ended to repair them (repairExisting). */
    declare public readonly endedAbonnementer: pulumi.Output<string[] | undefined>;
    /** When the create repaired them (only with endedAbonnementer). */
    declare public readonly repairedAt: pulumi.Output<string | undefined>;
    /** The version of this provider that last wrote the resource's state (create, refresh or update). */
    declare public readonly providerVersion: pulumi.Output<string>;
    /** The Pulumi resource (`<project>/<stack>/<name>`) the subscription's note names as its owner, as last read. */
    declare public readonly owner: pulumi.Output<string | undefined>;

    constructor(name: string, args: SortimentSubscriptionArgs, opts?: pulumi.CustomResourceOptions) {
        const endpoint =
            args.endpoint ??
            (new pulumi.Config("fk").get<string>("endpoint") || process.env.FK_KLASSIFIKATION_ENDPOINT || undefined);
        refuseCredentialsIn(endpoint, args.endpoint === undefined);
        super(
            shim,
            name,
            {
                ...args,
                // Every output needs its key present, even when the input is left out.
                validFrom: args.validFrom,
                validTo: args.validTo,
                onDestroy: args.onDestroy,
                kommunekode: args.kommunekode ?? new pulumi.Config("kommune").get<string>("kode"),
                endpoint: masked(endpoint),
                managedBy: `${pulumi.getProject()}/${pulumi.getStack()}/${name}`,
                abonnementUuid: undefined,
                sortimentUuid: undefined,
                sortimentNavn: undefined,
                itSystemInstansNavn: undefined,
                livscyklus: undefined,
                oprettet: undefined,
                registreringstid: undefined,
                leveringStatus: undefined,
                leveretTidspunkt: undefined,
                forventetLevering: undefined,
                adopted: undefined,
                adoptedAt: undefined,
                oprettetAf: undefined,
                endedAbonnementer: undefined,
                repairedAt: undefined,
                providerVersion: undefined,
                owner: undefined,
            },
            opts,
            RESOURCE_MODULE,
            RESOURCE_TYPE,
        );
    }
}

/**
 * The values task GB1.0 fixes: KMD Opus Debitor subscribes to the Borgerblikket sortiment in schema
 * version 1.3, valid from today, with no end. Its types keep the literal values (`skemaversion: "1.3"`).
 *
 * @example
 * new SortimentSubscription("borgerblikket-kmd-opus-debitor", gb10Subscription);
 */
export const gb10Subscription = Object.freeze({
    sortiment: BORGERBLIKKET,
    itSystemInstans: KMD_OPUS_DEBITOR,
    skemaversion: REQUIRED_SKEMAVERSION,
} as const) satisfies SortimentSubscriptionArgs;
