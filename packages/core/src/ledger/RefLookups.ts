/**
 * Lookups of many source refs at once in the id map, the queue and the planned records. A
 * page of records costs one query per table and destination kind instead of one per record.
 */
import type Database from "better-sqlite3";

import type { RecordRef } from "../SourceRecord.js";
import type { SqlRow } from "./LedgerCodec.js";
import { statementCache } from "./StatementCache.js";

/** Returns the key of a ref in the maps and sets the lookups return. */
export const refKey = (ref: RecordRef): string => `${ref.kind}\u0000${ref.sourceId}`;

// The refs go in as one JSON array of [kind, id] pairs, so a statement has a fixed number of
// parameters whatever the page size.
const refsJson = (refs: ReadonlyArray<RecordRef>): string =>
  JSON.stringify(refs.map((ref) => [ref.kind, ref.sourceId]));

const REFS =
  "SELECT json_extract(value, '$[0]') AS ref_kind, json_extract(value, '$[1]') AS ref_id FROM json_each(?)";

/** Batch lookups of refs in the id map, the queue and the planned records. */
export class RefLookups {
  readonly #prepare: (sql: string) => Database.Statement;

  constructor(db: Database.Database) {
    this.#prepare = statementCache(db);
  }

  /** Returns the content hash of the id map entry of each ref that has one, by `refKey`. */
  idMapHashes(destKind: string, refs: ReadonlyArray<RecordRef>): ReadonlyMap<string, string> {
    if (refs.length === 0) return new Map();
    const rows = this.#prepare(
      `SELECT m.ref_kind, m.ref_id, m.hash FROM (${REFS}) r CROSS JOIN id_map m ON m.dest_kind = ? AND m.ref_kind = r.ref_kind AND m.ref_id = r.ref_id`,
    ).all(refsJson(refs), destKind) as SqlRow[];
    return new Map(rows.map((row) => [keyOf(row), String(row.hash)]));
  }

  /** Returns the destination id and content hash of each ref's id map entry, by `refKey`. */
  idMapIds(
    destKind: string,
    refs: ReadonlyArray<RecordRef>,
  ): ReadonlyMap<string, { readonly destId: string; readonly hash: string }> {
    if (refs.length === 0) return new Map();
    const rows = this.#prepare(
      `SELECT m.ref_kind, m.ref_id, m.dest_id, m.hash FROM (${REFS}) r CROSS JOIN id_map m ON m.dest_kind = ? AND m.ref_kind = r.ref_kind AND m.ref_id = r.ref_id`,
    ).all(refsJson(refs), destKind) as SqlRow[];
    return new Map(
      rows.map((row) => [keyOf(row), { destId: String(row.dest_id), hash: String(row.hash) }]),
    );
  }

  /** Returns the run that created the id map entry of each ref in a destination kind, by `refKey`. */
  idMapCreators(destKind: string, refs: ReadonlyArray<RecordRef>): ReadonlyMap<string, number> {
    if (refs.length === 0) return new Map();
    const rows = this.#prepare(
      `SELECT m.ref_kind, m.ref_id, m.created_run FROM (${REFS}) r CROSS JOIN id_map m ON m.dest_kind = ? AND m.ref_kind = r.ref_kind AND m.ref_id = r.ref_id`,
    ).all(refsJson(refs), destKind) as SqlRow[];
    return new Map(rows.map((row) => [keyOf(row), Number(row.created_run)]));
  }

  /** Returns the `refKey` of each ref that a run queued in a destination kind. */
  queued(runId: number, kind: string, refs: ReadonlyArray<RecordRef>): ReadonlySet<string> {
    if (refs.length === 0) return new Set();
    const rows = this.#prepare(
      `SELECT DISTINCT q.ref_kind, q.ref_id FROM (${REFS}) r CROSS JOIN queue q ON q.run_id = ? AND q.kind = ? AND q.ref_kind = r.ref_kind AND q.ref_id = r.ref_id`,
    ).all(refsJson(refs), runId, kind) as SqlRow[];
    return new Set(rows.map(keyOf));
  }

  /** Returns the `refKey` of each ref that a run planned in a destination kind, selected or not. */
  planned(runId: number, kind: string, refs: ReadonlyArray<RecordRef>): ReadonlySet<string> {
    if (refs.length === 0) return new Set();
    const rows = this.#prepare(
      `SELECT p.ref_kind, p.ref_id FROM (${REFS}) r CROSS JOIN planned p ON p.run_id = ? AND p.kind = ? AND p.ref_kind = r.ref_kind AND p.ref_id = r.ref_id`,
    ).all(refsJson(refs), runId, kind) as SqlRow[];
    return new Set(rows.map(keyOf));
  }
}

const keyOf = (row: SqlRow): string => `${String(row.ref_kind)}\u0000${String(row.ref_id)}`;
