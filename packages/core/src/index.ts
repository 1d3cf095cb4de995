/**
 * @ferry/core: the contracts every Ferry connector and pipeline shares.
 */
export * from "./Destination.js";
export * from "./DestinationError.js";
export * from "./DestinationSchema.js";
export * from "./Inventory.js";
export * from "./Progress.js";
export * from "./SchemaChange.js";
export * from "./Source.js";
export * from "./SourceError.js";
export * from "./SourceRecord.js";
export * from "./Transform.js";
