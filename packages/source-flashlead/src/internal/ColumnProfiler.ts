/**
 * Column profiles built while a file streams: fill rate, placeholders, distinct values, samples,
 * the inferred type and, for dates, the format. The values that do not read as the inferred type
 * are counted by `ValueChecks`.
 *
 * Memory stays bounded: distinct values are counted exactly up to 1,000 per column, and past
 * that the count is estimated from the 256 smallest value hashes (a k-minimum-values sketch).
 */
import type { ColumnProfile, DateOrder, InferredType, ValueCount } from "@ferry/core";
import {
  type DateFormatInference,
  makeDateFormatInference,
  rejectingDateOrders,
} from "@ferry/core";

import type { CleanCell } from "./Cells.js";
import { type CellOrigin, type InvalidValues, ValueChecks } from "./ValueChecks.js";

const distinctCap = 1000;
const sketchSize = 256;
const fewDistinct = 20;

const emailShape = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const urlShape = /^(?:https?:\/\/|www\.)\S+$/i;
const dateShape = /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}/;
const timeShape = /\d{1,2}:\d{2}/;
const numberShape = /^[+-]?\d+(?:[.,]\d+)?$/;
const groupedNumberShape = /^[+-]?\d{1,3}(?:[ .,\u00a0]\d{3})+(?:[.,]\d+)?$/;
const moneyShape =
  /^(?:[€$£]|R\$|USD|EUR|BRL|GBP)\s?[+-]?\d[\d .,\u00a0]*$|^[+-]?\d[\d .,\u00a0]*\s?(?:[€$£]|USD|EUR|BRL|GBP)$/i;
const phoneShape = /^\+?[\d\s().-]{7,}$/;
const booleans = new Set([
  "true",
  "false",
  "yes",
  "no",
  "oui",
  "non",
  "si",
  "sí",
  "sim",
  "não",
  "nao",
  "ja",
  "nein",
  "y",
  "n",
]);

const countDigits = (text: string): number => {
  let digits = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= 0x30 && code <= 0x39) digits += 1;
  }
  return digits;
};

/** The orders under which a value that is not date-shaped is rejected: all of them. */
const notDate = rejectingDateOrders("");

