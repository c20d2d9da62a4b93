// Ending a subscription, two ways:
//
// 1. Keep the resource and set Gyldig til (validTo): `pulumi config set endOn 2026-12-31`, then
//    `pulumi up`. The subscription is changed in place (same uuid) and stops on that day.
// 2. Remove the resource (or `pulumi destroy`): what happens follows onDestroy -
//    "endDate" (default: Gyldig til = today, history kept), "passivate", "delete" or "retain".
import * as pulumi from "@pulumi/pulumi";
import { type DestroyBehaviour, gb10Subscription, SortimentSubscription } from "@fk-iac/klassifikation";

const config = new pulumi.Config();
const subscription = new SortimentSubscription("borgerblikket-kmd-opus-debitor", {
    ...gb10Subscription,
    validTo: config.get("endOn"),
    // The provider's check refuses anything but the four behaviours, naming them.
    onDestroy: config.get<DestroyBehaviour>("onDestroy") ?? "endDate",
});

export const abonnementUuid = subscription.abonnementUuid;
export const gyldigTil = subscription.validTo;
