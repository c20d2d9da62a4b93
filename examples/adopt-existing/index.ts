// Adopting a subscription that already exists (for instance one the administrator clicked into the
// web UI before the municipality moved to code).
//
// `pulumi import` does not work for dynamic providers (pulumi/pulumi#16175). Instead, declare the
// subscription with exactly the values it has in FK Klassifikation - above all its Gyldig fra - and
// run `pulumi up`: the provider looks for an active subscription with the same sortiment and system
// before creating, finds it, and adopts it (output `adopted: true`). Nothing is created.
//
//   pulumi config set existingValidFrom 2025-03-01      # the Gyldig fra shown in the web UI
//   pulumi up --policy-pack ../../policy --policy-pack-config policy-config.json
//
// The policy pack's fk-valid-from-window refuses an explicit validFrom far in the past; the
// policy-config.json beside this program widens the window for this adoption.
import * as pulumi from "@pulumi/pulumi";
import { gb10Subscription, SortimentSubscription } from "@fk-iac/klassifikation";

const config = new pulumi.Config();
const subscription = new SortimentSubscription("borgerblikket-kmd-opus-debitor", {
    ...gb10Subscription,
    validFrom: config.require("existingValidFrom"),
    skemaversion: config.get("existingSkemaversion") ?? gb10Subscription.skemaversion,
});

export const abonnementUuid = subscription.abonnementUuid;
export const adopted = subscription.adopted;
