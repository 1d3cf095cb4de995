/**
 * The run ledger: one SQLite file (WAL) under the state folder. It records runs, plan
 * approvals, staged source records, planned records, the id map, the write journal, schema
 * items, rejections, the reconciliation queue, lossy steps, checkpoints, verification results,
 * rollbacks, and tokens spent per day, per run and per rollback. Methods are synchronous
 * (better-sqlite3); every method that changes several rows runs in one transaction.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";

import Database from "better-sqlite3";
import type { CreatedSchemaItem } from "../SchemaChange.js";
import { Origin, type RecordRef } from "../SourceRecord.js";
import type { StagedRejection } from "../Transform.js";
import { JournalStore } from "./JournalStore.js";
import {
  decodeCheckpoint,
  decodeIdMap,
  decodeLossy,
  decodeQueue,
  decodeRejection,
  decodeRun,
  decodeSchemaItem,
  type SqlRow,
} from "./LedgerCodec.js";
import { LedgerError } from "./LedgerError.js";
import type {
  CheckpointRow,
  DayTokens,
  IdMapEntry,
  LedgerRun,
  LossyRow,
  PlanApproval,
  QueueRow,
  RejectionRow,
  RunMode,
  RunStatus,
  SchemaItemRow,
  TokenOwner,
} from "./LedgerRows.js";
import { createLedgerTables, LEDGER_VERSION } from "./LedgerSchema.js";
import { PlannedStore } from "./PlannedStore.js";
import { RefLookups } from "./RefLookups.js";
import { ReportPages } from "./ReportPages.js";
import { RollbackStore } from "./RollbackStore.js";
import { SourceFileStore } from "./SourceFileStore.js";
import { StagingStore } from "./StagingStore.js";
import { statementCache } from "./StatementCache.js";
import { TokenStore } from "./TokenStore.js";
import { VerificationStore } from "./VerificationStore.js";

/** File name of the ledger inside the state folder. */
export const LEDGER_FILE = "ledger.sqlite";

/** Default state folder, relative to the working directory. */
export const DEFAULT_STATE_DIR = ".ferry";

/** Description of a new run, as `createRun` stores it. */
export interface NewRun {
  readonly mode: RunMode;
  readonly planHash: string;
  readonly sampleSize?: number | undefined;
  readonly dryRun: boolean;
  readonly source: string;
  readonly destination: string;
  readonly schemaChanges: unknown;
  readonly automations: unknown;
  readonly startedAt: string;
}

const now = (): string => new Date().toISOString();

/** Page cache of a ledger connection, in KiB (SQLite's `cache_size` pragma). */
const LEDGER_CACHE_KIB = 32 * 1024;

/**
 * An open run ledger.
 *
 * @example
 * ```ts
 * const ledger = Ledger.open(".ferry");
 * ledger.recordApproval("3f9c…", "ana@example.test", new Date().toISOString());
 * ledger.close();
 * ```
 */
export class Ledger {
  /** Path of the SQLite file. */
  readonly path: string;
  /** The staged source records. */
  readonly staging: StagingStore;
  /** The files each run read, with their row counts and the outcomes of their records. */
  readonly sourceFiles: SourceFileStore;
  /** The planned records of each run. */
  readonly planned: PlannedStore;
  /** The write journal. */
  readonly journal: JournalStore;
  /** The verification results of each run. */
  readonly verifications: VerificationStore;
  /** The rollbacks and how far each got. */
  readonly rollbacks: RollbackStore;
  /** Lookups of a page of refs in the id map, the queue and the planned records. */
  readonly refs: RefLookups;
  /** Paged reads and counts of rejections, lossy steps, the queue and verification differences. */
  readonly reportPages: ReportPages;
  /** Tokens spent per day, per run and per rollback. */
  readonly tokens: TokenStore;
  readonly #db: Database.Database;
  readonly #prepare: (sql: string) => Database.Statement;

  private constructor(path: string, db: Database.Database) {
    this.path = path;
    this.#db = db;
    this.#prepare = statementCache(db);
    this.staging = new StagingStore(db);
    this.sourceFiles = new SourceFileStore(db);
    this.planned = new PlannedStore(db);
    this.journal = new JournalStore(db);
    this.verifications = new VerificationStore(db);
    this.rollbacks = new RollbackStore(db);
    this.refs = new RefLookups(db);
    this.reportPages = new ReportPages(db);
    this.tokens = new TokenStore(db);
  }

