/**
 * The data of a run report, read from the ledger alone: the run, its phases and counts, the
 * rejections with file and line, lossy mappings, the reconciliation queue, attachments to
 * re-upload by hand, verification results, tokens per day, schema items and the automation
 * inventory. The Markdown, JSON, HTML and CSV renderings are made from it.
 */
import type { Ledger } from "../ledger/Ledger.js";
import type {
  CheckpointRow,
  LedgerRun,
  LossyRow,
  PlanApproval,
  QueueRow,
  RejectionRow,
  SchemaItemRow,
  VerificationDifference,
} from "../ledger/LedgerRows.js";
import type { AutomationItem } from "../runner/AutomationItem.js";
import { FIRST_RECORD_PHASE } from "../runner/RecordPhases.js";

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

/** An attachment that did not move and must be uploaded by hand. */
export interface ManualAttachment {
  readonly record: string;
  readonly file: string;
  readonly line: number;
  readonly value: string | undefined;
  readonly reason: string;
}

/** Everything a run report shows. */
export interface RunReport {
  readonly generatedAt: string;
  readonly run: LedgerRun;
  readonly approval: PlanApproval | undefined;
  readonly phases: ReadonlyArray<CheckpointRow>;
  readonly records: ReadonlyArray<KindCounts>;
  readonly rejections: ReadonlyArray<RejectionRow>;
  readonly rejectionsByCode: ReadonlyArray<{ readonly code: string; readonly count: number }>;
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
  readonly tokensByDay: ReadonlyArray<{ readonly day: string; readonly spent: number }>;
  readonly schemaItems: ReadonlyArray<SchemaItemRow>;
  readonly automations: ReadonlyArray<AutomationItem>;
}

const isAttachmentCode = (code: string) => /attachment|file/i.test(code);

const manualAttachments = (
  lossy: ReadonlyArray<LossyRow>,
  rejections: ReadonlyArray<RejectionRow>,
  queue: ReadonlyArray<QueueRow>,
): ReadonlyArray<ManualAttachment> => [
  ...lossy
    .filter((row) => isAttachmentCode(row.code))
    .map((row) => ({
      record: `${row.ref.kind}:${row.ref.sourceId}`,
      file: row.file,
      line: row.line,
      value: row.value,
      reason: row.message,
    })),
  ...rejections
    .filter((row) => row.destKind === "file")
    .map((row) => ({
      record: `${row.kind}:${row.sourceId ?? "?"}`,
      file: row.file,
      line: row.line,
      value: row.value,
      reason: row.message,
    })),
  ...queue
    .filter((row) => row.kind === "file")
    .map((row) => ({
      record: `${row.ref.kind}:${row.ref.sourceId}`,
      file: row.file,
      line: row.line,
      value: row.value,
      reason: row.message,
    })),
];

const countByCode = (rejections: ReadonlyArray<RejectionRow>) => {
  const counts = new Map<string, number>();
  for (const row of rejections) counts.set(row.code, (counts.get(row.code) ?? 0) + 1);
  return [...counts].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count);
};

/**
 * Reads the report of a run from the ledger.
 *
 * @throws Error when the ledger has no such run.
 */
export const buildRunReport = (ledger: Ledger, runId: number): RunReport => {
  const run = ledger.run(runId);
  if (run === undefined) throw new Error(`Run ${runId} not found in the ledger ${ledger.path}`);

  const phases = ledger.checkpoints(runId);
  const records = phases
    .filter((phase) => phase.position >= FIRST_RECORD_PHASE && phase.counts !== undefined)
    .map((phase) => ({ kind: phase.phase, ...(phase.counts as Omit<KindCounts, "kind">) }));
  const rejections = ledger.rejections(runId);
  const lossy = ledger.lossy(runId);
  const queue = ledger.queued(runId, true);

  return {
    generatedAt: new Date().toISOString(),
    run,
    approval: ledger.approval(run.planHash),
    phases,
    records,
    rejections,
    rejectionsByCode: countByCode(rejections),
    lossy,
    queue,
    attachments: manualAttachments(lossy, rejections, queue),
    verification: ledger.verifications.get(runId),
    tokensByDay: ledger.tokensByDay(),
    schemaItems: ledger.schemaItems([runId]),
    automations: (ledger.runJson(runId, "automations") ?? []) as ReadonlyArray<AutomationItem>,
  };
};
