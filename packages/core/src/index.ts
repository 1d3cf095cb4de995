/**
 * @ferry/core: the contracts every Ferry connector and pipeline shares, and the runner, ledger
 * and reports built on them.
 */
export * from "./DateFormat.js";
export * from "./Destination.js";
export * from "./DestinationError.js";
export * from "./DestinationSchema.js";
export * from "./EmailAddress.js";
export * from "./Inventory.js";
export * from "./ledger/index.js";
export * from "./NumberFormat.js";
export * from "./Progress.js";
export * from "./report/index.js";
export * from "./runner/index.js";
export * from "./SchemaChange.js";
export * from "./Source.js";
export * from "./SourceError.js";
export * from "./SourceRecord.js";
export * from "./Transform.js";
