export * from "./domain";
export * from "./errors";
export * from "./connection";
export * from "./resource";
export type { SubscriptionOutputs } from "./provider";
export type { ClassificationApi, AbonnementFilter, CreateOutcome } from "./client";
export * from "./task";
export { HttpClassificationApi } from "./client";
export type { Abonnement, Sortiment, ItSystemInstans } from "./wire";
