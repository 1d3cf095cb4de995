/**
 * The failure a Source raises when it cannot read its input at all. Bad rows are never errors:
 * they are rejections, emitted as data beside the records.
 */
import { Schema } from "effect";

/** Why a source could not be read. */
export const SourceErrorReason = Schema.Literal(
  /** The folder or file does not exist. */
  "not-found",
  /** The file exists but could not be opened or read. */
  "unreadable",
  /** The input is not what the source reads, such as a folder with no recognizable export. */
  "invalid-input",
);
export type SourceErrorReason = typeof SourceErrorReason.Type;

/**
 * A source failure with the path and, where known, the line, column and value at fault.
 *
 * @example
 * ```ts
 * new SourceError({ reason: "not-found", path: "./export", detail: "the folder does not exist" })
 *   .message; // "Cannot read ./export: the folder does not exist"
 * ```
 */
export class SourceError extends Schema.TaggedError<SourceError>()("SourceError", {
  reason: SourceErrorReason,
  path: Schema.String,
  detail: Schema.String,
  line: Schema.optional(Schema.Int),
  column: Schema.optional(Schema.String),
  value: Schema.optional(Schema.String),
  /** What the user can do about it. */
  hint: Schema.optional(Schema.String),
  cause: Schema.optional(Schema.Defect),
}) {
  /** Source failures never go away on a retry: the input has to change. */
  get isRetryable(): boolean {
    return false;
  }

  override get message(): string {
    const where = this.line === undefined ? this.path : `${this.path}:${this.line}`;
    const column = this.column === undefined ? "" : `, column ${this.column}`;
    const value = this.value === undefined ? "" : ` (value ${JSON.stringify(this.value)})`;
    const hint = this.hint === undefined ? "" : `. ${this.hint}`;
    return `Cannot read ${where}${column}: ${this.detail}${value}${hint}`;
  }
}
