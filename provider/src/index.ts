export * from "./domain";
export * from "./errors";
export * from "./connection";
export * from "./resource";
export type { SubscriptionOutputs } from "./provider";
export type { ClassificationApi, AbonnementFilter, CreateOutcome } from "./client";
