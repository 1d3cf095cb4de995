/**
 * The files each run read, with the row counts of its staging phase and what became of the
 * staged records, so a report can account for every row of every file. The outcome counts are
 * computed in SQL from the staged, planned, queue and rejection tables. The staged records of
 * a run are deleted when a later run stages, so a run stores its outcome counts when it ends
 * and a report reads them live only while the run's staged records are still there.
 */
import type Database from "better-sqlite3";

import type { SkippedRows } from "../Inventory.js";
import type { FileColumn } from "../Source.js";
import type { SqlRow } from "./LedgerCodec.js";
import { statementCache } from "./StatementCache.js";

/** The staging counts of one file, as the stage phase records them. */
export interface StagedFile {
  readonly kind: string;
  readonly file: string;
  /** Rows read: each became a staged record or a source rejection. */
  readonly rows: number;
  readonly staged: number;
  /** Rows rejected at the source step, `duplicate-id` rejections of the staging included. */
  readonly rejected: number;
  /** Rows skipped, when the source reported them. */
  readonly skipped: SkippedRows | undefined;
  readonly columns: ReadonlyArray<FileColumn>;
}

/**
 * Outcomes of a file's staged records, each counted once. A record is queued when a record
 * made from it waits in the reconciliation queue. Else it is rejected when a link or the
 * destination rejected a record made from it. Else it is in the destination when a record made
 * from it was created, updated or left unchanged. Else, when one was planned but not written (a
 * stopped run, or a sample left it out), it counts in none of these. Else it is rejected when a
 * rejection names it, as a record the transform rejected does. The staged records none of these
 * count are the ones not written.
 */
export interface FileOutcomes {
  readonly inDestination: number;
  readonly queued: number;
  readonly rejected: number;
}

/** One file a run read: its staging counts and, once known, the outcomes of its records. */
export interface SourceFileRow extends StagedFile {
  readonly outcomes: FileOutcomes | undefined;
}

/**
 * Ranks the outcomes of the destination records made from one source record, and the
 * rejections that name it. The lowest rank is the record's outcome: 1 queued, 2 a planned
 * record rejected, 3 in the destination, 4 planned and not written, 5 a rejection of the
 * transform, a link or the destination names it.
 */
const OUTCOMES_SQL = `
WITH outcome (kind, id, rank) AS (
  SELECT ref_kind, ref_id,
    CASE
      WHEN selected = 0 OR status = 'pending' THEN 4
      WHEN status = 'queued' THEN 1
      WHEN status = 'rejected' THEN 2
      ELSE 3
    END
  FROM planned WHERE run_id = @runId
  UNION ALL
  SELECT ref_kind, ref_id, CASE WHEN selected = 1 THEN 1 ELSE 4 END FROM queue WHERE run_id = @runId
  UNION ALL
  SELECT kind, source_id, 5 FROM rejections
  WHERE run_id = @runId AND stage <> 'source' AND source_id IS NOT NULL
),
best (kind, id, rank) AS (SELECT kind, id, MIN(rank) FROM outcome GROUP BY kind, id)
SELECT s.kind, s.file,
  SUM(b.rank = 3) AS in_destination,
  SUM(b.rank = 1) AS queued,
  SUM(b.rank IN (2, 5)) AS rejected
FROM best b CROSS JOIN staged s ON s.run_id = @runId AND s.kind = b.kind AND s.source_id = b.id
GROUP BY s.kind, s.file`;

const fileKey = (kind: string, file: string) => `${kind}\u0000${file}`;

const decodeOutcomes = (row: SqlRow): FileOutcomes => ({
  inDestination: Number(row.in_destination ?? 0),
  queued: Number(row.queued ?? 0),
  rejected: Number(row.rejected ?? 0),
});

const noOutcomes: FileOutcomes = { inDestination: 0, queued: 0, rejected: 0 };

const decodeFile = (row: SqlRow): StagedFile => ({
  kind: String(row.kind),
  file: String(row.file),
  rows: Number(row.rows),
  staged: Number(row.staged),
  rejected: Number(row.rejected),
  skipped:
    row.blank === null || row.blank === undefined
      ? undefined
      : { blank: Number(row.blank), delimiterHint: Number(row.delimiter_hint ?? 0) },
  columns: JSON.parse(String(row.columns)) as ReadonlyArray<FileColumn>,
});

