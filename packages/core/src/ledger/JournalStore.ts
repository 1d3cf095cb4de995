/**
 * The write journal of the run ledger. It records each write's intent before the write is
 * sent, then its result. Updates keep the previous values, and a rollback marks what it undid.
 */
import type Database from "better-sqlite3";
import type { RecordRef } from "../SourceRecord.js";
import { decodeJournal, type SqlRow } from "./LedgerCodec.js";
import type { JournalEntry, JournalOp, JournalStatus, WrittenValues } from "./LedgerRows.js";
import { statementCache } from "./StatementCache.js";

const now = (): string => new Date().toISOString();

/** A write about to be sent, as the journal records it first. */
export interface NewIntent {
  readonly runId: number;
  readonly destKind: string;
  readonly ref: RecordRef;
  readonly op: JournalOp;
  readonly payload: WrittenValues;
  readonly hash: string;
  readonly previous?: WrittenValues | undefined;
  readonly previousMap?: { readonly hash: string; readonly written: WrittenValues } | undefined;
  readonly destId?: string | undefined;
}

/** Journaled writes of every run. */
export class JournalStore {
  readonly #prepare: (sql: string) => Database.Statement;

  constructor(db: Database.Database) {
    this.#prepare = statementCache(db);
  }

  /** Journals a write before it is sent and returns its sequence number. */
  intent(intent: NewIntent): number {
    const result = this.#prepare(
      "INSERT INTO journal (run_id, dest_kind, ref_kind, ref_id, op, payload, hash, previous, previous_map, status, dest_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'intent', ?, ?)",
    ).run(
      intent.runId,
      intent.destKind,
      intent.ref.kind,
      intent.ref.sourceId,
      intent.op,
      JSON.stringify(intent.payload),
      intent.hash,
      intent.previous === undefined ? null : JSON.stringify(intent.previous),
      intent.previousMap === undefined ? null : JSON.stringify(intent.previousMap),
      intent.destId ?? null,
      now(),
    );
    return Number(result.lastInsertRowid);
  }

  /** Settles a journaled write with its result. */
  settle(seq: number, status: JournalStatus, destId?: string, result?: unknown): void {
    this.#prepare(
      "UPDATE journal SET status = ?, dest_id = COALESCE(?, dest_id), result = ?, settled_at = ? WHERE seq = ?",
    ).run(status, destId ?? null, result === undefined ? null : JSON.stringify(result), now(), seq);
  }

  /** Returns the writes of a run that were sent but never settled, oldest first. */
  open(runId: number): ReadonlyArray<JournalEntry> {
    return (
      this.#prepare(
        "SELECT * FROM journal WHERE run_id = ? AND status = 'intent' ORDER BY seq",
      ).all(runId) as SqlRow[]
    ).map(decodeJournal);
  }

  /** Returns the writes of every run that were sent but never settled, oldest first. */
  allOpen(): ReadonlyArray<JournalEntry> {
    return (
      this.#prepare("SELECT * FROM journal WHERE status = 'intent' ORDER BY seq").all() as SqlRow[]
    ).map(decodeJournal);
  }

  /**
   * Returns a record's first update that never arrived (`absent`). A retry of the update keeps
   * its previous values.
   */
  abandonedUpdate(runId: number, destKind: string, ref: RecordRef): JournalEntry | undefined {
    const row = this.#prepare(
      "SELECT * FROM journal WHERE run_id = ? AND dest_kind = ? AND ref_kind = ? AND ref_id = ? AND op = 'update' AND status = 'absent' ORDER BY seq LIMIT 1",
    ).get(runId, destKind, ref.kind, ref.sourceId) as SqlRow | undefined;
    return row === undefined ? undefined : decodeJournal(row);
  }

  /** Returns the settled writes of some runs that no rollback has undone, newest first. */
  undoable(runIds: ReadonlyArray<number>): ReadonlyArray<JournalEntry> {
    const placeholders = runIds.map(() => "?").join(", ");
    return (
      this.#prepare(
        `SELECT * FROM journal WHERE run_id IN (${placeholders}) AND status = 'done' AND undone_by IS NULL ORDER BY seq DESC`,
      ).all(...runIds) as SqlRow[]
    ).map(decodeJournal);
  }

  /** Returns every journal entry of a run, oldest first. */
  entries(runId: number): ReadonlyArray<JournalEntry> {
    return (
      this.#prepare("SELECT * FROM journal WHERE run_id = ? ORDER BY seq").all(runId) as SqlRow[]
    ).map(decodeJournal);
  }

  /** Marks a journaled write as undone by a rollback. */
  markUndone(seq: number, rollbackId: number): void {
    this.#prepare("UPDATE journal SET undone_by = ? WHERE seq = ?").run(rollbackId, seq);
  }
}
