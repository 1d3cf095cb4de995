/**
 * A byte stream transform that runs before fast-csv. It repairs the quoting fast-csv would stop
 * at, so that one bad cell does not end the whole file, and it drops every cell longer than the
 * cell-length limit, so that fast-csv never parses one.
 *
 * fast-csv reads a quote inside an unquoted cell as written, but it fails on a cell that starts
 * with a quote and goes on after the closing quote (`"19" Screens Ltd`), and on a quote that is
 * never closed. This transform follows the CSV quoting of the UTF-8 bytes it passes on. It can
 * work on bytes because quotes, delimiters and line breaks are ASCII, and no ASCII byte occurs
 * inside a multi-byte UTF-8 sequence. It rewrites such a cell as a properly quoted cell that
 * contains the text exactly as written. A cell with a quote that is never closed ends at the next
 * delimiter or line break, and the rows after it are read normally. Each repair is queued with
 * its physical line so the reader can attach a warning to the row.
 *
 * A quote that opens a cell and is closed only lines later usually is a stray quote, not a cell
 * with line breaks, when the lines it would swallow read as complete rows. Given the header's
 * cell count, the transform checks that when such a cell ends (see `readsAsStrayQuote`). When
 * the check holds, the quote is read as a character up to the next delimiter, as for a quote
 * never closed, and the lines after it are read as their own rows.
 *
 * fast-csv 5 takes time that grows with the square of a cell's length when the cell arrives over
 * many chunks, so a long cell must not reach it that way. The transform counts the characters of
 * every cell as written, quotes included, and buffers a cell's bytes until the cell ends, so
 * fast-csv receives each cell in one chunk. A cell that passes `maxCellLength` characters is
 * discarded: the bytes held so far are dropped, the rest are skipped as they arrive, and
 * fast-csv reads an empty cell in its place. The cell is queued as an `OversizedCell` for the
 * reader to reject the row. Time is linear in the input, and memory keeps one cell of at most
 * `maxCellLength` characters (up to 4 bytes each) plus one chunk.
 */
import { Transform, type TransformCallback } from "node:stream";

const quote = 0x22;
const lineFeed = 0x0a;
const carriageReturn = 0x0d;
const space = 0x20;
const tab = 0x09;
const previewLength = 200;

/** A repaired cell and the physical line its first quote is on. */
export interface QuoteRepair {
  readonly line: number;
  readonly kind: "stray-quote" | "unclosed-quote";
  /**
   * Present when the opening quote was read as a character because the lines after it read as
   * complete rows. `closingLine` is the line of the quote that would have closed the cell, absent
   * when no quote came before the cell passed the cell-length limit.
   */
  readonly overRows?: { readonly closingLine?: number };
}

/** A cell over the cell-length limit, whose bytes were dropped before parsing. */
export interface OversizedCell {
  /** Physical line the cell starts on, counting the first line of the file as 1. */
  readonly line: number;
  /** Position of the cell in its row, from 0. */
  readonly position: number;
  /** Length in characters as written, quotes included. */
  readonly length: number;
  /** Line breaks inside the cell, which the parsed row no longer contains. */
  readonly lineBreaks: number;
  /** The first characters of the cell as written: 200, or the limit plus one when it is lower. */
  readonly preview: string;
  /** Whether the cell is a quote that is never closed before the end of the file. */
  readonly isUnclosed: boolean;
}

type State = "field-start" | "unquoted" | "quoted" | "after-quote" | "trailing-space" | "repair";

/** Rewrites a cell's raw bytes as a quoted cell with every quote doubled. */
const requote = (raw: Buffer): Buffer =>
  Buffer.from(`"${raw.toString("utf8").replace(/"/g, '""')}"`, "utf8");

