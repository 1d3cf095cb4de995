/**
 * Recognition of a first row that is data rather than a header, as in a file exported without
 * its header row: cells that read as e-mail addresses, phone numbers, dates or numbers, which no
 * header label is.
 *
 * One e-mail address makes the row data, because no header label is one. Otherwise it takes
 * two such cells, one of them at least a date or a phone number. A single date or phone-like
 * cell is not enough. Numbers alone are not either, because a header may name columns after
 * years (`2023`, `2024`). The check runs even when some cells match a known label, since a value
 * such as `Facebook` is also the label of `facebook_url`.
 */
import { Origin, Rejection } from "@ferry/core";

import type { FlashLeadKind } from "../FlashLeadKind.js";

/** The kind of value a data-like header cell reads as. */
export type DataLikeValue = "e-mail" | "date" | "phone number" | "number";

/** A header cell that looks like a value. */
export interface DataLikeCell {
  /** Position in the header, from 0. */
  readonly position: number;
  readonly value: string;
  readonly looksLike: DataLikeValue;
}

/** Tells whether the data-like cells of a first row make it a data row rather than a header. */
export const isDataRow = (cells: ReadonlyArray<DataLikeCell>): boolean =>
  cells.some((cell) => cell.looksLike === "e-mail") ||
  (cells.length >= 2 && cells.some((cell) => cell.looksLike !== "number"));

const email = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const date = /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?\S*)?$/;
const phone = /^\+?[\d\s().-]+$/;
const number = /^[+-]?\d+(?:[.,]\d+)*$/;

const classify = (text: string): DataLikeValue | undefined => {
  if (email.test(text)) return "e-mail";
  if (date.test(text)) return "date";
  if (phone.test(text) && text.replace(/\D/g, "").length >= 7) return "phone number";
  if (number.test(text)) return "number";
  return undefined;
};

/** Lists the cells of a header row that look like values rather than labels. */
export const dataLikeCells = (header: ReadonlyArray<string>): ReadonlyArray<DataLikeCell> => {
  const found: Array<DataLikeCell> = [];
  header.forEach((cell, position) => {
    const value = cell.trim();
    const looksLike = value === "" ? undefined : classify(value);
    if (looksLike !== undefined) found.push({ position, value, looksLike });
  });
  return found;
};

/** Lists up to four data-like cells for a message, such as `ana@example.test (e-mail)`. */
export const describeDataLikeCells = (cells: ReadonlyArray<DataLikeCell>): string => {
  const listed = cells.slice(0, 4).map((cell) => `${cell.value} (${cell.looksLike})`);
  return cells.length > 4 ? `${listed.join(", ")} and ${cells.length - 4} more` : listed.join(", ");
};

/**
 * Rejects a first row that looks like data, so the row is counted and named, not lost. The row
 * was taken as the header, so the columns of the other rows carry its values as names.
 */
export const headerLooksLikeData = (
  kind: FlashLeadKind,
  file: string,
  line: number,
  header: ReadonlyArray<string>,
  cells: ReadonlyArray<DataLikeCell>,
): Rejection => {
  const text = header.join(",");
  return Rejection.make({
    kind,
    origin: new Origin({ file, line }),
    code: "header-looks-like-data",
    message: `${file} line ${line} looks like a data row, not a header: ${describeDataLikeCells(cells)}. The file seems to have no header row, so this row was read as the header and not loaded, and the other rows were read under column names taken from it. Add the header row at the top of the file and read it again`,
    value: text.length > 200 ? `${text.slice(0, 200)}…` : text,
  });
};
