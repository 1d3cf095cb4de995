/**
 * The data of a run report, read from the ledger alone. It contains the run, its phases and
 * counts, the accounting of each source file's rows, and the rejections with file and line. It
 * also contains lossy mappings, the reconciliation queue, attachments to re-upload by hand,
 * verification results, the tokens the run and its rollbacks spent next to the ledger's day
 * totals, schema items and the automation inventory.
 *
 * `buildPagedRunReport` is what the report files are written from: its row tables are
 * `ReportRows` that read the ledger page by page, so its memory does not grow with the export.
 * `buildRunReport` collects the same data into arrays, which is convenient for small runs and
 * tests but keeps every row in memory.
 */
import type { Ledger } from "../ledger/Ledger.js";
import type {
  CheckpointRow,
  DayTokens,
  LedgerRun,
  LossyRow,
  PlanApproval,
  QueueRow,
  RejectionRow,
  RunTokens,
  SchemaItemRow,
  VerificationDifference,
} from "../ledger/LedgerRows.js";
import type { AutomationItem } from "../runner/AutomationItem.js";
import { FIRST_RECORD_PHASE } from "../runner/RecordPhases.js";
import { ReportRows } from "./ReportRows.js";

/** Counts of one record phase (one destination kind). */
export interface KindCounts {
  readonly kind: string;
  readonly read: number;
  readonly loaded: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly rejected: number;
  readonly queued: number;
}

/**
 * The accounting of one source file's rows: `rows = skipped + rejectedAtSource + staged`, and,
 * once the run has outcomes, `staged = inDestination + queued + rejected + notWritten`.
 */
export interface FileRowCounts {
  readonly file: string;
  /** Source object kind of the file. */
  readonly kind: string;
  /** Rows under the header, blank rows included. */
  readonly rows: number;
  /** Blank rows skipped; undefined when the source does not count them. */
  readonly skipped: number | undefined;
  /** Rows rejected at the source step, `duplicate-id` rejections of the staging included. */
  readonly rejectedAtSource: number;
  /** Rows that became staged records. */
  readonly staged: number;
  /**
   * Outcomes of the staged records, each counted once under the first that holds. `queued`: a
   * record made from it waits in the queue. `rejected`: a link or the destination rejected one.
   * `inDestination`: one was created, updated or left unchanged. `notWritten`: one was planned
   * and not written. A record from which nothing was planned is `rejected` when a rejection
   * names it and `notWritten` otherwise, as with team members. Undefined when a later run's
   * staging deleted the records before this run stored them.
   */
  readonly outcomes:
    | {
        readonly inDestination: number;
        readonly queued: number;
        readonly rejected: number;
        readonly notWritten: number;
      }
    | undefined;
}

/** An attachment that did not move and must be uploaded by hand. */
export interface ManualAttachment {
  readonly record: string;
  readonly file: string;
  readonly line: number;
  readonly value: string | undefined;
  readonly reason: string;
}

/** Tokens a rollback that covered the run spent, over every pass of it. */
export interface RollbackTokens {
  readonly rollbackId: number;
  /** Every run the rollback covered; its spend is not split between them. */
  readonly runIds: ReadonlyArray<number>;
  readonly total: number;
  readonly byDay: ReadonlyArray<DayTokens>;
}

/**
 * A run as its report shows it. The status of a run that a rollback covered names the rollback
 * and when it finished, such as `rolled back by rollback 2 at 2026-05-04T10:00:00Z`.
 */
export interface ReportRun extends Omit<LedgerRun, "status"> {
  readonly status: string;
}

/** The parts of a run report that stay small whatever the size of the export. */
interface ReportSummary {
  readonly generatedAt: string;
  readonly run: ReportRun;
  /** The approval in force when the run started. */
  readonly approval: PlanApproval | undefined;
  readonly phases: ReadonlyArray<CheckpointRow>;
  readonly records: ReadonlyArray<KindCounts>;
  /** The rows of each source file and what became of them, in reading order. */
  readonly files: ReadonlyArray<FileRowCounts>;
  readonly rejectionsByCode: ReadonlyArray<{ readonly code: string; readonly count: number }>;
  /** Tokens this run spent: its migration over every attempt, and its verifications. */
  readonly runTokens: RunTokens;
  /** Rollbacks whose scope covered this run, oldest first. */
  readonly rollbackTokens: ReadonlyArray<RollbackTokens>;
  /**
   * Tokens the ledger counts per UTC day over every run, verification and rollback: the total
   * that the daily budget is checked against.
   */
  readonly ledgerTokensByDay: ReadonlyArray<DayTokens>;
  readonly schemaItems: ReadonlyArray<SchemaItemRow>;
  readonly automations: ReadonlyArray<AutomationItem>;
}

