/**
 * Paged reads of the ledger tables that grow with the export: rejections, lossy steps, the
 * reconciliation queue and verification differences. Each reader fetches one page of rows at a
 * time by primary key (`id > last ORDER BY id LIMIT n`), so a caller that streams a report keeps
 * one page in memory instead of the whole table. Counts come from `COUNT(*)` queries.
 */
import type Database from "better-sqlite3";

import {
  decodeDifference,
  decodeLossy,
  decodeQueue,
  decodeRejection,
  type SqlRow,
} from "./LedgerCodec.js";
import type { LossyRow, QueueRow, RejectionRow, VerificationDifference } from "./LedgerRows.js";
import { statementCache } from "./StatementCache.js";

/** Rows each page query fetches unless the caller sets another page size. */
export const DEFAULT_PAGE_SIZE = 500;

/** Filter of the rejections of a run. */
export interface RejectionFilter {
  /** Only rejections of this destination kind. */
  readonly destKind?: string | undefined;
}

/** Filter of the lossy steps of a run. */
export interface LossyFilter {
  /**
   * Only steps whose code contains one of these words. SQLite `LIKE` compares ASCII letters
   * without regard to case, and other characters exactly.
   */
  readonly codeContains?: ReadonlyArray<string> | undefined;
}

/** Filter of the reconciliation queue of a run. */
export interface QueueFilter {
  /** Only the records a sample run selected. */
  readonly selectedOnly?: boolean | undefined;
  /** Only records of this destination kind. */
  readonly kind?: string | undefined;
}

/** Totals of the last verification of a run. */
export interface VerificationTotals {
  readonly checkedAt: string;
  readonly records: number;
  readonly differences: number;
}

/** A SQL condition and its parameters, appended after `WHERE run_id = ?`. */
interface Condition {
  readonly sql: string;
  readonly params: ReadonlyArray<unknown>;
}

const rejectionCondition = (filter: RejectionFilter): Condition =>
  filter.destKind === undefined
    ? { sql: "", params: [] }
    : { sql: " AND dest_kind = ?", params: [filter.destKind] };

const lossyCondition = (filter: LossyFilter): Condition => {
  const words = filter.codeContains;
  if (words === undefined) return { sql: "", params: [] };
  if (words.length === 0) return { sql: " AND 0", params: [] };
  const escaped = words.map((word) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const likes = words.map(() => "code LIKE ? ESCAPE '\\'").join(" OR ");
  return { sql: ` AND (${likes})`, params: escaped };
};

const queueCondition = (filter: QueueFilter): Condition => {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (filter.selectedOnly === true) parts.push(" AND selected = 1");
  if (filter.kind !== undefined) {
    parts.push(" AND kind = ?");
    params.push(filter.kind);
  }
  return { sql: parts.join(""), params };
};

/** Paged readers and counts of the report tables of the ledger. */
export class ReportPages {
  readonly #prepare: (sql: string) => Database.Statement;

  constructor(db: Database.Database) {
    this.#prepare = statementCache(db);
  }

  /** Returns the rejections of a run in recorded order, read one page at a time per pass. */
  rejections(
    runId: number,
    filter: RejectionFilter = {},
    pageSize?: number,
  ): Iterable<RejectionRow> {
    return this.#paged("rejections", runId, rejectionCondition(filter), decodeRejection, pageSize);
  }

  /** Counts the rejections of a run. */
  countRejections(runId: number, filter: RejectionFilter = {}): number {
    return this.#count("rejections", runId, rejectionCondition(filter));
  }

  /**
   * Counts the rejections of a run per code, the most frequent first. Codes with equal counts
   * keep the order in which their first rejection was recorded.
   */
  rejectionsByCode(
    runId: number,
  ): ReadonlyArray<{ readonly code: string; readonly count: number }> {
    const rows = this.#prepare(
      "SELECT code, COUNT(*) AS n, MIN(id) AS first FROM rejections WHERE run_id = ? GROUP BY code ORDER BY n DESC, first",
    ).all(runId) as SqlRow[];
    return rows.map((row) => ({ code: String(row.code), count: Number(row.n) }));
  }

  /** Counts the rejections of a run per step and code, in no particular order. */
  rejectionsByStageAndCode(runId: number): ReadonlyArray<{
    readonly stage: RejectionRow["stage"];
    readonly code: string;
    readonly count: number;
  }> {
    const rows = this.#prepare(
      "SELECT stage, code, COUNT(*) AS n FROM rejections WHERE run_id = ? GROUP BY stage, code",
    ).all(runId) as SqlRow[];
    return rows.map((row) => ({
      stage: String(row.stage) as RejectionRow["stage"],
      code: String(row.code),
      count: Number(row.n),
    }));
  }

  /** Returns the lossy steps of a run in recorded order, read one page at a time per pass. */
  lossy(runId: number, filter: LossyFilter = {}, pageSize?: number): Iterable<LossyRow> {
    return this.#paged("lossy", runId, lossyCondition(filter), decodeLossy, pageSize);
  }

  /** Counts the lossy steps of a run. */
  countLossy(runId: number, filter: LossyFilter = {}): number {
    return this.#count("lossy", runId, lossyCondition(filter));
  }

  /** Returns the queue of a run in recorded order, read one page at a time per pass. */
  queued(runId: number, filter: QueueFilter = {}, pageSize?: number): Iterable<QueueRow> {
    return this.#paged("queue", runId, queueCondition(filter), decodeQueue, pageSize);
  }

  /** Counts the queued records of a run. */
  countQueued(runId: number, filter: QueueFilter = {}): number {
    return this.#count("queue", runId, queueCondition(filter));
  }

  /** Returns the totals of the last verification of a run, or undefined before one. */
  verificationTotals(runId: number): VerificationTotals | undefined {
    const head = this.#prepare("SELECT * FROM verification_runs WHERE run_id = ?").get(runId) as
      | SqlRow
      | undefined;
    if (head === undefined) return undefined;
    return {
      checkedAt: String(head.checked_at),
      records: Number(head.records),
      differences: Number(head.differences),
    };
  }

  /** Returns the differences of a run's last verification, read one page at a time per pass. */
  differences(runId: number, pageSize?: number): Iterable<VerificationDifference> {
    return this.#paged("verification", runId, { sql: "", params: [] }, decodeDifference, pageSize);
  }

  #count(table: string, runId: number, condition: Condition): number {
    const row = this.#prepare(
      `SELECT COUNT(*) AS n FROM ${table} WHERE run_id = ?${condition.sql}`,
    ).get(runId, ...condition.params) as SqlRow;
    return Number(row.n);
  }

  #paged<T>(
    table: string,
    runId: number,
    condition: Condition,
    decode: (row: SqlRow) => T,
    pageSize = DEFAULT_PAGE_SIZE,
  ): Iterable<T> {
    if (!Number.isInteger(pageSize) || pageSize < 1) {
      throw new RangeError(`Invalid page size ${pageSize}: expected a whole number of 1 or more`);
    }
    const statement = this.#prepare(
      `SELECT * FROM ${table} WHERE run_id = ?${condition.sql} AND id > ? ORDER BY id LIMIT ?`,
    );
    // Each pass starts a new generator, so the iterable can be read more than once.
    return {
      *[Symbol.iterator]() {
        let lastId = 0;
        for (;;) {
          const page = statement.all(runId, ...condition.params, lastId, pageSize) as SqlRow[];
          for (const row of page) yield decode(row);
          const last = page.at(-1);
          if (last === undefined || page.length < pageSize) return;
          lastId = Number(last.id);
        }
      },
    };
  }
}