/** The files of each run and the accounting of their rows. */
export class SourceFileStore {
  readonly #db: Database.Database;
  readonly #prepare: (sql: string) => Database.Statement;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#prepare = statementCache(db);
  }

  /** Deletes the files a run recorded, so that an interrupted staging starts over. */
  clearRun(runId: number): void {
    this.#prepare("DELETE FROM source_files WHERE run_id = ?").run(runId);
  }

  /** Records the staging counts of files, in the order they were read. */
  record(runId: number, files: ReadonlyArray<StagedFile>): void {
    const insert = this.#prepare(
      "INSERT OR REPLACE INTO source_files (run_id, kind, file, seq, rows, staged, rejected, blank, delimiter_hint, columns) VALUES (?, ?, ?, (SELECT COUNT(*) FROM source_files WHERE run_id = ?), ?, ?, ?, ?, ?, ?)",
    );
    this.#db.transaction(() => {
      for (const file of files) {
        insert.run(
          runId,
          file.kind,
          file.file,
          runId,
          file.rows,
          file.staged,
          file.rejected,
          file.skipped?.blank ?? null,
          file.skipped?.delimiterHint ?? null,
          JSON.stringify(file.columns),
        );
      }
    })();
  }

  /** Returns the header cells of a run's files as written, by file and column name. */
  headers(runId: number): ReadonlyMap<string, ReadonlyMap<string, string>> {
    const rows = this.#prepare(
      "SELECT file, columns FROM source_files WHERE run_id = ? ORDER BY seq",
    ).all(runId) as SqlRow[];
    const byFile = new Map<string, ReadonlyMap<string, string>>();
    for (const row of rows) {
      const columns = JSON.parse(String(row.columns)) as ReadonlyArray<FileColumn>;
      byFile.set(String(row.file), new Map(columns.map((c) => [c.name, c.header])));
    }
    return byFile;
  }

  /**
   * Stores the outcome counts of a run's files, computed from its staged records. Does nothing
   * once the staged records of the run are gone, so the counts stored last stay.
   */
  storeOutcomes(runId: number): void {
    const computed = this.#computeOutcomes(runId);
    if (computed === undefined) return;
    const update = this.#prepare(
      "UPDATE source_files SET in_destination = ?, queued = ?, rejected_later = ? WHERE run_id = ? AND kind = ? AND file = ?",
    );
    this.#db.transaction(() => {
      const files = this.#prepare("SELECT kind, file FROM source_files WHERE run_id = ?").all(
        runId,
      ) as SqlRow[];
      for (const row of files) {
        const kind = String(row.kind);
        const file = String(row.file);
        const outcomes = computed.get(fileKey(kind, file)) ?? noOutcomes;
        update.run(outcomes.inDestination, outcomes.queued, outcomes.rejected, runId, kind, file);
      }
    })();
  }

  /**
   * Returns the files a run read, in reading order, with the outcomes of their records. A run
   * that is no longer running stored them when it stopped, so they are read back. Otherwise
   * they are computed now, while the run's staged records exist.
   */
  list(runId: number): ReadonlyArray<SourceFileRow> {
    const rows = this.#prepare("SELECT * FROM source_files WHERE run_id = ? ORDER BY seq").all(
      runId,
    ) as SqlRow[];
    const run = this.#prepare("SELECT status FROM runs WHERE id = ?").get(runId) as
      | SqlRow
      | undefined;
    const isStored =
      run !== undefined &&
      run.status !== "running" &&
      rows.every((row) => row.in_destination !== null);
    const computed = isStored ? undefined : this.#computeOutcomes(runId);
    return rows.map((row) => {
      const file = decodeFile(row);
      const stored =
        row.in_destination === null
          ? undefined
          : decodeOutcomes({ ...row, rejected: row.rejected_later });
      if (computed === undefined) return { ...file, outcomes: stored };
      return { ...file, outcomes: computed.get(fileKey(file.kind, file.file)) ?? noOutcomes };
    });
  }

  /**
   * Computes the outcomes per file, or returns undefined when the run staged records that a
   * later run's staging has deleted since.
   */
  #computeOutcomes(runId: number): ReadonlyMap<string, FileOutcomes> | undefined {
    const present = this.#prepare("SELECT 1 FROM staged WHERE run_id = ? LIMIT 1").get(runId);
    if (present === undefined) {
      const counted = this.#prepare(
        "SELECT COALESCE(SUM(staged), 0) AS n FROM source_files WHERE run_id = ?",
      ).get(runId) as SqlRow;
      return Number(counted.n) === 0 ? new Map() : undefined;
    }
    const rows = this.#prepare(OUTCOMES_SQL).all({ runId }) as SqlRow[];
    return new Map(
      rows.map((row) => [fileKey(String(row.kind), String(row.file)), decodeOutcomes(row)]),
    );
  }
}
