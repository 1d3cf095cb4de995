/**
 * The columns of one file: the record name of each header cell, with duplicate labels kept as
 * distinct columns and empty trailing header cells dropped.
 */
import type { FlashLeadKind } from "../FlashLeadKind.js";
import { canonicalColumnFor } from "../HeaderAliases.js";

/** One column of a file. */
export interface Column {
  /** Name the records use: the canonical name, else the trimmed header text. */
  readonly name: string;
  /** Header cell as written. */
  readonly header: string;
  readonly recognized: boolean;
}

/** The columns of a file and the empty header cells dropped from its end. */
export interface FileColumns {
  readonly columns: ReadonlyArray<Column>;
  readonly droppedTrailing: number;
}

/**
 * Names the columns of a header row. A second `Email` becomes `email_2`, an empty header cell
 * inside the row becomes `column_<position>`, and empty cells at the end are not columns.
 */
export const columnsOf = (kind: FlashLeadKind, header: ReadonlyArray<string>): FileColumns => {
  let length = header.length;
  while (length > 0 && (header[length - 1] ?? "").trim() === "") length -= 1;

  const used = new Set<string>();
  const columns: Array<Column> = [];
  for (let index = 0; index < length; index += 1) {
    const text = header[index] ?? "";
    const trimmed = text.trim();
    const canonical = trimmed === "" ? undefined : canonicalColumnFor(kind, trimmed);
    const base = canonical ?? (trimmed === "" ? `column_${index + 1}` : trimmed);

    let name = base;
    for (let n = 2; used.has(name); n += 1) name = `${base}_${n}`;
    used.add(name);
    columns.push({ name, header: text, recognized: canonical !== undefined && name === canonical });
  }

  return { columns, droppedTrailing: header.length - length };
};