  /**
   * Opens the ledger in a state folder, creating the folder and the tables when missing.
   *
   * @throws LedgerError when the file cannot be opened or was written by another version.
   */
  static open(stateDir: string = DEFAULT_STATE_DIR): Ledger {
    const path = join(stateDir, LEDGER_FILE);
    try {
      mkdirSync(stateDir, { recursive: true });
      const db = new Database(path);
      db.pragma("journal_mode = WAL");
      // NORMAL keeps every committed transaction across a process crash; only a power loss
      // may lose the last ones, which the journal's intents then settle.
      db.pragma("synchronous = NORMAL");
      db.pragma("busy_timeout = 5000");
      // 32 MiB of page cache instead of SQLite's 2 MiB: the staging and planned tables take
      // inserts at random places in their primary-key indexes, and with 2 MiB most of those
      // pages were read back from the file on every page of a large export. The cache fills
      // only as pages are used, so a small ledger stays small.
      db.pragma(`cache_size = -${LEDGER_CACHE_KIB}`);
      createLedgerTables(db);
      Ledger.#checkVersion(db, path);
      return new Ledger(path, db);
    } catch (cause) {
      if (cause instanceof LedgerError) throw cause;
      throw new LedgerError({ operation: "open", path, detail: String(cause), cause });
    }
  }

