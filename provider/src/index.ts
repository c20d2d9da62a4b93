// The package's main entry: what a Pulumi program needs (the resource, the domain's values, the
// task's assessment and the errors), without the HTTP client (`@fk-iac/klassifikation/api`).
export * from "./domain";
export * from "./errors";
export * from "./connection";
export * from "./resource";
export type { SubscriptionOutputs } from "./provider";
export type { ClassificationApi, AbonnementFilter, CreateOutcome } from "./classification-api";
export * from "./task";
export * from "./existing";
export * from "./ownership";
export * from "./decision";
export * from "./survey";
export type { Abonnement, Sortiment, ItSystemInstans } from "./wire";