/**
 * Everything a run report shows, with every row in memory. The properties are in the order
 * of the keys of `report.json`.
 */
export interface RunReport extends ReportSummary {
  readonly rejections: ReadonlyArray<RejectionRow>;
  readonly lossy: ReadonlyArray<LossyRow>;
  readonly queue: ReadonlyArray<QueueRow>;
  readonly attachments: ReadonlyArray<ManualAttachment>;
  readonly verification:
    | {
        readonly checkedAt: string;
        readonly records: number;
        readonly differences: ReadonlyArray<VerificationDifference>;
      }
    | undefined;
}

/**
 * Everything a run report shows, with the row tables as counted sources that are read on each
 * pass. The properties are in the order of the keys of `report.json`.
 */
export interface PagedRunReport extends ReportSummary {
  readonly rejections: ReportRows<RejectionRow>;
  readonly lossy: ReportRows<LossyRow>;
  readonly queue: ReportRows<QueueRow>;
  readonly attachments: ReportRows<ManualAttachment>;
  readonly verification:
    | {
        readonly checkedAt: string;
        readonly records: number;
        readonly differences: ReportRows<VerificationDifference>;
      }
    | undefined;
}

/** Words in a lossy step's code that mark an attachment which did not move. */
const ATTACHMENT_CODE_WORDS = ["attachment", "file"];

/** Rows of the attachments that must be uploaded by hand: lossy steps, rejections and queue. */
const manualAttachments = (ledger: Ledger, runId: number): ReportRows<ManualAttachment> => {
  const pages = ledger.reportPages;
  const lossyFilter = { codeContains: ATTACHMENT_CODE_WORDS };
  const queueFilter = { selectedOnly: true, kind: "file" };

  const lossy = new ReportRows(
    pages.countLossy(runId, lossyFilter),
    pages.lossy(runId, lossyFilter),
  ).map((row) => ({
    record: `${row.ref.kind}:${row.ref.sourceId}`,
    file: row.file,
    line: row.line,
    value: row.value,
    reason: row.message,
  }));
  const rejections = new ReportRows(
    pages.countRejections(runId, { destKind: "file" }),
    pages.rejections(runId, { destKind: "file" }),
  ).map((row) => ({
    record: `${row.kind}:${row.sourceId ?? "?"}`,
    file: row.file,
    line: row.line,
    value: row.value,
    reason: row.message,
  }));
  const queue = new ReportRows(
    pages.countQueued(runId, queueFilter),
    pages.queued(runId, queueFilter),
  ).map((row) => ({
    record: `${row.ref.kind}:${row.ref.sourceId}`,
    file: row.file,
    line: row.line,
    value: row.value,
    reason: row.message,
  }));
  return ReportRows.concat(lossy, rejections, queue);
};

/** Reads the row accounting of each file the run read. */
const fileRowCounts = (ledger: Ledger, runId: number): ReadonlyArray<FileRowCounts> =>
  ledger.sourceFiles.list(runId).map((file) => {
    const skipped = file.skipped?.blank;
    const outcomes = file.outcomes;
    return {
      file: file.file,
      kind: file.kind,
      rows: file.rows + (skipped ?? 0),
      skipped,
      rejectedAtSource: file.rejected,
      staged: file.staged,
      outcomes:
        outcomes === undefined
          ? undefined
          : {
              ...outcomes,
              notWritten:
                file.staged - outcomes.inDestination - outcomes.queued - outcomes.rejected,
            },
    };
  });

