/**
 * @ferry/dest-pipedrive: a Ferry Destination for Pipedrive, with a rate-aware client (token
 * budget, burst pacing, classified retries) and the encoders and normalizers it writes and
 * reads with. The local simulator is the separate entry `@ferry/dest-pipedrive/sandbox`.
 */
export { type BackoffPolicy, backoffDelay } from "./Backoff.js";
export { BurstPacer, type RateLimitHeaders, readRateLimitHeaders } from "./BurstPacer.js";
export {
  Catalog,
  fieldKindOf,
  markerFieldName,
  readSchema,
  schemaListPaths,
} from "./Catalog.js";
export {
  type Classification,
  classifyFailure,
  type Failure,
  readRetryAfterMs,
} from "./classifyFailure.js";
export { decodeCustomValue, type Encoded, encodeCustomValue, optionIds } from "./FieldValues.js";
export { lookupRecords } from "./Lookup.js";
export { htmlMarker, markerValue, parseMarker, readHtmlMarker, withHtmlMarker } from "./Marker.js";
export {
  type Encoding,
  encodeRecord,
  isPipedriveKind,
  kindPaths,
  type Payload,
  type PipedriveKind,
  toV1Timestamp,
} from "./Payloads.js";
export {
  type ApiRequest,
  type ApiResponse,
  type ClientStats,
  makePipedriveClient,
  PipedriveClient,
} from "./PipedriveClient.js";
export {
  decodePipedriveConfig,
  PipedriveConfig,
  PipedriveConfigError,
  type PipedriveConfigInput,
  PipedrivePlan,
  planBurstLimits,
  planCustomFieldCaps,
  planMultipliers,
  searchBurstLimit,
} from "./PipedriveConfig.js";
export {
  fromConfig,
  makePipedriveDestination,
  type PipedriveDestination,
  type PipedriveDestinationOptions,
  pipedriveKinds,
} from "./PipedriveDestination.js";
export { normalizeRecord, normalizeTimestamp } from "./ReadBack.js";
export { readBackRecords, readBackTokens } from "./Reader.js";
export { removeRecords } from "./Remover.js";
export { redactedText, redactText, redactValue, secretPattern } from "./redactSecret.js";
export { removeSchemaItems } from "./SchemaRemover.js";
export { applySchemaChanges, type SchemaApplied } from "./SchemaSetup.js";
export { type BudgetDecision, TokenBudget } from "./TokenBudget.js";
export { type ApiVersion, tokenCost } from "./TokenCosts.js";
export { writeBatch } from "./Writer.js";
