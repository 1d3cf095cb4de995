/**
 * @ferry/source-flashlead: a Source for Flash Lead Sales CSV export folders, with typed records
 * per object and a discovery audit.
 */

export * from "./DiscoveryReport.js";
export * from "./FlashLeadKind.js";
export * from "./FlashLeadRecords.js";
export * from "./FlashLeadSource.js";
export * from "./HeaderAliases.js";
export {
  type ActivityKind,
  classifyActivity,
  parseStageChange,
} from "./internal/ActivityKind.js";
export { placeholders } from "./internal/Cells.js";
export { FingerprintSet } from "./internal/FingerprintSet.js";
export type { MigrationVolume } from "./internal/Volume.js";