/** Infers the type of one non-empty value. */
const valueType = (value: string): InferredType => {
  const text = value.trim();
  if (text.length > 200 || /[\r\n]/.test(value)) return "text";
  if (text.includes("@") && emailShape.test(text)) return "email";
  if (urlShape.test(text)) return "url";
  if (dateShape.test(text)) return timeShape.test(text) ? "datetime" : "date";
  if (moneyShape.test(text)) return "money";
  if (booleans.has(text.toLowerCase())) return "boolean";
  if (
    phoneShape.test(text) &&
    countDigits(text) >= 7 &&
    (/^[+0(]/.test(text) || /[\s().-]/.test(text))
  ) {
    return "phone";
  }
  if (numberShape.test(text) || groupedNumberShape.test(text)) return "number";
  return "string";
};

/** Returns the type a column has by its name alone: `id` for ids, `list` for tags. */
const fixedType = (name: string): InferredType | undefined => {
  if (name === "id" || name.endsWith("_id")) return "id";
  if (name === "tags") return "list";
  return undefined;
};

/** Hashes a value to 32 bits (FNV-1a) for the distinct-count sketch. */
const hash32 = (text: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
};

/** Accumulates the profile of one column. */
export class ColumnProfiler {
  readonly #name: string;
  readonly #header: string;
  readonly #recognized: boolean;
  #rows = 0;
  #empty = 0;
  readonly #placeholders = new Map<string, number>();
  readonly #distinct = new Map<string, number>();
  #overflow = false;
  readonly #sketch: Array<number> = [];
  readonly #samples: Array<string> = [];
  readonly #types = new Map<InferredType, number>();
  readonly #valueTypes = new Map<string, InferredType>();
  readonly #dates: DateFormatInference = makeDateFormatInference();
  readonly #checks: ValueChecks | undefined;

  constructor(name: string, header: string, recognized: boolean) {
    this.#name = name;
    this.#header = header;
    this.#recognized = recognized;
    // Ids and tag lists get their type from the column name, and no type check applies to them.
    this.#checks = fixedType(name) === undefined ? new ValueChecks() : undefined;
  }

  /** Name of the column in records. */
  get name(): string {
    return this.#name;
  }

  /** Takes one cell of a record into account; a padded cell counts as empty. */
  add(cell: CleanCell | undefined, origin: CellOrigin): void {
    this.#rows += 1;
    if (cell === undefined || cell.kind === "placeholder") {
      this.#empty += 1;
      if (cell !== undefined) {
        const key = cell.raw.trim();
        this.#placeholders.set(key, (this.#placeholders.get(key) ?? 0) + 1);
      }
      return;
    }

    const value = cell.value;
    if (value.trim() === "") {
      this.#empty += 1;
      return;
    }

    this.#countDistinct(value);
    if (this.#samples.length < 3 && !this.#samples.includes(value)) {
      this.#samples.push(value.length > 80 ? `${value.slice(0, 80)}…` : value);
    }
    const type = cell.kind === "digits-lost" ? "phone" : this.#typeOf(value);
    this.#types.set(type, (this.#types.get(type) ?? 0) + 1);
    const rejectingOrders =
      type === "date" || type === "datetime" ? this.#dates.add(value) : notDate;
    this.#checks?.add(value, type, rejectingOrders, origin);
  }

  /**
   * Infers a value's type, caching the types of the first 1,000 distinct values, because columns
   * such as a stage or a currency repeat a few values on every row. A column past 1,000 distinct
   * values mostly contains new values, so it skips the cache.
   */
  #typeOf(value: string): InferredType {
    if (this.#overflow) return valueType(value);
    const known = this.#valueTypes.get(value);
    if (known !== undefined) return known;
    const type = valueType(value);
    if (this.#valueTypes.size < distinctCap) this.#valueTypes.set(value, type);
    return type;
  }

  /**
   * Counts a value exactly while the column has at most 1,000 distinct values, and in the sketch
   * past that. The sketch then starts from the values counted so far, which gives the same
   * sketch as hashing every value from the first row, and the exact counts are dropped because
   * no profile shows them past the cap.
   */
  #countDistinct(value: string): void {
    if (this.#overflow) {
      this.#addToSketch(hash32(value));
      return;
    }

    const known = this.#distinct.get(value);
    if (known !== undefined) this.#distinct.set(value, known + 1);
    else if (this.#distinct.size < distinctCap) this.#distinct.set(value, 1);
    else {
      this.#overflow = true;
      for (const seen of this.#distinct.keys()) this.#addToSketch(hash32(seen));
      this.#addToSketch(hash32(value));
      this.#distinct.clear();
    }
  }

  /** Keeps a hash when it is among the 256 smallest distinct hashes seen. */
  #addToSketch(hash: number): void {
    const sketch = this.#sketch;
    const full = sketch.length >= sketchSize;
    if (full && hash >= (sketch[sketch.length - 1] ?? 0)) return;
    if (sketch.includes(hash)) return;

    let at = sketch.length;
    while (at > 0 && (sketch[at - 1] ?? 0) > hash) at -= 1;
    sketch.splice(at, 0, hash);
    if (sketch.length > sketchSize) sketch.pop();
  }

  /** Number of distinct values, exact below the cap and estimated above it. */
  #distinctCount(): number {
    if (!this.#overflow) return this.#distinct.size;
    const kth = this.#sketch[this.#sketch.length - 1] ?? 1;
    return Math.max(distinctCap, Math.round(((sketchSize - 1) * 2 ** 32) / (kth + 1)));
  }

  /** The inferred type: the type of at least 90 % of the non-empty values, else `string`. */
  #inferredType(nonEmpty: number, distinct: number): InferredType {
    if (nonEmpty === 0) return "empty";
    const fixed = fixedType(this.#name);
    if (fixed !== undefined) return fixed;

    if (this.#types.has("text")) return "text";
    const dates = (this.#types.get("date") ?? 0) + (this.#types.get("datetime") ?? 0);
    if (dates >= nonEmpty * 0.9) return this.#types.has("datetime") ? "datetime" : "date";

    let best: InferredType = "string";
    let votes = 0;
    for (const [type, count] of this.#types) {
      if (count > votes) [best, votes] = [type, count];
    }
    if (votes < nonEmpty * 0.9) return "string";
    if (best === "string" && distinct <= fewDistinct && nonEmpty >= distinct * 3) return "picklist";
    return best;
  }

  /** Returns the date format the values show so far. */
  dateFormat(): ReturnType<DateFormatInference["result"]> {
    return this.#dates.result();
  }

  /**
   * Returns the values that do not read as the column's inferred type. `dateOrder`, when set,
   * replaces the order the column's values show.
   */
  invalidValues(inferredType: InferredType, dateOrder?: DateOrder): InvalidValues | undefined {
    return this.#checks?.invalid(inferredType, dateOrder ?? this.#dates.result()?.order);
  }

  /** Builds the profile of the values seen so far. */
  profile(): ColumnProfile {
    const nonEmpty = this.#rows - this.#empty;
    const distinctCount = this.#distinctCount();
    const inferredType = this.#inferredType(nonEmpty, distinctCount);
    const byCount = (a: ValueCount, b: ValueCount) =>
      b.count - a.count || (a.value < b.value ? -1 : 1);
    const distinct = [...this.#distinct].map(([value, count]) => ({ value, count })).sort(byCount);
    const placeholders = [...this.#placeholders].map(([value, count]) => ({ value, count }));
    const format = this.#format(inferredType);

    return {
      name: this.#name,
      header: this.#header,
      inferredType,
      fillRate: this.#rows === 0 ? 0 : nonEmpty / this.#rows,
      emptyCount: this.#empty,
      placeholders: placeholders.sort(byCount),
      distinctCount,
      ...(distinctCount <= fewDistinct && distinctCount > 0 ? { distinct } : {}),
      samples: this.#samples,
      recognized: this.#recognized,
      ...(format === undefined ? {} : { format }),
    };
  }

  #format(type: InferredType): string | undefined {
    if (type !== "date" && type !== "datetime") return undefined;
    const format = this.#dates.result();
    if (format === undefined) return undefined;
    const time = format.hasTime ? ", with time" : "";
    const zone = format.hasZone ? ", with zone" : "";
    return `${format.order}${time}${zone}`;
  }
}
