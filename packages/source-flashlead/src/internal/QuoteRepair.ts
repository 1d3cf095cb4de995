/**
 * A byte stream transform that repairs the quoting fast-csv would stop at, so that one bad cell
 * does not end the whole file.
 *
 * fast-csv reads a quote inside an unquoted cell as written, but it fails on a cell that starts
 * with a quote and goes on after the closing quote (`"19" Screens Ltd`), and on a quote that is
 * never closed. This transform follows the CSV quoting of the UTF-8 bytes it passes on. It can
 * work on bytes because quotes, delimiters and line breaks are ASCII, and no ASCII byte occurs
 * inside a multi-byte UTF-8 sequence. It rewrites such a cell as a properly quoted cell that
 * contains the text exactly as written. A cell
 * with a quote that is never closed ends at the next delimiter or line break, and the rows after
 * it are read normally. Each repair is queued with its physical line so the reader can attach a
 * warning to the row.
 *
 * A quoted cell is buffered until its closing quote is seen. Past 1 MiB the cell is passed on
 * unrepaired, so memory stays bounded; fast-csv then fails on it if it is malformed.
 */
import { Transform, type TransformCallback } from "node:stream";

const quote = 0x22;
const lineFeed = 0x0a;
const carriageReturn = 0x0d;
const space = 0x20;
const maxPending = 1 << 20;

/** A repaired cell and the physical line its first quote is on. */
export interface QuoteRepair {
  readonly line: number;
  readonly kind: "stray-quote" | "unclosed-quote";
}

type State = "field-start" | "unquoted" | "quoted" | "after-quote" | "trailing-space" | "repair";

/** Rewrites a cell's raw bytes as a quoted cell with every quote doubled. */
const requote = (raw: Buffer): Buffer =>
  Buffer.from(`"${raw.toString("utf8").replace(/"/g, '""')}"`, "utf8");

/** A transform that repairs malformed quoting in UTF-8 CSV bytes. */
export class QuoteRepairStream extends Transform {
  /** Repairs not yet taken by the reader, in line order. */
  readonly repairs: Array<QuoteRepair> = [];
  readonly #delimiter: number;
  #state: State = "field-start";
  #line = 1;
  #pendingCarriageReturn = false;
  #pending: Array<Buffer> = [];
  #pendingLength = 0;
  #isPassthrough = false;
  #quoteLine = 1;

  constructor(delimiter: string) {
    super();
    this.#delimiter = delimiter.charCodeAt(0);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    const out: Array<Buffer> = [];
    this.#scan(chunk, out);
    callback(null, out.length === 0 ? undefined : Buffer.concat(out));
  }

  override _flush(callback: TransformCallback) {
    const out: Array<Buffer> = [];
    this.#finish(out);
    if (this.#pendingCarriageReturn) this.#line += 1;
    callback(null, out.length === 0 ? undefined : Buffer.concat(out));
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

  #scan(chunk: Buffer, out: Array<Buffer>): void {
    let from = 0;
    for (let i = 0; i < chunk.length; i += 1) {
      const byte = chunk[i] ?? 0;
      if (this.#state === "field-start" && byte === quote) {
        out.push(chunk.subarray(from, i));
        from = i;
        this.#openQuoted();
      } else if (this.#state === "field-start" || this.#state === "unquoted") {
        this.#state = this.#isBoundary(byte) ? "field-start" : "unquoted";
      } else {
        const resolved = this.#inQuoted(byte);
        if (resolved !== undefined) {
          this.#pending.push(chunk.subarray(from, i));
          out.push(...this.#resolve(resolved));
          from = i;
          this.#state = "field-start";
        }
      }
      this.#countLine(byte, chunk[i + 1]);
    }
    this.#keep(chunk.subarray(from), out);
  }

  /** Keeps the unresolved end of a chunk, or passes it on outside a quoted cell. */
  #keep(rest: Buffer, out: Array<Buffer>): void {
    const isPending = this.#state !== "field-start" && this.#state !== "unquoted";
    if (!isPending || this.#isPassthrough) {
      out.push(rest);
      return;
    }
    this.#pending.push(rest);
    this.#pendingLength += rest.length;
    if (this.#pendingLength > maxPending) {
      out.push(...this.#pending);
      this.#pending = [];
      this.#isPassthrough = true;
    }
  }

  #openQuoted(): void {
    this.#state = "quoted";
    this.#quoteLine = this.#line;
    this.#pending = [];
    this.#pendingLength = 0;
    this.#isPassthrough = false;
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
    else if (byte === space || byte === 0x09) this.#state = "trailing-space";
    else this.#state = this.#isPassthrough ? "unquoted" : "repair";
    return undefined;
  }

  /** Returns the bytes of a finished quoted cell, repaired when needed. */
  #resolve(how: "closed" | "repaired"): ReadonlyArray<Buffer> {
    const pending = this.#pending;
    this.#pending = [];
    this.#pendingLength = 0;
    if (how === "closed" || this.#isPassthrough) return pending;

    this.repairs.push({ line: this.#quoteLine, kind: "stray-quote" });
    return [requote(Buffer.concat(pending))];
  }

  /** Ends the input: closes a cell at the end, or repairs a quote never closed. */
  #finish(out: Array<Buffer>): void {
    const state = this.#state;
    if (state === "field-start" || state === "unquoted" || this.#isPassthrough) return;
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
