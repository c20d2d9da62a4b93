// The policies of the pack, in one list (index.ts only constructs the pack from it, so tests can
// import the policies without starting a policy server).
import { Policies } from "@pulumi/policy";
import { httpsEndpointPolicy } from "./endpoint";
import { itSystemUuidPolicy, knownDebtorSystemPolicy } from "./it-system";
import { kommunekodePolicy } from "./kommunekode";
import { repairPlanPolicy } from "./repair";
import { skemaversionPolicy } from "./schema-version";
import { uniqueSubscriptionPolicy } from "./unique";
import { validFromWindowPolicy, validToEmptyPolicy } from "./validity";

export const policies: Policies = [
    skemaversionPolicy,
    kommunekodePolicy,
    itSystemUuidPolicy,
    knownDebtorSystemPolicy,
    validFromWindowPolicy,
    validToEmptyPolicy,
    uniqueSubscriptionPolicy,
    httpsEndpointPolicy,
    repairPlanPolicy,
];

export {
    httpsEndpointPolicy,
    itSystemUuidPolicy,
    kommunekodePolicy,
    knownDebtorSystemPolicy,
    repairPlanPolicy,
    skemaversionPolicy,
    uniqueSubscriptionPolicy,
    validFromWindowPolicy,
    validToEmptyPolicy,
};
