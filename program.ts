// Task GB1.0 ("Opret abonnement til Borgerblikkets sortiment for KMD Opus Debitor") as a function: the
// resources of one municipality's stack and the stack's outputs. index.ts runs it as the program of
// `pulumi up`; the fleet runs the same function inline, once per municipality, in its own process.
//
// What it needs comes from the stack's config: kommune:kode and kommune:navn name the municipality,
// fk:endpoint the classification API (else the resource falls back to FK_KLASSIFIKATION_ENDPOINT, which
// an inline program would share with every stack in the process: the fleet always sets fk:endpoint),
// and `debtorSystem` the subscribing it-systeminstans.
import * as pulumi from "@pulumi/pulumi";
import { gb10Subscription, KMD_OPUS_DEBITOR, SortimentSubscription } from "@fk-iac/klassifikation";

/** Creates the stack's subscription and returns the stack's outputs. */
export function gb10Program() {
    // The stack's municipality. The provider refuses a kommunekode that is not one of the 98 (so does the
    // policy pack), and refuses to write when the credentials act for another municipality.
    const kommune = new pulumi.Config("kommune");
    const kode = kommune.require("kode");
    const navn = kommune.require("navn");

    // Sortiment Borgerblikket, Abonnerende It-systeminstans KMD Opus Debitor, Skemaversion 1.3,
    // Gyldig fra today (Danish time, fixed at creation), Gyldig til empty. A municipality with another
    // debtor system sets `debtorSystem` to its it-systeminstans uuid (the policy pack warns about it).
    const debtorSystem = new pulumi.Config().get("debtorSystem") ?? KMD_OPUS_DEBITOR;
    const subscription = new SortimentSubscription("borgerblikket-debitorsystem", {
        ...gb10Subscription,
        itSystemInstans: debtorSystem,
        kommunekode: kode,
    });

    return {
        kommuneInfo: { kode, navn },
        abonnementUuid: subscription.abonnementUuid,
        endpoint: subscription.endpoint,
        abonnement: {
            sortiment: subscription.sortimentNavn,
            abonnerendeItSysteminstans: pulumi.interpolate`${subscription.itSystemInstansNavn} (${subscription.itSystemInstans})`,
            skemaversion: subscription.skemaversion,
            gyldigFra: subscription.validFrom,
            gyldigTil: subscription.validTo.apply((to) => to ?? "(empty)"),
            livscyklus: subscription.livscyklus,
            oprettet: subscription.oprettet,
            kommunekode: subscription.kommunekode,
        },
        /** Delivery to the debtor system at the time of the last `pulumi up`; `npm run status` checks it live. */
        levering: {
            status: subscription.leveringStatus,
            forventet: subscription.forventetLevering,
            leveret: subscription.leveretTidspunkt,
        },
    };
}
