// Task GB1.0 in its smallest form.
import { gb10Subscription, SortimentSubscription } from "@fk-iac/klassifikation";

// Sortiment: Borgerblikket; Abonnerende It-systeminstans: KMD Opus Debitor
// (362ebac2-761b-4a44-abc6-679f2d5615ce); Skemaversion: 1.3; Gyldig fra: today; Gyldig til: empty.
// The municipality comes from the stack config: `pulumi config set kommune:kode 0101`.
const subscription = new SortimentSubscription("borgerblikket-kmd-opus-debitor", gb10Subscription);

export const abonnementUuid = subscription.abonnementUuid;
export const gyldigFra = subscription.validFrom;
export const leveringStatus = subscription.leveringStatus;
