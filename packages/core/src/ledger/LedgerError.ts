/**
 * The failure the run ledger raises when its SQLite file cannot be opened, read or written.
 */
import { Schema } from "effect";

/** What the ledger was doing when it failed. */
export const LedgerOperation = Schema.Literal("open", "read", "write", "migrate");
export type LedgerOperation = typeof LedgerOperation.Type;

/**
 * A ledger failure with the database path and the operation.
 *
 * @example
 * ```ts
 * new LedgerError({ operation: "open", path: ".ferry/ledger.sqlite", detail: "disk is full" })
 *   .message; // "Ledger open failed for .ferry/ledger.sqlite: disk is full"
 * ```
 */
export class LedgerError extends Schema.TaggedError<LedgerError>()("LedgerError", {
  operation: LedgerOperation,
  path: Schema.String,
  detail: Schema.String,
  cause: Schema.optional(Schema.Defect),
}) {
  override get message(): string {
    return `Ledger ${this.operation} failed for ${this.path}: ${this.detail}`;
  }
}
