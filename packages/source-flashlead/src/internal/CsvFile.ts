/**
 * Streaming reading of one CSV file: encoding and delimiter detection, then fast-csv parsing
 * with the physical line number of every row, after the quote repair and cell-length limit of
 * `QuoteRepair.ts`.
 *
 * fast-csv does not report line numbers, so they are counted here. Each row takes one line plus
 * one for each line break inside its quoted cells (`\r\n`, `\r` or `\n`), including the cells
 * dropped for their length. A blank row is skipped but its lines count: fast-csv emits an empty
 * row for each blank line, and a row whose cells are all empty or white space (`,,,,`) is blank
 * too. Each skipped row, blank or the `sep=` hint, is reported to the reader's `onSkip`.
 * Parsing keeps the standard double quote: fast-csv reads a quote inside an unquoted cell
 * (`19" Screens Ltd`) as written, and the quote repair rewrites the cells it would stop at.
 */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";

import type { SkippedRows } from "@ferry/core";
import { parse } from "fast-csv";

import { type Delimiter, detectDelimiter } from "./Delimiter.js";
import { type EncodingDetection, toUtf8 } from "./Encoding.js";
import { type OversizedCell, type QuoteRepair, QuoteRepairStream } from "./QuoteRepair.js";
import { readBatches } from "./ReadableBatches.js";

/** The reason a row is skipped: it is blank, or it is the `sep=` delimiter hint. */
export type SkipReason = keyof SkippedRows;

/** The default cell-length limit: 1 MiB of characters. */
export const defaultMaxCellLength = 1 << 20;

/** One parsed row and the physical line it starts on, counting the file's first line as 1. */
export interface CsvRow {
  readonly line: number;
  readonly cells: ReadonlyArray<string>;
  /** Cells of the row whose quoting was repaired before parsing. */
  readonly repairs: ReadonlyArray<QuoteRepair>;
  /** Cells of the row dropped for their length, each read as an empty cell. */
  readonly oversized: ReadonlyArray<OversizedCell>;
}

/** A file that cannot be parsed past a line: fast-csv stopped, or a quote is never closed. */
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

const none: ReadonlyArray<never> = [];

/** Tells whether every cell of a row is empty or white space, as in a blank line or `,,,,`. */
const isBlank = (cells: ReadonlyArray<string>): boolean =>
  cells.every((cell) => cell.length === 0 || cell.trim() === "");

/** Tells whether a first row is Excel's `sep=;` hint, which names the delimiter. */
const isSeparatorHint = (cells: ReadonlyArray<string>, delimiter: Delimiter): boolean =>
  cells.join(delimiter).trim().toLowerCase() === `sep=${delimiter}`;

/** Takes the queued items on lines before `end`, which belong to the row just read. */
const takeBefore = <T extends { readonly line: number }>(
  queue: Array<T>,
  end: number,
): ReadonlyArray<T> => {
  if (queue.length === 0 || (queue[0]?.line ?? end) >= end) return none;
  let count = 0;
  while (count < queue.length && (queue[count]?.line ?? end) < end) count += 1;
  return queue.splice(0, count);
};

/**
 * Fails on a quote that is never closed and whose cell passes the limit: the rest of the file is
 * in that cell and its bytes are gone, so the file cannot be read on.
 */
const unclosedPastLimit = (path: string, cell: OversizedCell, maxCellLength: number) =>
  new CsvParseFailure(
    path,
    cell.line,
    `a quoted cell that starts on line ${cell.line} is never closed, so it runs for ${cell.length} characters to the end of the file, past the limit of ${maxCellLength} characters (the maxCellLength option)`,
  );

/**
 * Takes the oversized cells of the row that starts on `start` and would end before `end`. The
 * line breaks of each dropped cell move the end, and so the cells after it, further down.
 *
 * @returns the cells and the line the next row starts on.
 */
const takeOversized = (queue: Array<OversizedCell>, end: number) => {
  if (queue.length === 0 || (queue[0]?.line ?? end) >= end) return { oversized: none, end };
  const oversized: Array<OversizedCell> = [];
  let next = end;
  while (queue.length > 0 && (queue[0]?.line ?? next) < next) {
    const cell = queue.shift() as OversizedCell;
    oversized.push(cell);
    next += cell.lineBreaks;
  }
  return { oversized, end: next };
};

/** Counts the physical lines of parsed rows and drops the blank ones and the `sep=` hint. */
class RowLines {
  #line = 1;
  #isFirst = true;
  #failure: CsvParseFailure | undefined;
  readonly #path: string;
  readonly #delimiter: Delimiter;
  readonly #repair: QuoteRepairStream;
  readonly #maxCellLength: number;
  readonly #onSkip: ((reason: SkipReason) => void) | undefined;

  constructor(
    path: string,
    delimiter: Delimiter,
    repair: QuoteRepairStream,
    maxCellLength: number,
    onSkip: ((reason: SkipReason) => void) | undefined,
  ) {
    this.#path = path;
    this.#delimiter = delimiter;
    this.#repair = repair;
    this.#maxCellLength = maxCellLength;
    this.#onSkip = onSkip;
  }