/** Decodes the first characters of a cell from its first buffers. */
const previewOf = (parts: ReadonlyArray<Buffer>): string => {
  const head: Array<Buffer> = [];
  let bytes = 0;
  for (const part of parts) {
    if (bytes >= previewLength * 4) break;
    head.push(part.subarray(0, previewLength * 4 - bytes));
    bytes += head[head.length - 1]?.length ?? 0;
  }
  // 800 bytes contain at least 200 whole characters, so a character cut at the end is not kept.
  return Buffer.concat(head).toString("utf8").slice(0, previewLength);
};

/** Returns the start and end (without the line break) of each line of `raw`. */
const linesOf = (raw: Buffer): ReadonlyArray<readonly [number, number]> => {
  const lines: Array<readonly [number, number]> = [];
  let start = 0;
  for (let i = 0; i < raw.length; i += 1) {
    const byte = raw[i];
    if (byte !== lineFeed && byte !== carriageReturn) continue;
    lines.push([start, i]);
    if (byte === carriageReturn && raw[i + 1] === lineFeed) i += 1;
    start = i + 1;
  }
  lines.push([start, raw.length]);
  return lines;
};

/**
 * Counts the cells of one line read as a row on its own, with a quote opening a cell only at the
 * cell's start, and the first cell read as written when `isFirstLiteral` is set.
 *
 * @returns the number of cells, or undefined when a quoted cell is still open at the line's end.
 */
const countCells = (
  raw: Buffer,
  [start, end]: readonly [number, number],
  delimiter: number,
  isFirstLiteral = false,
): number | undefined => {
  let cells = 1;
  let isQuoted = false;
  let isCellStart = !isFirstLiteral;
  for (let i = start; i < end; i += 1) {
    const byte = raw[i];
    if (isQuoted) {
      if (byte !== quote) continue;
      if (i + 1 < end && raw[i + 1] === quote) i += 1;
      else isQuoted = false;
    } else if (byte === delimiter) {
      cells += 1;
      isCellStart = true;
    } else {
      if (isCellStart && byte === quote) isQuoted = true;
      isCellStart = false;
    }
  }
  return isQuoted ? undefined : cells;
};

/**
 * Tells whether the quote that closes a quoted cell on its last line, the first quote there not
 * doubled, starts a cell when that line is read as a row: it is the line's first byte or follows
 * a delimiter.
 */
const closesAtCellStart = (
  raw: Buffer,
  [start, end]: readonly [number, number],
  delimiter: number,
): boolean => {
  for (let i = start; i < end; i += 1) {
    if (raw[i] !== quote) continue;
    if (i + 1 < end && raw[i + 1] === quote) i += 1;
    else return i === start || raw[i - 1] === delimiter;
  }
  return false;
};

/** The end of a cell that starts with a quote: closed, repaired, or not reached yet. */
type QuotedEnd = "closed" | "repaired" | "open";

/**
 * Tells whether a quoted cell that spans lines is a stray quote. `raw` is the cell as written from
 * its opening quote, `position` its place in the row and `width` the header's cell count. The
 * opening line must give a row of `width` cells with the quote read as a character. The lines
 * between the opening line and the last one must read as rows of `width` cells, blank lines
 * aside. When there are no such lines, the cell must have been repaired, and its closing quote
 * must open a cell of the last line read as a row. A cell with line breaks inside a real row
 * fails these checks, because the text before its first line break leaves the row short.
 */
const readsAsStrayQuote = (
  raw: Buffer,
  position: number,
  width: number,
  delimiter: number,
  end: QuotedEnd,
): boolean => {
  const lines = linesOf(raw);
  const [opening, ...rest] = lines;
  const last = rest.pop();
  if (opening === undefined || last === undefined) return false;
  if (position + (countCells(raw, opening, delimiter, true) ?? 0) !== width) return false;

  let complete = 0;
  for (const line of rest) {
    if (line[0] === line[1]) continue;
    if (countCells(raw, line, delimiter) !== width) return false;
    complete += 1;
  }
  if (complete > 0) return true;
  return end === "repaired" && closesAtCellStart(raw, last, delimiter);
};

/** Joins the output pieces of a chunk, without a copy when there is one piece. */
const joined = (out: ReadonlyArray<Buffer>): Buffer | undefined => {
  if (out.length <= 1) return out[0];
  return Buffer.concat(out);
};

