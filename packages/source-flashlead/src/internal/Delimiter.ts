/**
 * Delimiter detection from the first lines of a file: comma, semicolon, tab or pipe.
 *
 * Each candidate is counted outside double quotes on the header and on up to 20 following
 * lines. The delimiter is the candidate that the most lines show as often as the header does,
 * with ties going to the candidate that splits the header into more cells and then to the order
 * `,` `;` `\t` `|`. A first line such as `sep=;`, which Excel writes and reads as a delimiter
 * hint, decides the delimiter and is not the header. A semicolon file whose phones read `5,58199E+12` is detected as `;` because
 * the commas vary from line to line while the semicolons do not.
 */

/** A delimiter the source detects. */
export type Delimiter = "," | ";" | "\t" | "|";

/** The delimiters the source detects, in the order that breaks ties. */
export const delimiterCandidates: ReadonlyArray<Delimiter> = [",", ";", "\t", "|"];

/** Splits text into lines, keeping line breaks inside quoted fields within their line. */
const logicalLines = (text: string, limit: number): ReadonlyArray<string> => {
  const lines: Array<string> = [];
  let current = "";
  let inQuotes = false;

  for (let i = 0; i < text.length && lines.length < limit; i += 1) {
    const char = text[i];
    if (char === '"') inQuotes = !inQuotes;
    if (!inQuotes && (char === "\n" || char === "\r")) {
      if (current.trim() !== "") lines.push(current);
      current = "";
      continue;
    }
    current += char;
  }

  if (current.trim() !== "" && lines.length < limit) lines.push(current);
  return lines;
};

/** Counts a delimiter outside double quotes. */
export const countOutsideQuotes = (line: string, delimiter: string): number => {
  let count = 0;
  let inQuotes = false;
  for (const char of line) {
    if (char === '"') inQuotes = !inQuotes;
    else if (char === delimiter && !inQuotes) count += 1;
  }
  return count;
};

/**
 * Detects the delimiter of a CSV text prefix that starts with its header line.
 *
 * @returns the delimiter, `,` when no candidate appears in the header.
 */
export const detectDelimiter = (prefix: string): Delimiter => {
  const hint = /^sep=([,;\t|])\s*(?:\r\n|\r|\n)/i.exec(prefix)?.[1];
  if (hint !== undefined) return hint as Delimiter;

  const [header = "", ...rows] = logicalLines(prefix, 21);
  let best: { delimiter: Delimiter; agreeing: number; cells: number } | undefined;

  for (const delimiter of delimiterCandidates) {
    const cells = countOutsideQuotes(header, delimiter);
    if (cells === 0) continue;

    const agreeing = rows.filter((row) => countOutsideQuotes(row, delimiter) === cells).length;
    const isBetter =
      best === undefined ||
      agreeing > best.agreeing ||
      (agreeing === best.agreeing && cells > best.cells);
    if (isBetter) best = { delimiter, agreeing, cells };
  }

  return best?.delimiter ?? ",";
};
