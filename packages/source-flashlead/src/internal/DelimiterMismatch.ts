/**
 * Detection of a row written with another delimiter than the header of its file, as in a header
 * with `,` over rows with `;`.
 *
 * The file's delimiter is detected from the header, so such a row parses as fewer cells than the
 * header has, often a single cell. It counts as a mismatch when splitting it on another candidate
 * delimiter, outside double quotes, gives exactly as many cells as the header has. A row that is
 * short for any other reason stays a record with a `short-row` warning.
 */
import { countOutsideQuotes, type Delimiter, delimiterCandidates } from "./Delimiter.js";

/** The delimiter a row seems to use, and the cells it gives. */
export interface DelimiterMismatch {
  readonly delimiter: Delimiter;
  readonly cells: number;
}

const delimiterNames: Readonly<Record<Delimiter, string>> = {
  ",": "comma",
  ";": "semicolon",
  "\t": "tab",
  "|": "pipe",
};

/** Names a delimiter for a message, such as `";" (semicolon)` or `tab`. */
export const describeDelimiter = (delimiter: Delimiter): string =>
  delimiter === "\t" ? "tab" : `"${delimiter}" (${delimiterNames[delimiter]})`;

/**
 * Finds the other delimiter a short row is written with.
 *
 * @param cells the row's cells, split on the file's delimiter.
 * @param headerCells the cell counts that match the header: its columns, and its columns plus the
 *   empty header cells dropped from its end.
 * @returns the delimiter and the cell count it gives, or undefined when no candidate fits.
 */
export const findDelimiterMismatch = (
  cells: ReadonlyArray<string>,
  delimiter: Delimiter,
  headerCells: ReadonlyArray<number>,
): DelimiterMismatch | undefined => {
  const text = cells.join(delimiter);
  for (const candidate of delimiterCandidates) {
    if (candidate === delimiter || !text.includes(candidate)) continue;

    const count = countOutsideQuotes(text, candidate) + 1;
    if (headerCells.includes(count)) return { delimiter: candidate, cells: count };
  }
  return undefined;
};
