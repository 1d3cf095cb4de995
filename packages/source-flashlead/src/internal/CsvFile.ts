/**
 * Streaming reading of one CSV file: encoding and delimiter detection, then fast-csv parsing
 * with the physical line number of every row, after the quote repair of `QuoteRepair.ts`.
 *
 * fast-csv does not report line numbers, so they are counted here. Each row takes one line plus
 * one for each line break inside its quoted cells (`\r\n`, `\r` or `\n`). fast-csv emits an
 * empty row for each blank line, which is skipped but counted. Parsing keeps the standard double
 * quote: fast-csv reads a quote inside an unquoted cell (`19" Screens Ltd`) as written, and the
 * quote repair rewrites the cells it would stop at.
 */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";

import { parse } from "fast-csv";

import { type Delimiter, detectDelimiter } from "./Delimiter.js";
import { type EncodingDetection, toUtf8 } from "./Encoding.js";
import { type QuoteRepair, QuoteRepairStream } from "./QuoteRepair.js";

/** One parsed row and the physical line it starts on, counting the header as line 1. */
export interface CsvRow {
  readonly line: number;
  readonly cells: ReadonlyArray<string>;
  /** Cells of the row whose quoting was repaired before parsing. */
  readonly repairs: ReadonlyArray<QuoteRepair>;
}

/** A file that fast-csv could not parse past a line. */
export class CsvParseFailure extends Error {
  readonly path: string;
  readonly line: number;
  readonly detail: string;

  constructor(path: string, line: number, detail: string) {
    super(`${path}:${line}: ${detail}`);
    this.path = path;
    this.line = line;
    this.detail = detail;
  }
}

const prefixBytes = 64 * 1024;

/** Reads the first 64 KiB of a file and decodes them, for delimiter detection. */
export const readPrefix = async (path: string, detection: EncodingDetection): Promise<string> => {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(prefixBytes);
    const { bytesRead } = await handle.read(buffer, 0, prefixBytes, 0);
    const bytes = buffer.subarray(detection.bomLength, bytesRead);
    const label = detection.encoding === "utf-8-bom" ? "utf-8" : detection.encoding;
    return new TextDecoder(label).decode(bytes, { stream: true });
  } finally {
    await handle.close();
  }
};

/** Detects the delimiter of a file from its first bytes. */
export const detectFileDelimiter = async (
  path: string,
  detection: EncodingDetection,
): Promise<Delimiter> => detectDelimiter(await readPrefix(path, detection));

const lineBreaks = /\r\n|\r|\n/g;

/** Counts the line breaks inside the cells of a row. */
const breaksIn = (cells: ReadonlyArray<string>): number => {
  let count = 0;
  for (const cell of cells) {
    if (cell.includes("\n") || cell.includes("\r")) count += cell.match(lineBreaks)?.length ?? 0;
  }
  return count;
};

const none: ReadonlyArray<QuoteRepair> = [];

/** Tells whether a first row is Excel's `sep=;` hint, which names the delimiter. */
const isSeparatorHint = (cells: ReadonlyArray<string>, delimiter: Delimiter): boolean =>
  cells.join(delimiter).trim().toLowerCase() === `sep=${delimiter}`;

/** Takes the queued repairs on lines before `end`, which belong to the row just read. */
const repairsBefore = (queue: Array<QuoteRepair>, end: number): ReadonlyArray<QuoteRepair> => {
  if (queue.length === 0 || (queue[0]?.line ?? end) >= end) return none;
  let count = 0;
  while (count < queue.length && (queue[count]?.line ?? end) < end) count += 1;
  return queue.splice(0, count);
};

/**
 * Streams the non-blank rows of a CSV file, header first, with their line numbers.
 *
 * @throws CsvParseFailure when fast-csv cannot parse the file past a line.
 */
export async function* readCsvRows(
  path: string,
  detection: EncodingDetection,
  delimiter: Delimiter,
): AsyncGenerator<CsvRow> {
  const parser = parse({ headers: false, delimiter, ignoreEmpty: false, quote: '"' });
  const input = createReadStream(path, { highWaterMark: 256 * 1024 });
  input.on("error", (error) => parser.destroy(error));
  const repair = new QuoteRepairStream(delimiter);
  input.pipe(toUtf8(detection)).pipe(repair).pipe(parser);

  let line = 1;
  let isFirst = true;
  try {
    for await (const cells of parser as AsyncIterable<Array<string>>) {
      const start = line;
      line += 1 + breaksIn(cells);
      const repairs = repairsBefore(repair.repairs, line);
      if (cells.length === 0 || (cells.length === 1 && cells[0] === "")) continue;
      if (isFirst && isSeparatorHint(cells, delimiter)) continue;
      isFirst = false;
      yield { line: start, cells, repairs };
    }
  } catch (error) {
    if (error instanceof Error && error.message.startsWith("Parse Error")) {
      throw new CsvParseFailure(path, line, error.message);
    }
    throw error;
  } finally {
    input.destroy();
    parser.destroy();
  }
}
