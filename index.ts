// Task GB1.0 ("Opret abonnement til Borgerblikkets sortiment for KMD Opus Debitor") as a Pulumi program.
// One stack per municipality: the stack config names the municipality (kommune:kode, kommune:navn)
// and how to reach FK Klassifikation (fk:endpoint, fk:token or a client certificate).
import * as pulumi from "@pulumi/pulumi";
import { gb10Subscription, KMD_OPUS_DEBITOR, SortimentSubscription } from "@fk-iac/klassifikation";

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

export const kommuneInfo = { kode, navn };
export const abonnementUuid = subscription.abonnementUuid;
export const endpoint = subscription.endpoint;
export const abonnement = {
    sortiment: subscription.sortimentNavn,
    abonnerendeItSysteminstans: pulumi.interpolate`${subscription.itSystemInstansNavn} (${subscription.itSystemInstans})`,
    skemaversion: subscription.skemaversion,
    gyldigFra: subscription.validFrom,
    gyldigTil: subscription.validTo.apply((to) => to ?? "(empty)"),
    livscyklus: subscription.livscyklus,
    oprettet: subscription.oprettet,
    kommunekode: subscription.kommunekode,
};
/** Delivery to the debtor system at the time of the last `pulumi up`; `npm run status` checks it live. */
export const levering = {
    status: subscription.leveringStatus,
    forventet: subscription.forventetLevering,
    leveret: subscription.leveretTidspunkt,
};