  /** The line the next row starts on, which is where a parse failure is reported. */
  get line(): number {
    return this.#line;
  }

  /**
   * The failure for a quote that is never closed and ran past the cell-length limit, found by
   * `number`. The file cannot be read past it, so the reader throws it after the rows before it.
   */
  get failure(): CsvParseFailure | undefined {
    return this.#failure;
  }

  /** Numbers a batch of parsed rows and keeps the rows that are not blank. */
  number(batch: ReadonlyArray<Array<string>>): Array<CsvRow> {
    const rows: Array<CsvRow> = [];
    for (const cells of batch) {
      const start = this.#line;
      const dropped = takeOversized(this.#repair.oversized, start + 1 + breaksIn(cells));
      this.#line = dropped.end;
      const repairs = takeBefore(this.#repair.repairs, this.#line);
      const { oversized } = dropped;
      const unclosed = oversized.length === 0 ? undefined : oversized.find((c) => c.isUnclosed);
      if (unclosed !== undefined) {
        this.#failure = unclosedPastLimit(this.#path, unclosed, this.#maxCellLength);
        break;
      }

      if (oversized.length === 0 && isBlank(cells)) {
        this.#onSkip?.("blank");
        continue;
      }
      if (this.#isFirst && isSeparatorHint(cells, this.#delimiter)) {
        this.#onSkip?.("delimiterHint");
        continue;
      }
      this.#isFirst = false;
      rows.push({ line: start, cells, repairs, oversized });
    }
    return rows;
  }
}

/** Settings for reading the rows of a CSV file. */
export interface CsvReadOptions {
  /**
   * The longest cell read, in characters; a longer cell is dropped and listed in its row's
   * `oversized`.
   * @default 1048576 (1 MiB)
   */
  readonly maxCellLength?: number | undefined;
  /** Called once for each row skipped, with the reason, in file order. */
  readonly onSkip?: ((reason: SkipReason) => void) | undefined;
  /**
   * The header's cell count. With it, a quote that opens a cell and is closed only after lines
   * that read as complete rows of this many cells is read as a character (see `QuoteRepair.ts`).
   */
  readonly rowWidth?: number | undefined;
}

/**
 * Streams the non-blank rows of a CSV file, header first, with their line numbers, in batches
 * of the rows parsed from one input chunk. A batch may be empty when all its rows were blank.
 *
 * @throws CsvParseFailure when fast-csv cannot parse the file past a line, or when a quote that
 *   is never closed runs past `maxCellLength` to the end of the file. The rows before the
 *   failure are yielded first.
 */
export async function* readCsvRowBatches(
  path: string,
  detection: EncodingDetection,
  delimiter: Delimiter,
  options: CsvReadOptions = {},
): AsyncGenerator<ReadonlyArray<CsvRow>> {
  const { onSkip, rowWidth } = options;
  const maxCellLength = options.maxCellLength ?? defaultMaxCellLength;
  const parser = parse({ headers: false, delimiter, ignoreEmpty: false, quote: '"' });
  // NOTE: fast-csv 5 keeps the unfinished last row of a chunk as text and parses it again from
  // its start with the next chunk, so a long row costs time that grows with its length squared
  // over the chunk size. With 256 KiB chunks the corpus row of a million cells read in about 5 s
  // on the shared 2-core machine, and with 64 KiB in about 16 s. Chunks of 32 KiB took 10 to 20 %
  // less CPU over 100,000 leads, because fewer parsed rows stay alive per batch, but need a
  // quote repair that passes whole rows on.
  const input = createReadStream(path, { highWaterMark: 256 * 1024 });
  input.on("error", (error) => parser.destroy(error));
  const repair = new QuoteRepairStream(delimiter, maxCellLength, rowWidth);
  input.pipe(toUtf8(detection)).pipe(repair).pipe(parser);

  const lines = new RowLines(path, delimiter, repair, maxCellLength, onSkip);
  try {
    for await (const batch of readBatches<Array<string>>(parser)) {
      yield lines.number(batch);
      if (lines.failure !== undefined) throw lines.failure;
    }
  } catch (error) {
    if (error instanceof Error && error.message.startsWith("Parse Error")) {
      throw new CsvParseFailure(path, lines.line, `fast-csv stopped: ${error.message}`);
    }
    throw error;
  } finally {
    input.destroy();
    parser.destroy();
  }
}

/**
 * Streams the non-blank rows of a CSV file one by one, header first, with their line numbers.
 *
 * @throws CsvParseFailure as `readCsvRowBatches` does, after the rows before the failure.
 */
export async function* readCsvRows(
  path: string,
  detection: EncodingDetection,
  delimiter: Delimiter,
  options: CsvReadOptions = {},
): AsyncGenerator<CsvRow> {
  for await (const batch of readCsvRowBatches(path, detection, delimiter, options)) {
    yield* batch;
  }
}
