/**
 * The verification results of the run ledger: the differences the last verification of each
 * run found, and its totals.
 */
import type Database from "better-sqlite3";
import { decodeDifference, type SqlRow } from "./LedgerCodec.js";
import type { VerificationDifference } from "./LedgerRows.js";
import { statementCache } from "./StatementCache.js";

const now = (): string => new Date().toISOString();

/** Verification results, per run. */
export class VerificationStore {
  readonly #db: Database.Database;
  readonly #prepare: (sql: string) => Database.Statement;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#prepare = statementCache(db);
  }

  /** Replaces the verification results of a run. */
  save(runId: number, records: number, differences: ReadonlyArray<VerificationDifference>): void {
    const checkedAt = now();
    const insert = this.#prepare(
      "INSERT INTO verification (run_id, checked_at, kind, ref_kind, ref_id, dest_id, field, expected, actual) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    this.#db.transaction(() => {
      this.#prepare("DELETE FROM verification WHERE run_id = ?").run(runId);
      for (const d of differences) {
        insert.run(
          runId,
          checkedAt,
          d.kind,
          d.ref.kind,
          d.ref.sourceId,
          d.destId,
          d.field,
          JSON.stringify(d.expected ?? null),
          JSON.stringify(d.actual ?? null),
        );
      }
      this.#prepare(
        "INSERT INTO verification_runs (run_id, checked_at, records, differences) VALUES (?, ?, ?, ?) ON CONFLICT (run_id) DO UPDATE SET checked_at = excluded.checked_at, records = excluded.records, differences = excluded.differences",
      ).run(runId, checkedAt, records, differences.length);
    })();
  }

  /** Returns the last verification of a run, if it was verified. */
  get(runId: number):
    | {
        readonly checkedAt: string;
        readonly records: number;
        readonly differences: ReadonlyArray<VerificationDifference>;
      }
    | undefined {
    const head = this.#prepare("SELECT * FROM verification_runs WHERE run_id = ?").get(runId) as
      | SqlRow
      | undefined;
    if (head === undefined) return undefined;
    const rows = this.#prepare("SELECT * FROM verification WHERE run_id = ? ORDER BY id").all(
      runId,
    ) as SqlRow[];
    const differences = rows.map(decodeDifference);
    return { checkedAt: String(head.checked_at), records: Number(head.records), differences };
  }
}
