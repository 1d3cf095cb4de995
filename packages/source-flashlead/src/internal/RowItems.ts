/**
 * Turning parsed rows into records and rejections. A row is rejected when a cell passes the
 * length limit, when it is written with another delimiter than the header, and when it is longer
 * than the header. Short rows are padded, cells are cleaned, and every record gets a source id
 * that is unique within its kind.
 *
 * A NUL character (U+0000) in a cell is removed from the value, and the record carries a
 * `nul-byte` warning naming the column. A NUL is not text but damage left by the exporting
 * program, and a destination may reject a value containing one or cut it there.
 *
 * A row without an id gets `h:` and the first 16 hex digits of a SHA-256 over the values of its
 * recognized columns, in name order and without `updated_at`. The id then stays the same when the
 * same row is exported again. Rows with identical content get `#2`, `#3` suffixes. A second row with
 * an id already seen is rejected as `duplicate-id`.
 */
import { createHash } from "node:crypto";

import {
  Origin,
  type RecordWarning,
  Rejection,
  type SourceItem,
  type SourceRecord,
} from "@ferry/core";

import type { FlashLeadKind } from "../FlashLeadKind.js";
import { type CleanCell, cleanCell, isPlainCell } from "./Cells.js";
import type { FileColumns } from "./Columns.js";
import type { Delimiter } from "./Delimiter.js";
import { describeDelimiter, findDelimiterMismatch } from "./DelimiterMismatch.js";
import { FingerprintSet } from "./FingerprintSet.js";
import type { OversizedCell, QuoteRepair } from "./QuoteRepair.js";

/** A row's cells after cleaning, by column position, for observers such as discovery. */
export type CleanRow = ReadonlyArray<CleanCell>;

const shorten = (text: string): string => (text.length > 200 ? `${text.slice(0, 200)}…` : text);

/** Source ids seen so far in one kind, across its files. */
export class SourceIds {
  readonly #ids = new FingerprintSet();
  readonly #contentCounts = new Map<string, number>();

  /** Returns true the first time an explicit id is seen, false for a duplicate. */
  claim(id: string): boolean {
    return this.#ids.add(id);
  }

