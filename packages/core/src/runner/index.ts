/**
 * The runner of @ferry/core: migration runs with staging, planning, schema setup, phased
 * loading, resume, sample, delta, verification and rollback, as Effects and as Promises.
 */
export * from "./AutomationItem.js";
export * from "./FieldDifferences.js";
export { linkTargetKind } from "./LinkResolution.js";
export * from "./Migration.js";
export * from "./MigrationApi.js";
export * from "./MigrationOptions.js";
export type { RollbackScope, RollbackSummary } from "./Rollback.js";
export { utcDay } from "./RunContext.js";
export * from "./RunnerErrors.js";
export * from "./TimeWindow.js";
export { isMissingOrGoneLink, type VerificationResult } from "./Verification.js";
