/**
 * The columns of the row tables that the Markdown and HTML reports share: each table's header
 * and how one row becomes its cells. The renderers escape the cells, each for its own format.
 */
import type {
  LossyRow,
  QueueRow,
  RejectionRow,
  VerificationDifference,
} from "../ledger/LedgerRows.js";
import type { KindCounts, ManualAttachment } from "./RunReport.js";

/** A table's column names, and the cells of one row in that order. */
export interface ReportColumns<T> {
  readonly header: ReadonlyArray<string>;
  readonly cells: (row: T) => ReadonlyArray<unknown>;
}

const recordName = (ref: { readonly kind: string; readonly sourceId: string }) =>
  `${ref.kind}:${ref.sourceId}`;

const json = (value: unknown) => (value === undefined ? "" : JSON.stringify(value));

/** Counts per destination kind. */
export const recordColumns: ReportColumns<KindCounts> = {
  header: ["kind", "read", "loaded", "updated", "unchanged", "rejected", "queued"],
  cells: (r) => [r.kind, r.read, r.loaded, r.updated, r.unchanged, r.rejected, r.queued],
};

/** Rejected rows and values, with the file and line they came from. */
export const rejectionColumns: ReportColumns<RejectionRow> = {
  header: ["file", "line", "kind", "step", "code", "reason", "value"],
  cells: (r) => [r.file, r.line, r.destKind ?? r.kind, r.stage, r.code, r.message, r.value ?? ""],
};

/** Values that moved with a loss. */
export const lossyColumns: ReportColumns<LossyRow> = {
  header: ["file", "line", "record", "field", "code", "reason"],
  cells: (r) => [r.file, r.line, recordName(r.ref), r.field, r.code, r.message],
};

/** Records held for a person. */
export const queueColumns: ReportColumns<QueueRow> = {
  header: ["file", "line", "kind", "record", "reason", "message", "value"],
  cells: (r) => [r.file, r.line, r.kind, recordName(r.ref), r.reason, r.message, r.value ?? ""],
};

/** Attachments that must be uploaded by hand. */
export const attachmentColumns: ReportColumns<ManualAttachment> = {
  header: ["record", "file", "line", "attachment", "reason"],
  cells: (a) => [a.record, a.file, a.line, a.value ?? "", a.reason],
};

/** Fields that read back differently from what the plan wrote, values as JSON. */
export const differenceColumns: ReportColumns<VerificationDifference> = {
  header: ["kind", "record", "destination id", "field", "expected", "actual"],
  cells: (d) => [d.kind, recordName(d.ref), d.destId, d.field, json(d.expected), json(d.actual)],
};