  /** Returns the id of a row without an id, from its canonical values. */
  fromContent(fields: Readonly<Record<string, string>>, recognized: ReadonlyArray<string>): string {
    const hash = createHash("sha256");
    for (const name of recognized) {
      if (name !== "updated_at") hash.update(`${name}\u0000${fields[name] ?? ""}\u0001`);
    }
    const id = `h:${hash.digest("hex").slice(0, 16)}`;

    const seen = (this.#contentCounts.get(id) ?? 0) + 1;
    this.#contentCounts.set(id, seen);
    return seen === 1 ? id : `${id}#${seen}`;
  }
}

/** The context a row is read in. */
export interface RowContext {
  readonly kind: FlashLeadKind;
  readonly file: string;
  readonly layout: FileColumns;
  /** Names of the recognized columns, which the content id is computed from. */
  readonly recognized: ReadonlyArray<string>;
  /** Whether to return the cleaned cells, which only discovery needs. */
  readonly keepCells: boolean;
  readonly ids: SourceIds;
  /** The file's delimiter. */
  readonly delimiter: Delimiter;
  /** The cell-length limit the file is read with, in characters. */
  readonly maxCellLength: number;
  /** Every column's name mapped to the empty string, from `emptyFieldsOf`. */
  readonly emptyFields: Readonly<Record<string, string>>;
}

/**
 * Makes the fields object that each record's fields start as a copy of. V8 stores an object
 * built by adding 20 or more keys to `{}` one at a time as a hash table, but it gives an object
 * from `JSON.parse` fixed properties, and a spread copy keeps them. For 21 columns on Node 20
 * that measured 865 against 201 bytes per object, so records cost less to build and collect.
 */
export const emptyFieldsOf = (layout: FileColumns): Readonly<Record<string, string>> => {
  const entries = layout.columns.map((column) => [column.name, ""]);
  return JSON.parse(JSON.stringify(Object.fromEntries(entries))) as Record<string, string>;
};

const warningFor = (file: string, line: number, column: string, cell: CleanCell) => {
  if (cell.kind === "unwrapped") {
    return {
      code: "excel-wrapper",
      column,
      value: cell.raw,
      message: `${file}:${line} ${column} was written as the Excel formula ${cell.raw}; read as ${JSON.stringify(cell.value)}`,
    };
  }
  if (cell.kind === "digits-lost") {
    return {
      code: "digits-lost",
      column,
      value: cell.value,
      message: `${file}:${line} ${column} is ${cell.value}, a number in scientific notation whose digits are lost; kept as written, so take the value from the original system`,
    };
  }
  return undefined;
};

/** Describes a cell whose quoting was repaired before parsing. */
const repairMessage = (file: string, repair: QuoteRepair): string => {
  const at = `${file} line ${repair.line}`;
  if (repair.overRows !== undefined) {
    const { closingLine } = repair.overRows;
    const next =
      closingLine === undefined
        ? "no quote closes it within the cell-length limit"
        : `the next quote is on line ${closingLine}`;
    return `${at} has a cell that starts with a quote not closed on that line, and the lines after it read as complete rows (${next}). The quote was read as a character up to the next delimiter, and the lines after it as their own rows. Check that cell and remove the quote in Flash Lead Sales`;
  }
  if (repair.kind === "stray-quote") {
    return `${at} has a cell that starts with a quote and goes on after the closing quote; it was read exactly as written, quotes included`;
  }
  return `${at} has a quote that is never closed; the cell was read as written up to the next delimiter or line break, and the rows after it were read normally. Check that row`;
};

/** Warns about a cell whose quoting was repaired before parsing. */
const repairWarning = (file: string, repair: QuoteRepair): RecordWarning => ({
  code: repair.kind,
  message: repairMessage(file, repair),
});

/** Returns the row's id cell trimmed, or the empty string when the file has no id column. */
const idCell = (context: RowContext, cells: ReadonlyArray<string>): string => {
  const index = context.layout.columns.findIndex((column) => column.name === "id");
  return index === -1 ? "" : (cells[index] ?? "").trim();
};

/**
 * Rejects a row with more cells than the header. The rejection's column is the first extra
 * cell's position, such as `cell 22`, and its value is that cell (shortened past 200
 * characters), because a row of many cells cannot travel whole in a rejection.
 */
const longRow = (context: RowContext, line: number, cells: ReadonlyArray<string>) => {
  const width = context.layout.columns.length;
  const extra = cells[width] ?? "";
  const id = idCell(context, cells);
  const row = id === "" ? "" : ` (id ${JSON.stringify(id)})`;
  return Rejection.make({
    kind: context.kind,
    origin: new Origin({ file: context.file, line }),
    code: "long-row",
    message: `${context.file} line ${line}${row} has ${cells.length} cells but the header has ${width}; the first extra cell is cell ${width + 1}, ${shorten(JSON.stringify(extra))}. Check the quoting or the delimiters of that row and re-export it`,
    ...(id === "" ? {} : { sourceId: id }),
    column: `cell ${width + 1}`,
    value: shorten(extra),
  });
};

const formatNumber = (n: number): string => n.toLocaleString("en-US");

/** The header cell of a column as written, trimmed, else the column's name. */
const headerOf = (column: { readonly name: string; readonly header: string }): string =>
  column.header.trim() === "" ? column.name : column.header.trim();

/** Names a cell by its header and position, such as `Notes (column 5)`. */
const cellName = (context: RowContext, position: number): string => {
  const column = context.layout.columns[position];
  return column === undefined
    ? `cell ${position + 1}, past the header's ${context.layout.columns.length} columns,`
    : `${headerOf(column)} (column ${position + 1})`;
};

/** Rejects a row with one or more cells over the cell-length limit, whose bytes were dropped. */
const cellTooLarge = (
  context: RowContext,
  line: number,
  cells: ReadonlyArray<string>,
  oversized: ReadonlyArray<OversizedCell>,
) => {
  const listed = oversized
    .map(
      (cell) => `${cellName(context, cell.position)} has ${formatNumber(cell.length)} characters`,
    )
    .join(", ");
  const first = oversized[0];
  const layoutColumn = first === undefined ? undefined : context.layout.columns[first.position];
  const column = layoutColumn === undefined ? undefined : headerOf(layoutColumn);
  const idIndex = context.layout.columns.findIndex((c) => c.name === "id");
  const id = idIndex === first?.position ? "" : idCell(context, cells);

  return Rejection.make({
    kind: context.kind,
    origin: new Origin({ file: context.file, line }),
    code: "cell-too-large",
    message: `${context.file} line ${line}: ${listed}, over the limit of ${formatNumber(context.maxCellLength)} (the maxCellLength option), so the row was not read. Shorten the cell in Flash Lead Sales and export again, or raise maxCellLength`,
    ...(id === "" ? {} : { sourceId: id }),
    ...(column === undefined ? {} : { column }),
    value: `${first?.preview ?? ""}…`,
  });
};

/** Rejects a short row whose cells match the header when split on another delimiter. */
const delimiterMismatch = (context: RowContext, line: number, cells: ReadonlyArray<string>) => {
  const { columns, droppedTrailing } = context.layout;
  const headerCells = [columns.length, columns.length + droppedTrailing];
  const mismatch = findDelimiterMismatch(cells, context.delimiter, headerCells);
  if (mismatch === undefined) return undefined;

  const used = describeDelimiter(context.delimiter);
  const seen = describeDelimiter(mismatch.delimiter);
  return Rejection.make({
    kind: context.kind,
    origin: new Origin({ file: context.file, line }),
    code: "delimiter-mismatch",
    message: `${context.file} line ${line} has ${cells.length} of ${columns.length} cells when split on ${used} like the header, but ${mismatch.cells} when split on ${seen}. The row seems to use ${seen} while the header uses ${used}. Write the header and every row with the same delimiter and read the file again`,
    value: shorten(cells.join(context.delimiter)),
  });
};

/** Warns about NUL characters removed from a cell. */
const nulWarning = (file: string, line: number, column: string, raw: string, value: string) => ({
  code: "nul-byte",
  column,
  value,
  message: `${file}:${line} ${column} contains ${raw.length - value.length} NUL character(s) (U+0000) in ${shorten(JSON.stringify(raw))}. They were removed, so the value reads ${shorten(JSON.stringify(value))}`,
});

/** Tells whether a row's cells beyond the header are only empty cells under dropped header cells. */
const fitsDroppedTrailing = (context: RowContext, cells: ReadonlyArray<string>): boolean => {
  const extra = cells.slice(context.layout.columns.length);
  return (
    extra.length <= context.layout.droppedTrailing && extra.every((cell) => cell.trim() === "")
  );
};

/** Cleans the cells of a row and collects the warnings they raise. */
const cleanRow = (context: RowContext, line: number, cells: ReadonlyArray<string>) => {
  const { columns } = context.layout;
  const fields: Record<string, string> = { ...context.emptyFields };
  const clean: Array<CleanCell> = [];
  const warnings: Array<RecordWarning> = [];

  for (let index = 0; index < columns.length; index += 1) {
    const column = columns[index];
    if (column === undefined) continue;
    const raw = cells[index] ?? "";
    const text = raw.includes("\u0000") ? raw.replaceAll("\u0000", "") : raw;
    if (text !== raw) warnings.push(nulWarning(context.file, line, column.name, raw, text));

    // Most cells are plain, and skipping `cleanCell` for them saves an object per cell.
    if (isPlainCell(text)) {
      fields[column.name] = text;
      if (context.keepCells) clean.push({ kind: "value", value: text });
      continue;
    }

    const cell = cleanCell(text);
    if (context.keepCells) clean.push(cell);
    fields[column.name] = cell.kind === "placeholder" ? "" : cell.value;
    const warning = warningFor(context.file, line, column.name, cell);
    if (warning !== undefined) warnings.push(warning);
  }

  if (cells.length < columns.length) {
    warnings.push({
      code: "short-row",
      message: `${context.file} line ${line} has ${cells.length} of ${columns.length} cells; the missing cells were read as empty`,
    });
  }
  return { fields, clean, warnings };
};

/**
 * Turns one row into a record or a rejection.
 *
 * @returns the item, and the cleaned cells when the row became a record.
 */
export const rowToItem = (
  context: RowContext,
  line: number,
  cells: ReadonlyArray<string>,
  repairs: ReadonlyArray<QuoteRepair> = [],
  oversized: ReadonlyArray<OversizedCell> = [],
): { item: SourceItem; clean?: CleanRow } => {
  const origin = new Origin({ file: context.file, line }, { disableValidation: true });
  if (oversized.length > 0) return { item: cellTooLarge(context, line, cells, oversized) };
  if (cells.length > context.layout.columns.length && !fitsDroppedTrailing(context, cells)) {
    return { item: longRow(context, line, cells) };
  }
  if (cells.length < context.layout.columns.length) {
    const mismatch = delimiterMismatch(context, line, cells);
    if (mismatch !== undefined) return { item: mismatch };
  }

  const { fields, clean, warnings } = cleanRow(context, line, cells);
  for (const repair of repairs) warnings.push(repairWarning(context.file, repair));
  const explicit = (fields.id ?? "").trim();
  if (explicit !== "" && !context.ids.claim(explicit)) {
    const item = Rejection.make({
      kind: context.kind,
      origin,
      code: "duplicate-id",
      message: `${context.file} line ${line} repeats the id ${JSON.stringify(explicit)} of an earlier row; remove one of the two rows or give it its own id`,
      sourceId: explicit,
      column: headerOf(
        context.layout.columns.find((c) => c.name === "id") ?? { name: "id", header: "" },
      ),
      value: explicit,
    });
    return { item };
  }

  const sourceId = explicit !== "" ? explicit : context.ids.fromContent(fields, context.recognized);
  // The cells are strings by construction, so the record is built without a schema check on
  // this hot path.
  const item: SourceRecord = {
    _tag: "SourceRecord",
    kind: context.kind,
    sourceId,
    fields,
    origin,
    warnings,
  };
  return context.keepCells ? { item, clean } : { item };
};