const rollbackTokens = (ledger: Ledger, runId: number): ReadonlyArray<RollbackTokens> =>
  ledger.rollbacks.covering(runId).map((rollback) => {
    const byDay = ledger.tokens.ofRollback(rollback.id);
    return {
      rollbackId: rollback.id,
      runIds: rollback.runIds,
      total: byDay.reduce((sum, day) => sum + day.spent, 0),
      byDay,
    };
  });

/** Adds the newest rollback that covered a run, if any, to the run's status. */
const reportRun = (ledger: Ledger, run: LedgerRun): ReportRun => {
  const rollback = ledger.rollbacks.covering(run.id).at(-1);
  if (rollback === undefined) return run;
  const status =
    rollback.finishedAt === undefined
      ? `${run.status}; rollback ${rollback.id} started at ${rollback.startedAt} and is not finished`
      : `rolled back by rollback ${rollback.id} at ${rollback.finishedAt}`;
  return { ...run, status };
};

/**
 * Reads the report of a run from the ledger, with its row tables read page by page on each
 * pass. The ledger must stay open while the report is rendered.
 *
 * @throws Error when the ledger has no such run.
 */
export const buildPagedRunReport = (ledger: Ledger, runId: number): PagedRunReport => {
  const run = ledger.run(runId);
  if (run === undefined) throw new Error(`Run ${runId} not found in the ledger ${ledger.path}`);

  const pages = ledger.reportPages;
  const phases = ledger.checkpoints(runId);
  const records = phases
    .filter((phase) => phase.position >= FIRST_RECORD_PHASE && phase.counts !== undefined)
    .map((phase) => ({ kind: phase.phase, ...(phase.counts as Omit<KindCounts, "kind">) }));
  const totals = pages.verificationTotals(runId);
  const selected = { selectedOnly: true };

  return {
    generatedAt: new Date().toISOString(),
    run: reportRun(ledger, run),
    approval: ledger.runApproval(runId),
    phases,
    records,
    files: fileRowCounts(ledger, runId),
    rejections: new ReportRows(pages.countRejections(runId), pages.rejections(runId)),
    rejectionsByCode: pages.rejectionsByCode(runId),
    lossy: new ReportRows(pages.countLossy(runId), pages.lossy(runId)),
    queue: new ReportRows(pages.countQueued(runId, selected), pages.queued(runId, selected)),
    attachments: manualAttachments(ledger, runId),
    verification:
      totals === undefined
        ? undefined
        : {
            checkedAt: totals.checkedAt,
            records: totals.records,
            differences: new ReportRows(totals.differences, pages.differences(runId)),
          },
    runTokens: ledger.tokens.ofRun(runId),
    rollbackTokens: rollbackTokens(ledger, runId),
    ledgerTokensByDay: ledger.tokensByDay(),
    schemaItems: ledger.schemaItems([runId]),
    automations: (ledger.runJson(runId, "automations") ?? []) as ReadonlyArray<AutomationItem>,
  };
};

/**
 * Reads the report of a run from the ledger with every row in memory. Memory grows with the
 * number of rejections, lossy steps, queued records and differences, so large runs should use
 * `buildPagedRunReport` or `writeRunReports`, which stream.
 *
 * @throws Error when the ledger has no such run.
 */
export const buildRunReport = (ledger: Ledger, runId: number): RunReport => {
  const paged = buildPagedRunReport(ledger, runId);
  return {
    ...paged,
    rejections: paged.rejections.toArray(),
    lossy: paged.lossy.toArray(),
    queue: paged.queue.toArray(),
    attachments: paged.attachments.toArray(),
    verification:
      paged.verification === undefined
        ? undefined
        : { ...paged.verification, differences: paged.verification.differences.toArray() },
  };
};

/** Wraps the arrays of a report held in memory, so that the streaming renderers accept it. */
export const toPagedRunReport = (report: RunReport): PagedRunReport => ({
  ...report,
  rejections: ReportRows.of(report.rejections),
  lossy: ReportRows.of(report.lossy),
  queue: ReportRows.of(report.queue),
  attachments: ReportRows.of(report.attachments),
  verification:
    report.verification === undefined
      ? undefined
      : {
          ...report.verification,
          differences: ReportRows.of(report.verification.differences),
        },
});
