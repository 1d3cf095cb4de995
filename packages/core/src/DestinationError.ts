/**
 * The failure family of a Destination. One error class carries a `reason`; the reason decides
 * whether the call may be retried and whether the run must halt. Connectors translate their
 * transport's errors into this class at their boundary and keep the original as `cause`.
 */
import { Schema } from "effect";

import { RecordRef } from "./SourceRecord.js";

/** Reason a destination call failed. */
export const DestinationErrorReason = Schema.Literal(
  /** The connection failed or was closed before a response arrived. */
  "transport",
  /** No response arrived within the client's timeout. */
  "timeout",
  /** The short burst window is spent (HTTP 429); it clears within seconds. */
  "rate-limited",
  /** The daily request budget is spent; it clears when the budget resets. */
  "budget-exhausted",
  /** The credentials are missing or invalid (HTTP 401). */
  "unauthorized",
  /** The account is not open, for example a lapsed trial (HTTP 402). */
  "payment-required",
  /** The user lacks a permission (HTTP 403). */
  "forbidden",
  /** A plan limit was reached, such as the custom field cap (HTTP 403 with a capping code). */
  "plan-cap",
  /** Traffic was blocked after sustained rate-limit violations (HTTP 403 with an HTML page). */
  "blocked",
  /** The destination rejected the payload (HTTP 400 or 422). */
  "validation",
  /** The record or endpoint does not exist (HTTP 404 or 410). */
  "not-found",
  /** The destination returned a server error (HTTP 5xx). */
  "server",
  /** Anything the classifier does not recognize. */
  "unknown",
);
export type DestinationErrorReason = typeof DestinationErrorReason.Type;

const retryable: ReadonlySet<DestinationErrorReason> = new Set([
  "transport",
  "timeout",
  "rate-limited",
  "server",
]);

const halting: ReadonlySet<DestinationErrorReason> = new Set([
  "budget-exhausted",
  "unauthorized",
  "payment-required",
  "forbidden",
  "plan-cap",
  "blocked",
]);

const hints: Partial<Record<DestinationErrorReason, string>> = {
  unauthorized: "check the API token",
  "payment-required": "the account is not open; check its billing",
  forbidden: "the token's user lacks a permission for this call; use an admin's token",
  "plan-cap": "the account's plan limit is reached; upgrade the plan or remove items",
  blocked: "traffic was blocked after repeated rate-limit errors; wait before retrying",
  "budget-exhausted": "the daily budget is spent; resume after it resets",
};

/**
 * A destination failure with the request, the status and the destination's own message.
 *
 * The URL must never contain a credential: connectors send tokens in headers.
 *
 * @example
 * ```ts
 * const error = new DestinationError({
 *   reason: "validation",
 *   method: "POST",
 *   url: "https://acme.pipedrive.com/api/v2/persons",
 *   status: 400,
 *   apiMessage: "Validation failed: emails: Expected array",
 * });
 * error.isRetryable; // false
 * ```
 */
export class DestinationError extends Schema.TaggedError<DestinationError>()("DestinationError", {
  reason: DestinationErrorReason,
  method: Schema.optional(Schema.String),
  url: Schema.optional(Schema.String),
  status: Schema.optional(Schema.Int),
  /** The destination's own error text. */
  apiMessage: Schema.optional(Schema.String),
  /** Extra explanation from the connector. */
  detail: Schema.optional(Schema.String),
  /** Destination object kind the call was about. */
  kind: Schema.optional(Schema.String),
  /** Source record the call was writing, when there was one. */
  ref: Schema.optional(RecordRef),
  /** Wait before the call may succeed, in milliseconds, when the destination gave one. */
  retryAfterMs: Schema.optional(Schema.Number),
  /** When a spent budget resets, as an ISO 8601 timestamp. */
  resetsAt: Schema.optional(Schema.String),
  cause: Schema.optional(Schema.Defect),
}) {
  /** Whether the same call may succeed when it is sent again. */
  get isRetryable(): boolean {
    return retryable.has(this.reason);
  }

  /** Whether the run must stop (resumably) instead of going on with other records. */
  get haltsRun(): boolean {
    return halting.has(this.reason);
  }

  override get message(): string {
    const request = this.method === undefined ? "" : `${this.method} ${this.url ?? ""} `;
    const status = this.status === undefined ? "" : `(HTTP ${this.status}) `;
    const api = this.apiMessage === undefined ? "" : `: ${this.apiMessage}`;
    const detail = this.detail === undefined ? "" : `; ${this.detail}`;
    const reset = this.resetsAt === undefined ? "" : `; resets at ${this.resetsAt}`;
    const hint = hints[this.reason];
    const advice = hint === undefined ? "" : ` (${hint})`;
    return `${request}${status}failed, ${this.reason}${api}${detail}${reset}${advice}`.trim();
  }
}