/** A transform that repairs malformed quoting and drops oversized cells in UTF-8 CSV bytes. */
export class QuoteRepairStream extends Transform {
  /** Repairs not yet taken by the reader, in line order. */
  readonly repairs: Array<QuoteRepair> = [];
  /** Oversized cells not yet taken by the reader, in line order. */
  readonly oversized: Array<OversizedCell> = [];
  readonly #delimiter: number;
  readonly #maxCellLength: number;
  readonly #rowWidth: number | undefined;
  #state: State = "field-start";
  #line = 1;
  #pendingCarriageReturn = false;
  /** Bytes of the current cell from earlier chunks, not yet passed on. */
  #pending: Array<Buffer> = [];
  #quoteLine = 1;
  #position = 0;
  #cellLine = 1;
  #cellLength = 0;
  #isDropping = false;
  #preview = "";

  /**
   * @param delimiter the file's delimiter, one ASCII character.
   * @param maxCellLength the longest cell passed on, in characters as written.
   * @param rowWidth the header's cell count, which the check for stray quotes needs. Without it,
   *   or when it is below 2, a quoted cell is closed only by its closing quote.
   */
  constructor(delimiter: string, maxCellLength = Number.POSITIVE_INFINITY, rowWidth?: number) {
    super();
    this.#delimiter = delimiter.charCodeAt(0);
    this.#maxCellLength = maxCellLength;
    this.#rowWidth = rowWidth !== undefined && rowWidth >= 2 ? rowWidth : undefined;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    const out: Array<Buffer> = [];
    this.#scan(chunk, out);
    callback(null, joined(out));
  }

  override _flush(callback: TransformCallback) {
    const out: Array<Buffer> = [];
    this.#finish(out);
    if (this.#pendingCarriageReturn) this.#line += 1;
    callback(null, joined(out));
  }

  #isBoundary(byte: number): boolean {
    return byte === this.#delimiter || byte === lineFeed || byte === carriageReturn;
  }

