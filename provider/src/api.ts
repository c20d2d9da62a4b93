// `@fk-iac/klassifikation/api`: the HTTP client of the classification API, for tools that talk to it
// directly (the main job, the status command, the fleet). Kept out of the package's main entry so a
// Pulumi program, which needs only the resource's declaration, never loads axios and zod.
export { HttpClassificationApi } from "./client";
export type { AbonnementFilter, ClassificationApi, CreateOutcome } from "./classification-api";
