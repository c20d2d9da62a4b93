// Adopting a subscription that already exists (for instance one the administrator clicked into the
// web UI before the municipality moved to code).
//
// Declare the subscription with the values it has, and run `pulumi up`: before creating, the provider
// looks for an active subscription with the same sortiment and system, finds it, and adopts it with no
// write (outputs `adopted: true`, `oprettetAf`, its real Gyldig fra); `pulumi preview` shows the plan
// `adopt` first. Leave validFrom out and any Gyldig fra is accepted (the root program does this); or
// pin the one you expect, and only that one is adopted:
//
//   pulumi config set existingValidFrom 2025-03-01      # optional: the Gyldig fra shown in the web UI
//   pulumi up --policy-pack ../../policy
//
// One with other values (say skemaversion 1.2) is refused, naming it; `pulumi config set repair true`
// ends it (Gyldig til today, history kept) and creates this one instead.
import * as pulumi from "@pulumi/pulumi";
import { gb10Subscription, SortimentSubscription } from "@fk-iac/klassifikation";

const config = new pulumi.Config();
const subscription = new SortimentSubscription("borgerblikket-kmd-opus-debitor", {
    ...gb10Subscription,
    validFrom: config.get("existingValidFrom"),
    repairExisting: config.getBoolean("repair") ?? false,
});

export const abonnementUuid = subscription.abonnementUuid;
export const adopted = subscription.adopted;