  static #checkVersion(db: Database.Database, path: string): void {
    const row = db.prepare("SELECT value FROM meta WHERE key = 'version'").get() as
      | SqlRow
      | undefined;
    if (row === undefined) {
      db.prepare("INSERT INTO meta (key, value) VALUES ('version', ?)").run(String(LEDGER_VERSION));
      return;
    }
    if (Number(row.value) !== LEDGER_VERSION) {
      db.close();
      throw new LedgerError({
        operation: "migrate",
        path,
        detail: `the ledger has layout version ${String(row.value)} but this Ferry reads version ${LEDGER_VERSION}; use the Ferry version that wrote it or a new state folder`,
      });
    }
  }

  /** Returns a value stored under a key of the `meta` table. */
  getMeta(key: string): string | undefined {
    const row = this.#prepare("SELECT value FROM meta WHERE key = ?").get(key) as
      | SqlRow
      | undefined;
    return row === undefined ? undefined : String(row.value);
  }

  /** Stores a value under a key of the `meta` table. */
  setMeta(key: string, value: string): void {
    this.#prepare(
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    ).run(key, value);
  }

  /** Closes the database file. */
  close(): void {
    if (this.#db.open) this.#db.close();
  }

  /** Runs a function in one transaction; it commits when the function returns. */
  transaction<A>(work: () => A): A {
    return this.#db.transaction(work)();
  }

  // Plan approvals.

  /** Records that a person approved a plan hash. */
  recordApproval(planHash: string, approvedBy: string, approvedAt: string): void {
    this.#prepare(
      "INSERT INTO approvals (plan_hash, approved_by, approved_at) VALUES (?, ?, ?) ON CONFLICT (plan_hash) DO UPDATE SET approved_by = excluded.approved_by, approved_at = excluded.approved_at",
    ).run(planHash, approvedBy, approvedAt);
  }

  /** Returns the approval of a plan hash, if there is one. */
  approval(planHash: string): PlanApproval | undefined {
    const row = this.#prepare("SELECT * FROM approvals WHERE plan_hash = ?").get(planHash) as
      | SqlRow
      | undefined;
    return row === undefined ? undefined : Ledger.#decodeApproval(row);
  }

  /**
   * Returns the approval that was in force when a run started. Runs created before the ledger
   * kept it per run get the plan's current approval.
   */
  runApproval(runId: number): PlanApproval | undefined {
    const row = this.#prepare("SELECT * FROM run_approvals WHERE run_id = ?").get(runId) as
      | SqlRow
      | undefined;
    if (row !== undefined) return Ledger.#decodeApproval(row);
    const run = this.run(runId);
    return run === undefined ? undefined : this.approval(run.planHash);
  }

  /** Returns the most recent approval of any plan, if there is one. */
  latestApproval(): PlanApproval | undefined {
    const row = this.#prepare(
      "SELECT * FROM approvals ORDER BY approved_at DESC, rowid DESC LIMIT 1",
    ).get() as SqlRow | undefined;
    return row === undefined ? undefined : Ledger.#decodeApproval(row);
  }

  static #decodeApproval(row: SqlRow): PlanApproval {
    return {
      planHash: String(row.plan_hash),
      approvedBy: String(row.approved_by),
      approvedAt: String(row.approved_at),
    };
  }

  // Runs.

  /**
   * Creates a run in the `running` state and returns its id. The plan's current approval is
   * kept with the run, so that a later confirmation does not change what its report shows.
   */
  createRun(run: NewRun): number {
    return this.transaction(() => {
      const runId = this.#insertRun(run);
      this.#prepare(
        "INSERT INTO run_approvals (run_id, plan_hash, approved_by, approved_at) SELECT ?, plan_hash, approved_by, approved_at FROM approvals WHERE plan_hash = ?",
      ).run(runId, run.planHash);
      return runId;
    });
  }

  #insertRun(run: NewRun): number {
    const result = this.#prepare(
      "INSERT INTO runs (mode, plan_hash, status, sample_size, dry_run, source, destination, schema_changes, automations, started_at) VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?)",
    ).run(
      run.mode,
      run.planHash,
      run.sampleSize ?? null,
      run.dryRun ? 1 : 0,
      run.source,
      run.destination,
      JSON.stringify(run.schemaChanges),
      JSON.stringify(run.automations),
      run.startedAt,
    );
    return Number(result.lastInsertRowid);
  }

  /** Returns a run by id. */
  run(runId: number): LedgerRun | undefined {
    const row = this.#prepare("SELECT * FROM runs WHERE id = ?").get(runId) as SqlRow | undefined;
    return row === undefined ? undefined : decodeRun(row);
  }

  /** Returns every run, oldest first. */
  runs(): ReadonlyArray<LedgerRun> {
    return (this.#prepare("SELECT * FROM runs ORDER BY id").all() as SqlRow[]).map(decodeRun);
  }

  /** Returns the newest run that stopped before its end and can resume, if there is one. */
  unfinishedRun(): LedgerRun | undefined {
    const row = this.#prepare(
      "SELECT * FROM runs WHERE status IN ('running', 'paused', 'halted') ORDER BY id DESC LIMIT 1",
    ).get() as SqlRow | undefined;
    return row === undefined ? undefined : decodeRun(row);
  }

  /** Returns the JSON a run stored: its schema changes or its automation inventory. */
  runJson(runId: number, column: "schema_changes" | "automations"): unknown {
    const row = this.#prepare(`SELECT ${column} AS value FROM runs WHERE id = ?`).get(runId) as
      | SqlRow
      | undefined;
    return row === undefined ? undefined : JSON.parse(String(row.value));
  }

  /** Sets a run's status, with the reason when it stopped before its end. */
  setRunStatus(
    runId: number,
    status: RunStatus,
    halt?: { readonly reason: string; readonly detail: string },
  ): void {
    const finishedAt = status === "finished" || status === "failed" ? now() : null;
    this.#prepare(
      "UPDATE runs SET status = ?, halt_reason = ?, halt_detail = ?, finished_at = ? WHERE id = ?",
    ).run(status, halt?.reason ?? null, halt?.detail ?? null, finishedAt, runId);
  }

  // Checkpoints.

  /** Returns a phase checkpoint of a run, if the phase has started. */
  checkpoint(runId: number, phase: string): CheckpointRow | undefined {
    const row = this.#prepare("SELECT * FROM checkpoints WHERE run_id = ? AND phase = ?").get(
      runId,
      phase,
    ) as SqlRow | undefined;
    return row === undefined ? undefined : decodeCheckpoint(row);
  }

  /** Returns every checkpoint of a run, in phase order. */
  checkpoints(runId: number): ReadonlyArray<CheckpointRow> {
    return (
      this.#prepare("SELECT * FROM checkpoints WHERE run_id = ? ORDER BY position").all(
        runId,
      ) as SqlRow[]
    ).map(decodeCheckpoint);
  }

  /** Records that a phase started, or that it is done with its counts. */
  setCheckpoint(
    runId: number,
    phase: string,
    position: number,
    status: "started" | "done",
    counts?: Readonly<Record<string, number>>,
  ): void {
    this.#prepare(
      "INSERT INTO checkpoints (run_id, phase, position, status, counts, at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, phase) DO UPDATE SET status = excluded.status, counts = excluded.counts, at = excluded.at",
    ).run(
      runId,
      phase,
      position,
      status,
      counts === undefined ? null : JSON.stringify(counts),
      now(),
    );
  }

  // Rejections, queue and lossy steps.

  /** Records a rejection. */
  addRejection(row: RejectionRow): void {
    this.#prepare(
      "INSERT INTO rejections (run_id, stage, kind, dest_kind, file, line, code, message, source_id, column_name, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    ).run(
      row.runId,
      row.stage,
      row.kind,
      row.destKind ?? null,
      row.file,
      row.line,
      row.code,
      row.message,
      row.sourceId ?? null,
      row.column ?? null,
      row.value ?? null,
    );
  }

  /** Returns the rejections of a run, in the order they were recorded. */
  rejections(runId: number): ReadonlyArray<RejectionRow> {
    return (
      this.#prepare("SELECT * FROM rejections WHERE run_id = ? ORDER BY id").all(runId) as SqlRow[]
    ).map(decodeRejection);
  }

  /** Adds a record to the reconciliation queue; `fromPlan` marks one the transform queued. */
  addQueued(row: QueueRow, fromPlan: boolean): void {
    this.#prepare(
      "INSERT INTO queue (run_id, kind, ref_kind, ref_id, file, line, reason, message, value, from_plan) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    ).run(
      row.runId,
      row.kind,
      row.ref.kind,
      row.ref.sourceId,
      row.file,
      row.line,
      row.reason,
      row.message,
      row.value ?? null,
      fromPlan ? 1 : 0,
    );
  }

  /** Returns the queue of a run; with `selectedOnly`, only what a sample run selected. */
  queued(runId: number, selectedOnly = false): ReadonlyArray<QueueRow> {
    const filter = selectedOnly ? " AND selected = 1" : "";
    return (
      this.#prepare(`SELECT * FROM queue WHERE run_id = ?${filter} ORDER BY id`).all(
        runId,
      ) as SqlRow[]
    ).map(decodeQueue);
  }

  /** Tells whether a run queued a record of a destination kind. */
  isQueued(runId: number, kind: string, ref: RecordRef): boolean {
    const row = this.#prepare(
      "SELECT 1 FROM queue WHERE run_id = ? AND kind = ? AND ref_kind = ? AND ref_id = ? LIMIT 1",
    ).get(runId, kind, ref.kind, ref.sourceId);
    return row !== undefined;
  }

  /**
   * Counts the outcomes of a record phase from the journal, the rejections and the queue, so
   * that reconciliation checks them against the planned records independently.
   */
  phaseOutcomes(
    runId: number,
    kind: string,
  ): {
    readonly loaded: number;
    readonly updated: number;
    readonly rejected: number;
    readonly queued: number;
  } {
    const count = (sql: string) => Number((this.#prepare(sql).get(runId, kind) as SqlRow).n);
    return {
      loaded: count(
        "SELECT COUNT(*) AS n FROM journal WHERE run_id = ? AND dest_kind = ? AND op = 'create' AND status = 'done'",
      ),
      updated: count(
        "SELECT COUNT(*) AS n FROM journal WHERE run_id = ? AND dest_kind = ? AND op = 'update' AND status = 'done'",
      ),
      rejected: count(
        "SELECT COUNT(*) AS n FROM rejections WHERE run_id = ? AND dest_kind = ? AND stage IN ('link', 'destination')",
      ),
      queued: count(
        "SELECT COUNT(*) AS n FROM queue WHERE run_id = ? AND kind = ? AND selected = 1",
      ),
    };
  }

  /** Counts the records a transform queued for one destination kind. */
  countPlanQueued(runId: number, kind: string): number {
    const row = this.#prepare(
      "SELECT COUNT(*) AS n FROM queue WHERE run_id = ? AND kind = ? AND from_plan = 1 AND selected = 1",
    ).get(runId, kind) as SqlRow;
    return Number(row.n);
  }

  /** Marks which plan-queued records a sample run counts: those of the selected refs. */
  selectPlanQueued(runId: number, isSelected: (ref: RecordRef) => boolean): void {
    const rows = this.#prepare(
      "SELECT id, ref_kind, ref_id FROM queue WHERE run_id = ? AND from_plan = 1",
    ).all(runId) as SqlRow[];
    const update = this.#prepare("UPDATE queue SET selected = ? WHERE id = ?");
    this.transaction(() => {
      for (const row of rows) {
        const ref = { kind: String(row.ref_kind), sourceId: String(row.ref_id) };
        update.run(isSelected(ref) ? 1 : 0, row.id);
      }
    });
  }

  /** Records a lossy step. */
  addLossy(row: LossyRow): void {
    this.#prepare(
      "INSERT INTO lossy (run_id, ref_kind, ref_id, file, line, field, code, message, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    ).run(
      row.runId,
      row.ref.kind,
      row.ref.sourceId,
      row.file,
      row.line,
      row.field,
      row.code,
      row.message,
      row.value ?? null,
    );
  }

  /** Returns the lossy steps of a run. */
  lossy(runId: number): ReadonlyArray<LossyRow> {
    return (
      this.#prepare("SELECT * FROM lossy WHERE run_id = ? ORDER BY id").all(runId) as SqlRow[]
    ).map(decodeLossy);
  }

  /** Deletes what a run's planning step stored, so that an interrupted plan starts over. */
  clearPlan(runId: number): void {
    this.transaction(() => {
      this.#prepare("DELETE FROM planned WHERE run_id = ?").run(runId);
      this.#prepare("DELETE FROM queue WHERE run_id = ? AND from_plan = 1").run(runId);
      this.#prepare("DELETE FROM lossy WHERE run_id = ?").run(runId);
      this.#prepare("DELETE FROM rejections WHERE run_id = ? AND stage = 'transform'").run(runId);
    });
  }

  /**
   * Returns the source rejections of a run's rows of a kind with the given source ids, the first
   * one of each id, by source id.
   */
  sourceRejections(
    runId: number,
    kind: string,
    sourceIds: ReadonlyArray<string>,
  ): ReadonlyMap<string, StagedRejection> {
    const found = new Map<string, StagedRejection>();
    if (sourceIds.length === 0) return found;
    const rows = this.#prepare(
      "SELECT r.source_id, r.file, r.line, r.code FROM json_each(?) j CROSS JOIN rejections r ON r.run_id = ? AND r.stage = 'source' AND r.kind = ? AND r.source_id = j.value ORDER BY r.id",
    ).all(JSON.stringify(sourceIds), runId, kind) as SqlRow[];
    for (const row of rows) {
      const id = String(row.source_id);
      if (found.has(id)) continue;
      const origin = new Origin({ file: String(row.file), line: Number(row.line) });
      found.set(id, { origin, code: String(row.code) });
    }
    return found;
  }

  /** Deletes a run's source rejections, so that an interrupted staging starts over. */
  clearSourceRejections(runId: number): void {
    this.#prepare("DELETE FROM rejections WHERE run_id = ? AND stage = 'source'").run(runId);
  }

  // The id map.

  /** Returns the id map entry of a source record in a destination kind. */
  idMapGet(destKind: string, ref: RecordRef): IdMapEntry | undefined {
    const row = this.#prepare(
      "SELECT * FROM id_map WHERE dest_kind = ? AND ref_kind = ? AND ref_id = ?",
    ).get(destKind, ref.kind, ref.sourceId) as SqlRow | undefined;
    return row === undefined ? undefined : decodeIdMap(row);
  }

  /** Returns every id map entry, optionally only those a set of runs created or updated. */
  idMapEntries(runIds?: ReadonlyArray<number>): ReadonlyArray<IdMapEntry> {
    const rows = this.#prepare("SELECT * FROM id_map ORDER BY rowid").all() as SqlRow[];
    const entries = rows.map(decodeIdMap);
    if (runIds === undefined) return entries;
    const wanted = new Set(runIds);
    return entries.filter(
      (entry) =>
        wanted.has(entry.createdRun) ||
        (entry.updatedRun !== undefined && wanted.has(entry.updatedRun)),
    );
  }

  /**
   * Writes an id map entry. A record created again (after it was deleted in the destination)
   * gets the run that created it again as `createdRun`, so that run's rollback deletes it.
   */
  idMapPut(entry: IdMapEntry): void {
    this.#prepare(
      "INSERT INTO id_map (dest_kind, ref_kind, ref_id, dest_id, hash, written, created_run, updated_run) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dest_kind, ref_kind, ref_id) DO UPDATE SET dest_id = excluded.dest_id, hash = excluded.hash, written = excluded.written, created_run = excluded.created_run, updated_run = excluded.updated_run",
    ).run(
      entry.destKind,
      entry.ref.kind,
      entry.ref.sourceId,
      entry.destId,
      entry.hash,
      JSON.stringify(entry.written),
      entry.createdRun,
      entry.updatedRun ?? null,
    );
  }

  /** Deletes an id map entry. */
  idMapDelete(destKind: string, ref: RecordRef): void {
    this.#prepare("DELETE FROM id_map WHERE dest_kind = ? AND ref_kind = ? AND ref_id = ?").run(
      destKind,
      ref.kind,
      ref.sourceId,
    );
  }

  /** Tells whether the id map has an entry of a destination kind that another run created. */
  hasIdMapOfOtherRuns(destKind: string, runId: number): boolean {
    return (
      this.#prepare("SELECT 1 FROM id_map WHERE dest_kind = ? AND created_run <> ? LIMIT 1").get(
        destKind,
        runId,
      ) !== undefined
    );
  }

  /** Tells whether the id map has any entry, that is whether an earlier run wrote records. */
  hasIdMap(): boolean {
    return this.#prepare("SELECT 1 FROM id_map LIMIT 1").get() !== undefined;
  }

  // Schema items.

  /** Records the schema items a run created. */
  addSchemaItems(runId: number, items: ReadonlyArray<CreatedSchemaItem>): void {
    const insert = this.#prepare(
      "INSERT INTO schema_items (run_id, type, item_id, name, kind, parent_id) VALUES (?, ?, ?, ?, ?, ?)",
    );
    this.transaction(() => {
      for (const item of items) {
        insert.run(runId, item.type, item.id, item.name, item.kind ?? null, item.parentId ?? null);
      }
    });
  }

  /** Returns the schema items some runs created, newest first. */
  schemaItems(runIds: ReadonlyArray<number>): ReadonlyArray<SchemaItemRow> {
    const placeholders = runIds.map(() => "?").join(", ");
    return (
      this.#prepare(
        `SELECT * FROM schema_items WHERE run_id IN (${placeholders}) ORDER BY id DESC`,
      ).all(...runIds) as SqlRow[]
    ).map(decodeSchemaItem);
  }

  /** Marks a schema item as removed by a rollback. */
  markSchemaItemRemoved(rowId: number, rollbackId: number): void {
    this.#prepare("UPDATE schema_items SET removed_by = ? WHERE id = ?").run(rollbackId, rowId);
  }

  // Tokens.

  /**
   * Adds tokens spent on a day (`YYYY-MM-DD`) and returns the day's new total. With an owner the
   * tokens also count for that run or rollback, which `tokens.ofRun` and `tokens.ofRollback` read.
   */
  addTokens(day: string, tokens: number, owner?: TokenOwner): number {
    return this.tokens.add(day, tokens, owner);
  }

  /** Returns the tokens spent on a day (`YYYY-MM-DD`) by every run, verification and rollback. */
  tokensSpent(day: string): number {
    return this.tokens.spent(day);
  }

  /** Returns the tokens spent per day by every run, verification and rollback, oldest first. */
  tokensByDay(): ReadonlyArray<DayTokens> {
    return this.tokens.byDay();
  }
}
