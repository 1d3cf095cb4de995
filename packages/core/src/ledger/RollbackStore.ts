/**
 * The rollbacks of the run ledger: each rollback's scope, runs, status, counts and failures,
 * so that an interrupted rollback resumes as the same rollback.
 */
import type Database from "better-sqlite3";
import { decodeRollback, type SqlRow } from "./LedgerCodec.js";
import type { RollbackRow } from "./LedgerRows.js";
import { statementCache } from "./StatementCache.js";

const now = (): string => new Date().toISOString();

/** Rollbacks and how far each got. */
export class RollbackStore {
  readonly #db: Database.Database;
  readonly #prepare: (sql: string) => Database.Statement;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#prepare = statementCache(db);
  }

  /** Returns the unfinished rollback of a scope, or starts one. */
  start(scope: string, runIds: ReadonlyArray<number>, removeSchema: boolean): RollbackRow {
    return this.#db.transaction(() => this.#startRollback(scope, runIds, removeSchema))();
  }

  #startRollback(scope: string, runIds: ReadonlyArray<number>, removeSchema: boolean): RollbackRow {
    const open = this.#prepare(
      "SELECT * FROM rollbacks WHERE scope = ? AND status = 'running' ORDER BY id DESC",
    ).get(scope) as SqlRow | undefined;
    if (open !== undefined) return decodeRollback(open);

    const result = this.#prepare(
      "INSERT INTO rollbacks (scope, run_ids, remove_schema, status, started_at) VALUES (?, ?, ?, 'running', ?)",
    ).run(scope, JSON.stringify(runIds), removeSchema ? 1 : 0, now());
    return this.get(Number(result.lastInsertRowid)) as RollbackRow;
  }

  /** Returns a rollback by id. */
  get(id: number): RollbackRow | undefined {
    const row = this.#prepare("SELECT * FROM rollbacks WHERE id = ?").get(id) as SqlRow | undefined;
    return row === undefined ? undefined : decodeRollback(row);
  }

  /** Returns the rollbacks whose scope covered a run, oldest first. */
  covering(runId: number): ReadonlyArray<RollbackRow> {
    // The run ids are a JSON array per rollback, and a ledger has few rollbacks.
    return (this.#prepare("SELECT * FROM rollbacks ORDER BY id").all() as SqlRow[])
      .map(decodeRollback)
      .filter((rollback) => rollback.runIds.includes(runId));
  }

  /** Adds to a rollback's counts and failures. */
  advance(
    id: number,
    delta: {
      readonly removed?: number;
      readonly restored?: number;
      readonly failures?: RollbackRow["failures"];
    },
  ): void {
    this.#db.transaction(() => {
      const current = this.get(id);
      if (current === undefined) return;
      this.#prepare(
        "UPDATE rollbacks SET removed = ?, restored = ?, failures = ? WHERE id = ?",
      ).run(
        current.removed + (delta.removed ?? 0),
        current.restored + (delta.restored ?? 0),
        JSON.stringify([...current.failures, ...(delta.failures ?? [])]),
        id,
      );
    })();
  }

  /** Marks a rollback as finished. */
  finish(id: number): void {
    this.#prepare("UPDATE rollbacks SET status = 'finished', finished_at = ? WHERE id = ?").run(
      now(),
      id,
    );
  }
}
