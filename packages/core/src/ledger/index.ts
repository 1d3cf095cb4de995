/**
 * The run ledger of @ferry/core: the SQLite file that records runs, approvals, staging, the id
 * map, the write journal, schema items, rejections, the queue, checkpoints and token spend.
 */
export * from "./ContentHash.js";
export * from "./JournalStore.js";
export * from "./Ledger.js";
export * from "./LedgerError.js";
export * from "./LedgerRows.js";
export * from "./LedgerStaging.js";
export type { PlannedStore } from "./PlannedStore.js";
export { plannedHash } from "./PlannedStore.js";
export * from "./ReportPages.js";
export type { RollbackStore } from "./RollbackStore.js";
export type {
  FileOutcomes,
  SourceFileRow,
  SourceFileStore,
  StagedFile,
} from "./SourceFileStore.js";
export type { StagingStore } from "./StagingStore.js";
export type { TokenStore } from "./TokenStore.js";
export type { VerificationStore } from "./VerificationStore.js";
