/**
 * The planned records of each run, as the transform emitted them, with the status each one
 * reached in its phase and whether a sample run selected it.
 */
import type Database from "better-sqlite3";
import type { RecordRef } from "../SourceRecord.js";
import type { PlannedRecord } from "../Transform.js";
import { contentHash } from "./ContentHash.js";
import { decodePlanned, type SqlRow } from "./LedgerCodec.js";
import type { PlannedLinks, PlannedRow, PlannedStatus } from "./LedgerRows.js";
import { statementCache } from "./StatementCache.js";

/** Returns the content hash of a planned record: kind, fields, custom fields and links. */
export const plannedHash = (record: PlannedRecord): string =>
  contentHash({
    kind: record.kind,
    fields: record.fields,
    custom: record.custom,
    links: record.links,
    linkKinds: record.linkKinds,
  });

/** Planned records, per run. */
export class PlannedStore {
  readonly #db: Database.Database;
  readonly #prepare: (sql: string) => Database.Statement;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#prepare = statementCache(db);
  }

  /**
   * Stores a batch of planned records in one transaction. Returns the records whose kind and
   * ref were already planned in the run; they are not stored again.
   */
  insert(
    runId: number,
    records: ReadonlyArray<PlannedRecord>,
    firstSeq: number,
  ): ReadonlyArray<PlannedRecord> {
    const insert = this.#prepare(
      "INSERT OR IGNORE INTO planned (run_id, kind, ref_kind, ref_id, seq, file, line, fields, custom, links, link_kinds, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    const duplicates: Array<PlannedRecord> = [];
    this.#db.transaction(() => {
      records.forEach((record, offset) => {
        const result = insert.run(
          runId,
          record.kind,
          record.ref.kind,
          record.ref.sourceId,
          firstSeq + offset,
          record.origin.file,
          record.origin.line,
          JSON.stringify(record.fields),
          JSON.stringify(record.custom),
          JSON.stringify(record.links),
          JSON.stringify(record.linkKinds),
          plannedHash(record),
        );
        if (result.changes === 0) duplicates.push(record);
      });
    })();
    return duplicates;
  }

  /** Reads one page of a kind's selected records with a status, in plan order. */
  page(
    runId: number,
    kind: string,
    status: PlannedStatus,
    afterSeq: number,
    limit: number,
  ): ReadonlyArray<PlannedRow> {
    return (
      this.#prepare(
        "SELECT * FROM planned WHERE run_id = ? AND kind = ? AND status = ? AND selected = 1 AND seq > ? ORDER BY seq LIMIT ?",
      ).all(runId, kind, status, afterSeq, limit) as SqlRow[]
    ).map(decodePlanned);
  }

  /**
   * Reads one page like `page`, with only the ref, links and hash of each record, so a pass
   * that counts outcomes does not decode the fields.
   */
  linkPage(
    runId: number,
    kind: string,
    status: PlannedStatus,
    afterSeq: number,
    limit: number,
  ): ReadonlyArray<PlannedLinks> {
    const rows = this.#prepare(
      "SELECT ref_kind, ref_id, seq, links, link_kinds, hash FROM planned WHERE run_id = ? AND kind = ? AND status = ? AND selected = 1 AND seq > ? ORDER BY seq LIMIT ?",
    ).all(runId, kind, status, afterSeq, limit) as SqlRow[];
    return rows.map((row) => ({
      ref: { kind: String(row.ref_kind), sourceId: String(row.ref_id) },
      seq: Number(row.seq),
      links: JSON.parse(String(row.links)) as PlannedLinks["links"],
      linkKinds: JSON.parse(String(row.link_kinds)) as PlannedLinks["linkKinds"],
      hash: String(row.hash),
    }));
  }

  /**
   * Counts the records of a run that build on records the `earlier` runs wrote. `reused` are
   * records it left unchanged whose id map entry one of them created or last updated. `updated`
   * are records it updated that one of them created, or updated in a write not undone since.
   */
  builtOn(
    runId: number,
    earlier: ReadonlyArray<number>,
  ): { readonly reused: number; readonly updated: number } {
    const runs = JSON.stringify(earlier);
    const sameRef = "m.dest_kind = p.kind AND m.ref_kind = p.ref_kind AND m.ref_id = p.ref_id";
    const inRuns = (column: string) => `${column} IN (SELECT value FROM json_each(?))`;
    const reused = this.#prepare(
      `SELECT COUNT(*) AS n FROM planned p JOIN id_map m ON ${sameRef} WHERE p.run_id = ? AND p.status = 'unchanged' AND (${inRuns("m.created_run")} OR ${inRuns("m.updated_run")})`,
    ).get(runId, runs, runs) as SqlRow;
    const updated = this.#prepare(
      `SELECT COUNT(*) AS n FROM planned p WHERE p.run_id = ? AND p.status = 'updated' AND (EXISTS (SELECT 1 FROM id_map m WHERE ${sameRef} AND ${inRuns("m.created_run")}) OR EXISTS (SELECT 1 FROM journal j WHERE j.dest_kind = p.kind AND j.ref_kind = p.ref_kind AND j.ref_id = p.ref_id AND ${inRuns("j.run_id")} AND j.op = 'update' AND j.status = 'done' AND j.undone_by IS NULL))`,
    ).get(runId, runs, runs) as SqlRow;
    return { reused: Number(reused.n), updated: Number(updated.n) };
  }

  /** Returns one planned record of a run by kind and ref. */
  get(runId: number, kind: string, ref: RecordRef): PlannedRow | undefined {
    const row = this.#prepare(
      "SELECT * FROM planned WHERE run_id = ? AND kind = ? AND ref_kind = ? AND ref_id = ?",
    ).get(runId, kind, ref.kind, ref.sourceId) as SqlRow | undefined;
    return row === undefined ? undefined : decodePlanned(row);
  }

  /** Sets the status a planned record reached, and its destination id when it has one. */
  setStatus(
    runId: number,
    kind: string,
    ref: RecordRef,
    status: PlannedStatus,
    destId?: string,
  ): void {
    this.#prepare(
      "UPDATE planned SET status = ?, dest_id = COALESCE(?, dest_id) WHERE run_id = ? AND kind = ? AND ref_kind = ? AND ref_id = ?",
    ).run(status, destId ?? null, runId, kind, ref.kind, ref.sourceId);
  }

  /** Counts the selected planned records of a kind by status. */
  counts(runId: number, kind: string): Readonly<Record<PlannedStatus, number>> {
    const rows = this.#prepare(
      "SELECT status, COUNT(*) AS n FROM planned WHERE run_id = ? AND kind = ? AND selected = 1 GROUP BY status",
    ).all(runId, kind) as SqlRow[];
    const counts: Record<PlannedStatus, number> = {
      pending: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      queued: 0,
    };
    for (const row of rows) counts[String(row.status) as PlannedStatus] = Number(row.n);
    return counts;
  }

  /** Counts the selected records of a kind that are still pending, through the phase index. */
  countPending(runId: number, kind: string): number {
    const row = this.#prepare(
      "SELECT COUNT(*) AS n FROM planned WHERE run_id = ? AND kind = ? AND status = 'pending' AND selected = 1",
    ).get(runId, kind) as SqlRow;
    return Number(row.n);
  }

  /** Returns the destination kinds a run planned records for. */
  kinds(runId: number): ReadonlyArray<string> {
    return (
      this.#prepare("SELECT DISTINCT kind FROM planned WHERE run_id = ? ORDER BY kind").all(
        runId,
      ) as SqlRow[]
    ).map((row) => String(row.kind));
  }

  /** Counts the planned records of a run per kind, selected or not. */
  kindCounts(runId: number): ReadonlyMap<string, number> {
    const rows = this.#prepare(
      "SELECT kind, COUNT(*) AS n FROM planned WHERE run_id = ? GROUP BY kind",
    ).all(runId) as SqlRow[];
    return new Map(rows.map((row) => [String(row.kind), Number(row.n)]));
  }

  /**
   * Picks up to `limit` records of a kind spread over its strata (pipeline and stage, else
   * status): the first record of every stratum, then the second of every stratum, and so on.
   * Every stratum gets its first record even when that exceeds `limit`.
   */
  stratifiedSample(runId: number, kind: string, limit: number): ReadonlyArray<PlannedRow> {
    const rows = this.#prepare(
      `WITH ranked AS (
           SELECT *, ROW_NUMBER() OVER (
             PARTITION BY COALESCE(json_extract(fields, '$.pipeline'), '') || '/' ||
               COALESCE(json_extract(fields, '$.stage'), json_extract(fields, '$.status'), '')
             ORDER BY seq) AS rank
           FROM planned WHERE run_id = ? AND kind = ?)
         SELECT * FROM ranked WHERE rank = 1 OR rank <= ? ORDER BY rank, seq`,
    ).all(runId, kind, limit) as SqlRow[];
    const firsts = rows.filter((row) => Number(row.rank) === 1);
    const rest = rows.filter((row) => Number(row.rank) > 1);
    return [...firsts, ...rest.slice(0, Math.max(0, limit - firsts.length))].map(decodePlanned);
  }

  /** Selects exactly the given records of a run (by kind and ref) and deselects the others. */
  select(runId: number, chosen: ReadonlyArray<{ readonly kind: string; readonly ref: RecordRef }>) {
    const update = this.#prepare(
      "UPDATE planned SET selected = 1 WHERE run_id = ? AND kind = ? AND ref_kind = ? AND ref_id = ?",
    );
    this.#db.transaction(() => {
      this.#prepare("UPDATE planned SET selected = 0 WHERE run_id = ?").run(runId);
      for (const item of chosen) update.run(runId, item.kind, item.ref.kind, item.ref.sourceId);
    })();
  }
}
