/**
 * The columns of the row tables that the Markdown and HTML reports share: each table's header
 * and how one row becomes its cells. The renderers escape the cells, each for its own format.
 */
import type {
  CheckpointRow,
  DayTokens,
  LossyRow,
  QueueRow,
  RejectionRow,
  RunDayTokens,
  RunTokens,
  SchemaItemRow,
  VerificationDifference,
} from "../ledger/LedgerRows.js";
import type { FileRowCounts, KindCounts, ManualAttachment, RollbackTokens } from "./RunReport.js";

/** A table's column names, and the cells of one row in that order. */
export interface ReportColumns<T> {
  readonly header: ReadonlyArray<string>;
  readonly cells: (row: T) => ReadonlyArray<unknown>;
}

const recordName = (ref: { readonly kind: string; readonly sourceId: string }) =>
  `${ref.kind}:${ref.sourceId}`;

const json = (value: unknown) => (value === undefined ? "" : JSON.stringify(value));

/** Turns a camel-case count name such as `alreadyInAccount` into words. */
const countName = (key: string) => key.replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`);

/** Writes a phase's counts as words, such as `read 2077, loaded 2074, rejected 3`. */
const phaseCounts = (counts: object | undefined) =>
  counts === undefined
    ? ""
    : Object.entries(counts)
        .map(([key, value]) => `${countName(key)} ${value}`)
        .join(", ");

/** The phases of the run with their status and reconciled counts. */
export const phaseColumns: ReportColumns<CheckpointRow> = {
  header: ["phase", "status", "counts"],
  cells: (p) => [p.phase, p.status, phaseCounts(p.counts)],
};

/** The rows of each source file and what became of them; an unknown count is left empty. */
export const fileColumns: ReportColumns<FileRowCounts> = {
  header: [
    "file",
    "object",
    "rows",
    "skipped (blank)",
    "rejected at source",
    "staged",
    "in destination",
    "queued",
    "rejected later",
    "not written",
  ],
  cells: (f) => [
    f.file,
    f.kind,
    f.rows,
    f.skipped ?? "",
    f.rejectedAtSource,
    f.staged,
    f.outcomes?.inDestination ?? "",
    f.outcomes?.queued ?? "",
    f.outcomes?.rejected ?? "",
    f.outcomes?.notWritten ?? "",
  ],
};

/** Sentences that the Markdown and HTML reports put under the table of source files. */
export const fileNotes = [
  "rows = skipped (blank) + rejected at source + staged. Rows counts every row under the header, blank rows included, while discovery's row count leaves the blank rows out.",
  "staged = in destination + queued + rejected later + not written, with each staged record counted once, under the first of these that holds. Queued: a record made from it waits in the reconciliation queue. Rejected later: a record made from it was rejected at a link or by the destination. In destination: a record made from it was created, updated or left unchanged. Not written: a record was planned from it but not written, because the run stopped or a sample left it out. A staged record from which nothing was planned counts as rejected later when the transform rejected it, and as not written otherwise, as with team members matched to users.",
  "Empty outcome cells mean that a later run's staging deleted the records before this run ended.",
] as const;

/** Schema items the run created, and whether a rollback removed them. */
export const schemaItemColumns: ReportColumns<SchemaItemRow> = {
  header: ["type", "name", "kind", "id", "removed"],
  cells: (s) => [s.type, s.name, s.kind ?? "", s.id, s.removedBy === undefined ? "no" : "yes"],
};

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

/** Tokens the run spent per UTC day, by operation. */
export const runTokenColumns: ReportColumns<RunDayTokens> = {
  header: ["day (UTC)", "migration", "verification", "this run's total"],
  cells: (t) => [t.day, t.migrate, t.verify, t.total],
};

/** The rows of `runTokenColumns`: one per day, then a row of the sums when there is a day. */
export const runTokenRows = (tokens: RunTokens): ReadonlyArray<RunDayTokens> =>
  tokens.byDay.length === 0
    ? []
    : [
        ...tokens.byDay,
        { day: "all days", migrate: tokens.migrate, verify: tokens.verify, total: tokens.total },
      ];

/** One day of a rollback's spend, with the runs the rollback covered. */
export interface RollbackDayTokens {
  readonly rollbackId: number;
  readonly runIds: ReadonlyArray<number>;
  readonly day: string;
  readonly spent: number;
}

/** Tokens the rollbacks that covered the run spent per UTC day. */
export const rollbackTokenColumns: ReportColumns<RollbackDayTokens> = {
  header: ["rollback", "runs covered", "day (UTC)", "tokens"],
  cells: (t) => [t.rollbackId, t.runIds.join(", "), t.day, t.spent],
};

/** The rows of `rollbackTokenColumns`; a rollback that counted no spend gets one row of 0. */
export const rollbackTokenRows = (
  rollbacks: ReadonlyArray<RollbackTokens>,
): ReadonlyArray<RollbackDayTokens> =>
  rollbacks.flatMap((rollback) => {
    const base = { rollbackId: rollback.rollbackId, runIds: rollback.runIds };
    return rollback.byDay.length === 0
      ? [{ ...base, day: "", spent: 0 }]
      : rollback.byDay.map((day) => ({ ...base, ...day }));
  });

/** The ledger's token total per UTC day. */
export const ledgerTokenColumns: ReportColumns<DayTokens> = {
  header: ["day (UTC)", "ledger total: every run, verification and rollback"],
  cells: (t) => [t.day, t.spent],
};

/** Sentences that the Markdown and HTML reports put around the token tables. */
export const tokenNotes = {
  run: "What this run spent: its migration over every attempt, and every verification of it.",
  incomplete:
    "This run started before the ledger counted tokens per run, so these figures leave out what it spent before then. The ledger's day totals include it.",
  rollbacks: "A rollback that covered several runs is not split between them.",
  ledger:
    "The ledger's total per day counts every run, verification and rollback in this state folder. The daily token budget is checked against it.",
} as const;

/** Sums up what the run spent, such as `1500 (migration 1200, verification 300)`. */
export const runTokenSummary = (tokens: RunTokens): string =>
  `${tokens.total} (migration ${tokens.migrate}, verification ${tokens.verify})`;
