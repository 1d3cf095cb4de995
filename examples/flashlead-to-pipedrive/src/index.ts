/**
 * The reference pipeline from a Flash Lead Sales export to Pipedrive.
 */
export * from "./Estimate.js";
export * from "./ReferencePipeline.js";
