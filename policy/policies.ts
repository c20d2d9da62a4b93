// The policies of the pack, in one list (index.ts only constructs the pack from it, so tests can
// import the policies without starting a policy server).
import { Policies } from "@pulumi/policy";
import { httpsEndpointPolicy } from "./endpoint";
import { itSystemUuidPolicy, knownDebtorSystemPolicy } from "./it-system";
import { skemaversionPolicy } from "./schema-version";
import { uniqueSubscriptionPolicy } from "./unique";
import { validFromWindowPolicy, validToEmptyPolicy } from "./validity";

export const policies: Policies = [
    skemaversionPolicy,
    itSystemUuidPolicy,
    knownDebtorSystemPolicy,
    validFromWindowPolicy,
    validToEmptyPolicy,
    uniqueSubscriptionPolicy,
    httpsEndpointPolicy,
];

export { httpsEndpointPolicy, itSystemUuidPolicy, knownDebtorSystemPolicy, skemaversionPolicy, uniqueSubscriptionPolicy, validFromWindowPolicy, validToEmptyPolicy };
