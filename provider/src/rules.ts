// The rules and fixed values of a subscription, with no dependencies beyond Node.js itself:
// `@fk-iac/klassifikation/rules`. The provider, the policy pack, the CLI and the benchmarks all judge
// values with these, so a policy and the provider never disagree about the same value.
export * from "./domain";
export * from "./kommuner";
export * from "./text";
export { addDays, danishDateTime, danishToday, isCalendarDate } from "./dates";
export { endpointProblem, hasUrlCredentials, isLoopback, maskUrl, maskUrlsIn } from "./endpoint";
