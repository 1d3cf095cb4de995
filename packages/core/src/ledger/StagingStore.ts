/**
 * The staging tables of the run ledger: source records parsed once into SQLite, with the
 * fields a pipeline joins on indexed, so that joins and dedupe read from disk in pages instead
 * of holding the export in memory.
 */
import type Database from "better-sqlite3";
import { Origin, type SourceRecord } from "../SourceRecord.js";
import type { SqlRow } from "./LedgerCodec.js";
import { statementCache } from "./StatementCache.js";

/** Number of rows one page of a staged scan reads. */
export const STAGING_PAGE_SIZE = 500;

// Rows were valid records when they were staged, so reading them back skips Schema validation
// and builds the record as a plain object, the way the sources do on their hot path.
const toRecord = (row: SqlRow): SourceRecord => ({
  _tag: "SourceRecord",
  kind: String(row.kind),
  sourceId: String(row.source_id),
  fields: JSON.parse(String(row.fields)) as Record<string, string>,
  origin: new Origin({ file: String(row.file), line: Number(row.line) }, true),
  warnings: JSON.parse(String(row.warnings)) as SourceRecord["warnings"],
});

/** Staged source records, per run. */
export class StagingStore {
  readonly #db: Database.Database;
  readonly #prepare: (sql: string) => Database.Statement;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#prepare = statementCache(db);
  }

  /**
   * Stages a batch of records of one kind in one transaction and indexes the given fields.
   * Returns the records whose source id was already staged; they are not stored again.
   */
  insert(
    runId: number,
    records: ReadonlyArray<SourceRecord>,
    indexFields: ReadonlyArray<string>,
    firstSeq: number,
  ): ReadonlyArray<SourceRecord> {
    const insert = this.#prepare(
      "INSERT OR IGNORE INTO staged (run_id, kind, source_id, seq, file, line, fields, warnings) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    );
    const index = this.#prepare(
      "INSERT INTO staged_values (run_id, kind, field, value, source_id, seq) VALUES (?, ?, ?, ?, ?, ?)",
    );
    const duplicates: Array<SourceRecord> = [];

    this.#db.transaction(() => {
      records.forEach((record, offset) => {
        const seq = firstSeq + offset;
        const result = insert.run(
          runId,
          record.kind,
          record.sourceId,
          seq,
          record.origin.file,
          record.origin.line,
          JSON.stringify(record.fields),
          JSON.stringify(record.warnings),
        );
        if (result.changes === 0) {
          duplicates.push(record);
          return;
        }
        for (const field of indexFields) {
          const value = record.fields[field];
          if (value !== undefined && value !== "") {
            index.run(runId, record.kind, field, value, record.sourceId, seq);
          }
        }
      });
    })();
    return duplicates;
  }

  /** Deletes the staged records of every run but one (all runs when `keepRunId` is absent). */
  clear(keepRunId?: number): void {
    const keep = keepRunId ?? -1;
    this.#db.transaction(() => {
      this.#prepare("DELETE FROM staged WHERE run_id <> ?").run(keep);
      this.#prepare("DELETE FROM staged_values WHERE run_id <> ?").run(keep);
    })();
  }

  /** Deletes the staged records of one run. */
  clearRun(runId: number): void {
    this.#db.transaction(() => {
      this.#prepare("DELETE FROM staged WHERE run_id = ?").run(runId);
      this.#prepare("DELETE FROM staged_values WHERE run_id = ?").run(runId);
    })();
  }

  /** Reads one page of a kind's records in source order, after a sequence number. */
  page(
    runId: number,
    kind: string,
    afterSeq: number,
  ): ReadonlyArray<SourceRecord & { seq: number }> {
    const rows = this.#prepare(
      "SELECT * FROM staged WHERE run_id = ? AND kind = ? AND seq > ? ORDER BY seq LIMIT ?",
    ).all(runId, kind, afterSeq, STAGING_PAGE_SIZE) as SqlRow[];
    return rows.map((row) => ({ ...toRecord(row), seq: Number(row.seq) }));
  }

  /** Reads one page of the records whose indexed field equals a value, after a sequence number. */
  findPage(
    runId: number,
    kind: string,
    field: string,
    value: string,
    afterSeq: number,
  ): ReadonlyArray<SourceRecord & { seq: number }> {
    const rows = this.#prepare(
      "SELECT s.* FROM staged_values v JOIN staged s ON s.run_id = v.run_id AND s.kind = v.kind AND s.source_id = v.source_id WHERE v.run_id = ? AND v.kind = ? AND v.field = ? AND v.value = ? AND v.seq > ? ORDER BY v.seq LIMIT ?",
    ).all(runId, kind, field, value, afterSeq, STAGING_PAGE_SIZE) as SqlRow[];
    return rows.map((row) => ({ ...toRecord(row), seq: Number(row.seq) }));
  }

  /**
   * Reads the records whose indexed field equals any of the values, in source order, each with
   * the value it matched. One query serves a whole page of parents, so a join costs one query
   * per page instead of one per parent. The result is not paged: its size is the number of
   * matching records.
   */
  findAll(
    runId: number,
    kind: string,
    field: string,
    values: ReadonlyArray<string>,
  ): ReadonlyArray<{ readonly value: string; readonly record: SourceRecord }> {
    if (values.length === 0) return [];
    const rows = this.#prepare(
      "SELECT v.value AS matched_value, s.* FROM staged_values v JOIN staged s ON s.run_id = v.run_id AND s.kind = v.kind AND s.source_id = v.source_id WHERE v.run_id = ? AND v.kind = ? AND v.field = ? AND v.value IN (SELECT value FROM json_each(?)) ORDER BY v.seq",
    ).all(runId, kind, field, JSON.stringify(values)) as SqlRow[];
    return rows.map((row) => ({ value: String(row.matched_value), record: toRecord(row) }));
  }

  /** Reads the staged records of a kind whose source id is among the given ids, in source order. */
  getAll(
    runId: number,
    kind: string,
    sourceIds: ReadonlyArray<string>,
  ): ReadonlyArray<SourceRecord> {
    if (sourceIds.length === 0) return [];
    const rows = this.#prepare(
      // CROSS JOIN keeps the ids as the outer loop, so each id is one primary-key lookup. With
      // `source_id IN (...)` SQLite walked the whole kind in seq order instead.
      "SELECT s.* FROM json_each(?) j CROSS JOIN staged s ON s.run_id = ? AND s.kind = ? AND s.source_id = j.value ORDER BY s.seq",
    ).all(JSON.stringify(sourceIds), runId, kind) as SqlRow[];
    return rows.map(toRecord);
  }

  /** Tells whether a field of a kind was indexed when the run staged it. */
  isIndexed(runId: number, kind: string, field: string): boolean {
    const row = this.#prepare("SELECT value FROM meta WHERE key = ?").get(
      `index:${runId}:${kind}:${field}`,
    ) as SqlRow | undefined;
    return row !== undefined;
  }

  /** Records that a field of a kind is indexed for a run. */
  markIndexed(runId: number, kind: string, field: string): void {
    this.#prepare("INSERT OR IGNORE INTO meta (key, value) VALUES (?, '1')").run(
      `index:${runId}:${kind}:${field}`,
    );
  }

  /** Reads one staged record by its source id. */
  get(runId: number, kind: string, sourceId: string): SourceRecord | undefined {
    const row = this.#prepare(
      "SELECT * FROM staged WHERE run_id = ? AND kind = ? AND source_id = ?",
    ).get(runId, kind, sourceId) as SqlRow | undefined;
    return row === undefined ? undefined : toRecord(row);
  }

  /** Counts the staged records of a kind. */
  count(runId: number, kind: string): number {
    const row = this.#prepare("SELECT COUNT(*) AS n FROM staged WHERE run_id = ? AND kind = ?").get(
      runId,
      kind,
    ) as SqlRow;
    return Number(row.n);
  }
}
