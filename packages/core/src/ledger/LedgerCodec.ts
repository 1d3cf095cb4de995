/**
 * Conversions between SQLite rows of the run ledger and the row types it returns.
 */
import type {
  CheckpointRow,
  IdMapEntry,
  JournalEntry,
  LedgerRun,
  LossyRow,
  PlannedRow,
  QueueRow,
  RejectionRow,
  RollbackRow,
  SchemaItemRow,
  VerificationDifference,
} from "./LedgerRows.js";

/** A row as better-sqlite3 returns it. */
export type SqlRow = Record<string, unknown>;

const text = (value: unknown): string => String(value);
const optionalText = (value: unknown): string | undefined =>
  value === null || value === undefined ? undefined : String(value);
const optionalNumber = (value: unknown): number | undefined =>
  value === null || value === undefined ? undefined : Number(value);
const json = <A>(value: unknown): A => JSON.parse(String(value)) as A;
const optionalJson = <A>(value: unknown): A | undefined =>
  value === null || value === undefined ? undefined : json<A>(value);

/** Decodes a `runs` row. */
export const decodeRun = (row: SqlRow): LedgerRun => ({
  id: Number(row.id),
  mode: text(row.mode) as LedgerRun["mode"],
  planHash: text(row.plan_hash),
  status: text(row.status) as LedgerRun["status"],
  haltReason: optionalText(row.halt_reason),
  haltDetail: optionalText(row.halt_detail),
  sampleSize: optionalNumber(row.sample_size),
  dryRun: Number(row.dry_run) === 1,
  source: text(row.source),
  destination: text(row.destination),
  startedAt: text(row.started_at),
  finishedAt: optionalText(row.finished_at),
});

/** Decodes an `id_map` row. */
export const decodeIdMap = (row: SqlRow): IdMapEntry => ({
  destKind: text(row.dest_kind),
  ref: { kind: text(row.ref_kind), sourceId: text(row.ref_id) },
  destId: text(row.dest_id),
  hash: text(row.hash),
  written: json(row.written),
  createdRun: Number(row.created_run),
  updatedRun: optionalNumber(row.updated_run),
});

/** Decodes a `journal` row. */
export const decodeJournal = (row: SqlRow): JournalEntry => ({
  seq: Number(row.seq),
  runId: Number(row.run_id),
  destKind: text(row.dest_kind),
  ref: { kind: text(row.ref_kind), sourceId: text(row.ref_id) },
  op: text(row.op) as JournalEntry["op"],
  payload: json(row.payload),
  hash: text(row.hash),
  previous: optionalJson(row.previous),
  previousMap: optionalJson(row.previous_map),
  status: text(row.status) as JournalEntry["status"],
  destId: optionalText(row.dest_id),
  undoneBy: optionalNumber(row.undone_by),
});

/** Decodes a `planned` row. */
export const decodePlanned = (row: SqlRow): PlannedRow => ({
  runId: Number(row.run_id),
  kind: text(row.kind),
  ref: { kind: text(row.ref_kind), sourceId: text(row.ref_id) },
  seq: Number(row.seq),
  file: text(row.file),
  line: Number(row.line),
  fields: json(row.fields),
  custom: json(row.custom),
  links: json(row.links),
  linkKinds: json(row.link_kinds),
  hash: text(row.hash),
  selected: Number(row.selected) === 1,
  status: text(row.status) as PlannedRow["status"],
  destId: optionalText(row.dest_id),
});

/** Decodes a `rejections` row. */
export const decodeRejection = (row: SqlRow): RejectionRow => ({
  runId: Number(row.run_id),
  stage: text(row.stage) as RejectionRow["stage"],
  kind: text(row.kind),
  destKind: optionalText(row.dest_kind),
  file: text(row.file),
  line: Number(row.line),
  code: text(row.code),
  message: text(row.message),
  sourceId: optionalText(row.source_id),
  column: optionalText(row.column_name),
  value: optionalText(row.value),
});

/** Decodes a `queue` row. */
export const decodeQueue = (row: SqlRow): QueueRow => ({
  runId: Number(row.run_id),
  kind: text(row.kind),
  ref: { kind: text(row.ref_kind), sourceId: text(row.ref_id) },
  file: text(row.file),
  line: Number(row.line),
  reason: text(row.reason),
  message: text(row.message),
  value: optionalText(row.value),
});

/** Decodes a `lossy` row. */
export const decodeLossy = (row: SqlRow): LossyRow => ({
  runId: Number(row.run_id),
  ref: { kind: text(row.ref_kind), sourceId: text(row.ref_id) },
  file: text(row.file),
  line: Number(row.line),
  field: text(row.field),
  code: text(row.code),
  message: text(row.message),
  value: optionalText(row.value),
});

/** Decodes a `schema_items` row. */
export const decodeSchemaItem = (row: SqlRow): SchemaItemRow => ({
  rowId: Number(row.id),
  runId: Number(row.run_id),
  type: text(row.type),
  id: text(row.item_id),
  name: text(row.name),
  kind: optionalText(row.kind),
  parentId: optionalText(row.parent_id),
  removedBy: optionalNumber(row.removed_by),
});

/** Decodes a `checkpoints` row. */
export const decodeCheckpoint = (row: SqlRow): CheckpointRow => ({
  runId: Number(row.run_id),
  phase: text(row.phase),
  position: Number(row.position),
  status: text(row.status) as CheckpointRow["status"],
  counts: optionalJson(row.counts),
  at: text(row.at),
});

/** Decodes a `rollbacks` row. */
export const decodeRollback = (row: SqlRow): RollbackRow => ({
  id: Number(row.id),
  scope: text(row.scope),
  runIds: json(row.run_ids),
  removeSchema: Number(row.remove_schema) === 1,
  status: text(row.status) as RollbackRow["status"],
  removed: Number(row.removed),
  restored: Number(row.restored),
  failures: json(row.failures),
  startedAt: text(row.started_at),
  finishedAt: optionalText(row.finished_at),
});

/** Decodes a `verification` row. */
export const decodeDifference = (row: SqlRow): VerificationDifference => ({
  kind: text(row.kind),
  ref: { kind: text(row.ref_kind), sourceId: text(row.ref_id) },
  destId: text(row.dest_id),
  field: text(row.field),
  expected: JSON.parse(text(row.expected)) as unknown,
  actual: JSON.parse(text(row.actual)) as unknown,
});
