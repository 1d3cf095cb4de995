/**
 * The rows of one report table as a count and a source that can be read more than once. A
 * streamed report reads its rows from the ledger page by page, and a report built in memory
 * wraps its arrays, so the renderers handle both the same way.
 */

/** Rows of one report table: their number, and a new pass over them on each iteration. */
export class ReportRows<T> implements Iterable<T> {
  /** Number of rows that a full pass yields. */
  readonly count: number;
  readonly #source: Iterable<T>;

  constructor(count: number, source: Iterable<T>) {
    this.count = count;
    this.#source = source;
  }

  /** Wraps rows held in memory. */
  static of<T>(rows: ReadonlyArray<T>): ReportRows<T> {
    return new ReportRows(rows.length, rows);
  }

  /** Joins row sources into one, in order. */
  static concat<T>(...parts: ReadonlyArray<ReportRows<T>>): ReportRows<T> {
    const count = parts.reduce((sum, part) => sum + part.count, 0);
    return new ReportRows(count, {
      *[Symbol.iterator]() {
        for (const part of parts) yield* part;
      },
    });
  }

  /** Returns a source whose rows are this source's rows passed through `transform`. */
  map<U>(transform: (row: T) => U): ReportRows<U> {
    const source = this.#source;
    return new ReportRows(this.count, {
      *[Symbol.iterator]() {
        for (const row of source) yield transform(row);
      },
    });
  }

  /** Yields at most `limit` rows from the start. */
  *take(limit: number): Generator<T> {
    if (limit <= 0) return;
    let taken = 0;
    for (const row of this.#source) {
      yield row;
      taken += 1;
      if (taken >= limit) return;
    }
  }

  /** Collects every row into an array. */
  toArray(): ReadonlyArray<T> {
    return [...this.#source];
  }

  [Symbol.iterator](): Iterator<T> {
    return this.#source[Symbol.iterator]();
  }
}
