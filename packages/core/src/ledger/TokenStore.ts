/**
 * The token spend of the run ledger. The `tokens` table keeps the total of each UTC day over
 * every run, verification and rollback, which the daily budget is checked against. The
 * `run_tokens` and `rollback_tokens` tables keep the same spend per run (by operation) and per
 * rollback, so that a report can show what one run cost.
 */
import type Database from "better-sqlite3";
import type { SqlRow } from "./LedgerCodec.js";
import type { DayTokens, RunDayTokens, RunTokens, TokenOwner } from "./LedgerRows.js";
import { RUN_TOKENS_SINCE_KEY } from "./LedgerSchema.js";
import { statementCache } from "./StatementCache.js";

const decodeDay = (row: SqlRow): DayTokens => ({ day: String(row.day), spent: Number(row.spent) });

/** Tokens spent per day, in total and per run and rollback. */
export class TokenStore {
  readonly #db: Database.Database;
  readonly #prepare: (sql: string) => Database.Statement;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#prepare = statementCache(db);
  }

  /**
   * Adds tokens spent on a day (`YYYY-MM-DD`) to the day's total and, when an owner is given,
   * to the owner's count, in one transaction. Returns the day's new total.
   */
  add(day: string, tokens: number, owner?: TokenOwner): number {
    const spent = Math.round(tokens);
    return this.#db.transaction(() => {
      this.#prepare(
        "INSERT INTO tokens (day, spent) VALUES (?, ?) ON CONFLICT (day) DO UPDATE SET spent = spent + excluded.spent",
      ).run(day, spent);
      if (owner !== undefined) this.#addOwned(owner, day, spent);
      return this.spent(day);
    })();
  }

  /**
   * Counts tokens that the day's total already contains for an owner, such as the spend of a
   * run's first request, made before the run had an id.
   */
  attribute(owner: TokenOwner, day: string, tokens: number): void {
    this.#addOwned(owner, day, Math.round(tokens));
  }

  #addOwned(owner: TokenOwner, day: string, spent: number): void {
    if ("runId" in owner) {
      this.#prepare(
        "INSERT INTO run_tokens (run_id, operation, day, spent) VALUES (?, ?, ?, ?) ON CONFLICT (run_id, operation, day) DO UPDATE SET spent = spent + excluded.spent",
      ).run(owner.runId, owner.operation, day, spent);
      return;
    }
    this.#prepare(
      "INSERT INTO rollback_tokens (rollback_id, day, spent) VALUES (?, ?, ?) ON CONFLICT (rollback_id, day) DO UPDATE SET spent = spent + excluded.spent",
    ).run(owner.rollbackId, day, spent);
  }

  /** Returns the tokens spent on a day (`YYYY-MM-DD`) by every run, verification and rollback. */
  spent(day: string): number {
    const row = this.#prepare("SELECT spent FROM tokens WHERE day = ?").get(day) as
      | SqlRow
      | undefined;
    return row === undefined ? 0 : Number(row.spent);
  }

  /** Returns the day totals, oldest day first. */
  byDay(): ReadonlyArray<DayTokens> {
    return (this.#prepare("SELECT day, spent FROM tokens ORDER BY day").all() as SqlRow[]).map(
      decodeDay,
    );
  }

  /** Returns the tokens a run spent, per day and operation. */
  ofRun(runId: number): RunTokens {
    const rows = this.#prepare(
      "SELECT day, operation, spent FROM run_tokens WHERE run_id = ? ORDER BY day, operation",
    ).all(runId) as SqlRow[];
    const days = new Map<string, { migrate: number; verify: number }>();
    for (const row of rows) {
      const day = String(row.day);
      const entry = days.get(day) ?? { migrate: 0, verify: 0 };
      if (row.operation === "verify") entry.verify += Number(row.spent);
      else entry.migrate += Number(row.spent);
      days.set(day, entry);
    }
    const byDay: Array<RunDayTokens> = [...days].map(([day, { migrate, verify }]) => ({
      day,
      migrate,
      verify,
      total: migrate + verify,
    }));
    const migrate = byDay.reduce((sum, day) => sum + day.migrate, 0);
    const verify = byDay.reduce((sum, day) => sum + day.verify, 0);
    return { migrate, verify, total: migrate + verify, byDay, complete: this.#complete(runId) };
  }

  /** Tells whether the ledger counted tokens per run for the whole life of a run. */
  #complete(runId: number): boolean {
    const since = this.#prepare("SELECT value FROM meta WHERE key = ?").get(RUN_TOKENS_SINCE_KEY) as
      | SqlRow
      | undefined;
    if (since === undefined) return true;
    const run = this.#prepare("SELECT started_at FROM runs WHERE id = ?").get(runId) as
      | SqlRow
      | undefined;
    return (
      run === undefined || Date.parse(String(run.started_at)) >= Date.parse(String(since.value))
    );
  }

  /** Returns the tokens a rollback spent per day, over every pass of it, oldest day first. */
  ofRollback(rollbackId: number): ReadonlyArray<DayTokens> {
    return (
      this.#prepare(
        "SELECT day, spent FROM rollback_tokens WHERE rollback_id = ? ORDER BY day",
      ).all(rollbackId) as SqlRow[]
    ).map(decodeDay);
  }
}
