/**
 * The records a Source emits: one per source row, kept as strings, each with the file and line
 * it came from, and the rejections that stand in for rows that could not become records.
 */
import { Schema } from "effect";

/** The place a record or a rejection came from: a file and a 1-based physical line number. */
export class Origin extends Schema.Class<Origin>("Origin")({
  /** File path relative to the export folder, with forward slashes. */
  file: Schema.String,
  /** First physical line of the row, counting the header as line 1. */
  line: Schema.Int.pipe(Schema.greaterThanOrEqualTo(1)),
}) {
  /** Formats the origin as `file:line`, the form editors and terminals link to. */
  override toString(): string {
    return `${this.file}:${this.line}`;
  }
}

/** A warning attached to a record that was kept, for example a short row that was padded. */
export const RecordWarning = Schema.Struct({
  /** Stable machine-readable code, such as `short-row` or `placeholder-value`. */
  code: Schema.String,
  /** Human-readable explanation that names the value and what to do. */
  message: Schema.String,
  /** Column (header name) the warning is about, when it is about one. */
  column: Schema.optional(Schema.String),
  /** Raw value the warning is about, exactly as read. */
  value: Schema.optional(Schema.String),
});
export type RecordWarning = typeof RecordWarning.Type;

/**
 * One source row as a record: its object kind, its id in the source system, and its field values.
 *
 * Values stay strings: ids, phones and zip codes keep their leading zeros and all their digits.
 * Typing happens in the mapping, which knows the column's detected format.
 *
 * @example
 * ```ts
 * const record = SourceRecord.make({
 *   kind: "lead",
 *   sourceId: "00042",
 *   fields: { first_name: "Ana", phone: "0612345678" },
 *   origin: new Origin({ file: "leads.csv", line: 7 }),
 *   warnings: [],
 * });
 * ```
 */
export const SourceRecord = Schema.TaggedStruct("SourceRecord", {
  /** Source object kind, such as `lead` or `contact`. */
  kind: Schema.String,
  /** Id in the source system, as written there (never coerced to a number). */
  sourceId: Schema.String,
  /** Field values by column name; an empty cell or a placeholder is the empty string. */
  fields: Schema.Record({ key: Schema.String, value: Schema.String }),
  origin: Origin,
  warnings: Schema.Array(RecordWarning),
});
export type SourceRecord = typeof SourceRecord.Type;

/**
 * A row, value or record that could not be used, carried as data instead of thrown, so a run can
 * report it and still reconcile its counts.
 *
 * @example
 * ```ts
 * const rejection = Rejection.make({
 *   kind: "lead",
 *   origin: new Origin({ file: "leads.csv", line: 12 }),
 *   code: "long-row",
 *   message: "leads.csv line 12 has 5 cells but the header has 4; fix the quoting and re-export",
 * });
 * ```
 */
export const Rejection = Schema.TaggedStruct("Rejection", {
  /** Source object kind the row belonged to. */
  kind: Schema.String,
  origin: Origin,
  /** Stable machine-readable reason, such as `long-row` or `invalid-date`. */
  code: Schema.String,
  /** Human-readable explanation that names the value and what to do. */
  message: Schema.String,
  /** Source id of the row, when it could be read. */
  sourceId: Schema.optional(Schema.String),
  /** Column the rejection is about, when it is about one. */
  column: Schema.optional(Schema.String),
  /** Raw value that caused the rejection, exactly as read (possibly shortened for huge cells). */
  value: Schema.optional(Schema.String),
});
export type Rejection = typeof Rejection.Type;

/** What `Source.read` emits: a record or a rejection, in source order. */
export const SourceItem = Schema.Union(SourceRecord, Rejection);
export type SourceItem = typeof SourceItem.Type;

/** Tells a record from a rejection. */
export const isSourceRecord = (item: SourceItem): item is SourceRecord =>
  item._tag === "SourceRecord";

/** Tells a rejection from a record. */
export const isRejection = (item: SourceItem): item is Rejection => item._tag === "Rejection";

/** A reference to one source record: its kind and its source id. */
export const RecordRef = Schema.Struct({ kind: Schema.String, sourceId: Schema.String });
export type RecordRef = typeof RecordRef.Type;
