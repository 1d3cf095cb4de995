/**
 * The inventory a Source returns from `discover()`: the objects it found, their row counts and
 * column profiles, and the audit findings a person should read before mapping.
 */
import { Schema } from "effect";

/** The type a column's values look like, inferred from every non-empty value. */
export const InferredType = Schema.Literal(
  "empty",
  "string",
  "text",
  "id",
  "email",
  "phone",
  "url",
  "date",
  "datetime",
  "number",
  "money",
  "boolean",
  "picklist",
  "list",
);
export type InferredType = typeof InferredType.Type;

/** One distinct value of a column and how many rows hold it. */
export const ValueCount = Schema.Struct({ value: Schema.String, count: Schema.Int });
export type ValueCount = typeof ValueCount.Type;

/** Profile of one column, as discovery measured it. */
export const ColumnProfile = Schema.Struct({
  /** Column name as the records carry it (the canonical name when the header was recognized). */
  name: Schema.String,
  /** Header cell exactly as written in the file. */
  header: Schema.String,
  inferredType: InferredType,
  /** Share of rows with a non-empty value, from 0 to 1. */
  fillRate: Schema.Number,
  /** Rows with an empty cell or a placeholder. */
  emptyCount: Schema.Int,
  /** Placeholders (such as `N/A` or `#N/A`) counted as empty, by placeholder. */
  placeholders: Schema.Array(ValueCount),
  /** Number of distinct non-empty values, counted exactly up to a cap and then estimated. */
  distinctCount: Schema.Int,
  /** Distinct values with their counts, present only when there are few of them. */
  distinct: Schema.optional(Schema.Array(ValueCount)),
  /** A few example values. */
  samples: Schema.Array(Schema.String),
  /** Whether the column was recognized as one of the object's expected columns. */
  recognized: Schema.Boolean,
  /** Format details, such as `day-first` for a date column; free-form. */
  format: Schema.optional(Schema.String),
});
export type ColumnProfile = typeof ColumnProfile.Type;

/** Rows of a file that were read past, neither a record nor a rejection, by reason. */
export const SkippedRows = Schema.Struct({
  /** Blank lines, lines of white space, and rows whose cells are all empty or white space. */
  blank: Schema.Int,
  /** Lines before the header that name the delimiter, such as Excel's `sep=;`. */
  delimiterHint: Schema.Int,
});
export type SkippedRows = typeof SkippedRows.Type;

/** One file read for an object, with what was detected about its bytes. */
export const FileProfile = Schema.Struct({
  /** Path relative to the export folder. */
  path: Schema.String,
  encoding: Schema.String,
  delimiter: Schema.String,
  /**
   * Data rows read, each of which became a record or a rejection. A row counts once however
   * many lines its quoted cells span. The header and the skipped rows are not counted, but a
   * first row that is data, not a header, is rejected and so counted.
   */
  rows: Schema.Int,
  /** Rows skipped, by reason; absent when the source does not count them. */
  skipped: Schema.optional(SkippedRows),
  /** Evidence the file was classified by: its name or its header. */
  recognizedBy: Schema.Literal("name", "header"),
});
export type FileProfile = typeof FileProfile.Type;

/** One object kind found in the source. */
export const ObjectInventory = Schema.Struct({
  kind: Schema.String,
  files: Schema.Array(FileProfile),
  /** Rows that became records. */
  recordCount: Schema.Int,
  /** Rows that were rejected. */
  rejectedCount: Schema.Int,
  /** Records kept with at least one warning. */
  warningCount: Schema.Int,
  columns: Schema.Array(ColumnProfile),
});
export type ObjectInventory = typeof ObjectInventory.Type;

/** An audit finding: something a person should know or decide before the migration. */
export const Finding = Schema.Struct({
  /** Stable machine-readable code, such as `duplicate-email` or `owner-not-in-team`. */
  code: Schema.String,
  severity: Schema.Literal("info", "warning", "error"),
  message: Schema.String,
  /** Object kind the finding is about, when it is about one. */
  kind: Schema.optional(Schema.String),
  /** How many records or values the finding covers. */
  count: Schema.optional(Schema.Int),
  /** Structured detail (values, ids, lines); its shape depends on the code. */
  details: Schema.optional(Schema.Unknown),
});
export type Finding = typeof Finding.Type;

/**
 * Inventory of a Source: its objects, files, column profiles and audit findings.
 *
 * @example
 * ```ts
 * const inventory: Inventory = {
 *   source: "flashlead",
 *   location: "./export",
 *   objects: [{ kind: "lead", files: [], recordCount: 0, rejectedCount: 0, warningCount: 0, columns: [] }],
 *   findings: [{ code: "no-activity-log", severity: "warning", message: "No activity log found" }],
 * };
 * ```
 */
export const Inventory = Schema.Struct({
  /** Name of the source connector. */
  source: Schema.String,
  /** Location the source was read from, such as the export folder. */
  location: Schema.String,
  objects: Schema.Array(ObjectInventory),
  findings: Schema.Array(Finding),
  /** Files that were present but could not be classified, with the reason. */
  unclassified: Schema.optionalWith(
    Schema.Array(Schema.Struct({ path: Schema.String, reason: Schema.String })),
    { default: () => [] },
  ),
});
export type Inventory = typeof Inventory.Type;