  #countLine(byte: number, next: number | undefined): void {
    if (this.#pendingCarriageReturn) {
      this.#pendingCarriageReturn = false;
      if (byte !== lineFeed) this.#line += 1;
    }
    if (byte === lineFeed) this.#line += 1;
    if (byte === carriageReturn) {
      if (next === undefined) this.#pendingCarriageReturn = true;
      else if (next !== lineFeed) this.#line += 1;
    }
  }

  /**
   * Scans one chunk. `from` is the start of the chunk's bytes not yet passed on, and `cellStart`
   * is where the current cell starts in the chunk (0 when it started in an earlier chunk).
   */
  #scan(chunk: Buffer, out: Array<Buffer>): void {
    let from = 0;
    let cellStart = 0;
    for (let i = 0; i < chunk.length; i += 1) {
      i = this.#skipInsideCell(chunk, i);
      if (i === chunk.length) break;
      const byte = chunk[i] ?? 0;
      const state = this.#state;

      if (state === "field-start") {
        if (this.#isBoundary(byte)) this.#nextPosition(byte);
        else {
          cellStart = i;
          this.#openCell();
          if (byte === quote) {
            out.push(chunk.subarray(from, i));
            from = i;
            this.#openQuoted();
          } else this.#state = "unquoted";
        }
      } else if (state === "unquoted" && this.#isBoundary(byte)) {
        if (this.#isDropping) from = i;
        else this.#passPending(out);
        this.#endCell(byte);
      } else if (state === "unquoted") {
        this.#countCharacter(byte);
      } else {
        const resolved = this.#inQuoted(byte);
        if (resolved !== undefined) {
          if (!this.#isDropping) {
            const current = chunk.subarray(from, i);
            if (this.#readStrayQuote(current, resolved, out)) {
              // The cell's bytes were scanned again as rows; the byte at `i` comes next.
              from = i;
              cellStart = i;
              i -= 1;
              continue;
            }
            this.#pending.push(current);
            out.push(...this.#resolve(resolved));
          }
          from = i;
          this.#endCell(byte);
        } else this.#countCharacter(byte);
      }

      if (!this.#isDropping && this.#cellLength > this.#maxCellLength) {
        const isQuoted = state !== "unquoted" && state !== "field-start";
        if (isQuoted && this.#readStrayQuote(chunk.subarray(from, i), "open", out)) {
          from = i;
          cellStart = i;
          i -= 1;
          continue;
        }
        this.#startDropping(chunk.subarray(cellStart, i + 1));
        if (cellStart > from) out.push(chunk.subarray(from, cellStart));
        from = chunk.length;
      }
      this.#countLine(byte, chunk[i + 1]);
    }
    this.#keep(chunk, from, cellStart, out);
  }

  /**
   * Skips, from `start`, the bytes inside an unquoted or quoted cell that change nothing but the
   * cell's length: the bytes before the next boundary, quote or line break, and before the
   * character that would pass the limit. The byte-by-byte path in `#scan` handles the byte it
   * stops at, and every byte after a carriage return at the end of the previous chunk.
   *
   * @returns the index of the first byte not skipped, or the chunk's length.
   */
  #skipInsideCell(chunk: Buffer, start: number): number {
    const state = this.#state;
    const isQuoted = state === "quoted";
    if ((!isQuoted && state !== "unquoted") || this.#pendingCarriageReturn) return start;

    const stop = isQuoted ? quote : this.#delimiter;
    const limit = this.#isDropping ? Number.POSITIVE_INFINITY : this.#maxCellLength;
    let length = this.#cellLength;
    let i = start;
    for (; i < chunk.length; i += 1) {
      const byte = chunk[i] ?? 0;
      if (byte === stop || byte === lineFeed || byte === carriageReturn) break;
      if ((byte & 0xc0) !== 0x80) {
        if (length >= limit) break;
        length += 1;
      }
    }
    this.#cellLength = length;
    return i;
  }

  /** Passes on the end of a chunk outside a cell, or keeps the unfinished cell for later. */
  #keep(chunk: Buffer, from: number, cellStart: number, out: Array<Buffer>): void {
    if (this.#isDropping) return;
    if (this.#state === "field-start") {
      out.push(chunk.subarray(from));
      return;
    }
    if (cellStart > from) out.push(chunk.subarray(from, cellStart));
    this.#pending.push(chunk.subarray(Math.max(from, cellStart)));
  }

  /** Passes on the held bytes of a cell that started in an earlier chunk and has ended. */
  #passPending(out: Array<Buffer>): void {
    if (this.#pending.length === 0) return;
    out.push(...this.#pending);
    this.#pending = [];
  }

  #openCell(): void {
    this.#cellLine = this.#line;
    this.#cellLength = 1;
  }

  #countCharacter(byte: number): void {
    if ((byte & 0xc0) !== 0x80) this.#cellLength += 1;
  }

  /** Moves to the next cell after a boundary: the next position, or the first after a line break. */
  #nextPosition(boundary: number): void {
    this.#position = boundary === this.#delimiter ? this.#position + 1 : 0;
  }

  /** Ends the current cell at its boundary byte, queueing it when it was dropped. */
  #endCell(boundary: number): void {
    if (this.#isDropping) this.#queueOversized(false);
    this.#state = "field-start";
    this.#cellLength = 0;
    this.#nextPosition(boundary);
  }

  /** Drops the held bytes of the current cell, keeping its first characters for the message. */
  #startDropping(current: Buffer): void {
    this.#preview = previewOf([...this.#pending, current]);
    this.#pending = [];
    this.#isDropping = true;
  }

  #queueOversized(isUnclosed: boolean): void {
    const pendingBreak = isUnclosed && this.#pendingCarriageReturn ? 1 : 0;
    this.oversized.push({
      line: this.#cellLine,
      position: this.#position,
      length: this.#cellLength,
      lineBreaks: this.#line - this.#cellLine + pendingBreak,
      preview: this.#preview,
      isUnclosed,
    });
    this.#isDropping = false;
    this.#preview = "";
  }

  #openQuoted(): void {
    this.#state = "quoted";
    this.#quoteLine = this.#line;
    this.#pending = [];
  }

  /** Advances inside a quoted cell; returns how the cell ended when this byte ends it. */
  #inQuoted(byte: number): "closed" | "repaired" | undefined {
    const state = this.#state;
    if (state === "quoted") {
      if (byte === quote) this.#state = "after-quote";
      return undefined;
    }
    if (state === "repair") return this.#isBoundary(byte) ? "repaired" : undefined;

    if (this.#isBoundary(byte)) return "closed";
    if (state === "after-quote" && byte === quote) this.#state = "quoted";
    else if (byte === space || byte === tab) this.#state = "trailing-space";
    else this.#state = "repair";
    return undefined;
  }

  /**
   * Reads the current quoted cell as a stray quote when it spans lines and `readsAsStrayQuote`
   * holds: passes on the quote and the text up to the next delimiter or line break as one cell,
   * then scans the rest of the cell's bytes again from there. `current` is the cell's part of
   * the chunk before the byte being handled, which is scanned after.
   *
   * @returns whether the cell was read so; otherwise nothing changed.
   */
  #readStrayQuote(current: Buffer, end: QuotedEnd, out: Array<Buffer>): boolean {
    const width = this.#rowWidth;
    if (width === undefined) return false;
    if (this.#line === this.#quoteLine && !this.#pendingCarriageReturn) return false;
    const raw = Buffer.concat([...this.#pending, current]);
    if (!readsAsStrayQuote(raw, this.#position, width, this.#delimiter, end)) return false;

    let cellEnd = 1;
    while (cellEnd < raw.length && !this.#isBoundary(raw[cellEnd] ?? 0)) cellEnd += 1;
    const overRows = end === "open" ? {} : { closingLine: this.#line };
    this.repairs.push({ line: this.#quoteLine, kind: "stray-quote", overRows });
    out.push(requote(raw.subarray(0, cellEnd)));

    this.#pending = [];
    this.#state = "field-start";
    this.#cellLength = 0;
    this.#line = this.#quoteLine;
    this.#pendingCarriageReturn = false;
    this.#scan(raw.subarray(cellEnd), out);
    return true;
  }

  /** Returns the bytes of a finished quoted cell, repaired when needed. */
  #resolve(how: "closed" | "repaired"): ReadonlyArray<Buffer> {
    const pending = this.#pending;
    this.#pending = [];
    if (how === "closed") return pending;

    this.repairs.push({ line: this.#quoteLine, kind: "stray-quote" });
    return [requote(Buffer.concat(pending))];
  }

  /** Ends the input: passes on or closes the last cell, or repairs a quote never closed. */
  #finish(out: Array<Buffer>): void {
    const state = this.#state;
    if (this.#isDropping) {
      // A dropped cell that began the last row leaves fast-csv no bytes of that row, so an empty
      // quoted cell replaces it and fast-csv still emits the row.
      if (this.#position === 0) out.push(Buffer.from('""'));
      this.#queueOversized(state === "quoted");
      this.#state = "field-start";
      return;
    }
    if (state === "field-start") return;
    if (state === "unquoted") {
      this.#passPending(out);
      return;
    }
    if (state !== "quoted") {
      out.push(...this.#resolve(state === "repair" ? "repaired" : "closed"));
      return;
    }

    const raw = Buffer.concat(this.#pending);
    this.#pending = [];
    let end = 1;
    while (end < raw.length && !this.#isBoundary(raw[end] ?? 0)) end += 1;
    this.repairs.push({ line: this.#quoteLine, kind: "unclosed-quote" });
    out.push(requote(raw.subarray(0, end)));

    this.#state = "field-start";
    this.#line = this.#quoteLine;
    this.#pendingCarriageReturn = false;
    this.#scan(raw.subarray(end), out);
    this.#finish(out);
  }
}
