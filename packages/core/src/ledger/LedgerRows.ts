/**
 * The rows the run ledger stores and returns, as plain readonly objects. JSON columns are
 * decoded; ids of source records are always strings.
 */
import type { FieldValue } from "../Destination.js";
import type { RecordRef } from "../SourceRecord.js";

/** Mode of a run: a full migration, a sample, or a delta on a newer export. */
export type RunMode = "full" | "sample" | "delta";

/** Status of a run. A `halted`, `paused` or `running` run resumes when it is started again. */
export type RunStatus = "running" | "paused" | "halted" | "finished" | "failed";

/** One run of the ledger. */
export interface LedgerRun {
  readonly id: number;
  readonly mode: RunMode;
  readonly planHash: string;
  readonly status: RunStatus;
  /** Reason the run stopped before its end, such as `budget` or `forbidden`. */
  readonly haltReason: string | undefined;
  readonly haltDetail: string | undefined;
  readonly sampleSize: number | undefined;
  readonly dryRun: boolean;
  readonly source: string;
  readonly destination: string;
  readonly startedAt: string;
  readonly finishedAt: string | undefined;
}

/** Approval of a plan hash: the person and the time. */
export interface PlanApproval {
  readonly planHash: string;
  readonly approvedBy: string;
  readonly approvedAt: string;
}

/** The values Ferry sent for one record, as the id map keeps them for delta and conflicts. */
export interface WrittenValues {
  readonly fields: Readonly<Record<string, FieldValue>>;
  readonly custom: Readonly<Record<string, FieldValue>>;
  readonly links: Readonly<Record<string, string>>;
}

/** One entry of the id map: a source record and the destination record it became. */
export interface IdMapEntry {
  readonly destKind: string;
  readonly ref: RecordRef;
  readonly destId: string;
  /** Content hash of the planned record that was last written. */
  readonly hash: string;
  readonly written: WrittenValues;
  readonly createdRun: number;
  readonly updatedRun: number | undefined;
}

/** Operation of a journaled write. */
export type JournalOp = "create" | "update";

/** Status of a journaled write: `intent` until its result is recorded, then settled. */
export type JournalStatus = "intent" | "done" | "rejected" | "absent";

/** One entry of the write journal. */
export interface JournalEntry {
  readonly seq: number;
  readonly runId: number;
  readonly destKind: string;
  readonly ref: RecordRef;
  readonly op: JournalOp;
  /** The record as sent, links resolved. */
  readonly payload: WrittenValues;
  readonly hash: string;
  /** For updates, the destination's values before the update. */
  readonly previous: WrittenValues | undefined;
  /** For updates, the id map entry before the update, restored by a rollback. */
  readonly previousMap: { readonly hash: string; readonly written: WrittenValues } | undefined;
  readonly status: JournalStatus;
  readonly destId: string | undefined;
  readonly undoneBy: number | undefined;
}

/** A planned record as the ledger stores it. */
export interface PlannedRow {
  readonly runId: number;
  readonly kind: string;
  readonly ref: RecordRef;
  readonly seq: number;
  readonly file: string;
  readonly line: number;
  readonly fields: Readonly<Record<string, FieldValue>>;
  readonly custom: Readonly<Record<string, FieldValue>>;
  readonly links: Readonly<Record<string, RecordRef>>;
  readonly linkKinds: Readonly<Record<string, string>>;
  readonly hash: string;
  readonly selected: boolean;
  readonly status: PlannedStatus;
  readonly destId: string | undefined;
}

/** The part of a planned record that link resolution and change detection read. */
export type PlannedLinks = Pick<PlannedRow, "ref" | "seq" | "links" | "linkKinds" | "hash">;

/** Outcome of a planned record in its phase; `pending` until the phase handles it. */
export type PlannedStatus = "pending" | "created" | "updated" | "unchanged" | "rejected" | "queued";

/** A rejection with its origin; `stage` names the step that rejected it. */
export interface RejectionRow {
  readonly runId: number;
  readonly stage: "source" | "transform" | "link" | "destination";
  /** Source object kind of the row. */
  readonly kind: string;
  /** Destination kind, for link and destination rejections. */
  readonly destKind: string | undefined;
  readonly file: string;
  readonly line: number;
  readonly code: string;
  readonly message: string;
  readonly sourceId: string | undefined;
  readonly column: string | undefined;
  readonly value: string | undefined;
}

/** A record held in the reconciliation queue for a person to decide. */
export interface QueueRow {
  readonly runId: number;
  readonly kind: string;
  readonly ref: RecordRef;
  readonly file: string;
  readonly line: number;
  readonly reason: string;
  readonly message: string;
  readonly value: string | undefined;
}

/** A value that moved with a loss. */
export interface LossyRow {
  readonly runId: number;
  readonly ref: RecordRef;
  readonly file: string;
  readonly line: number;
  readonly field: string;
  readonly code: string;
  readonly message: string;
  readonly value: string | undefined;
}

/** A schema item a run created. */
export interface SchemaItemRow {
  readonly rowId: number;
  readonly runId: number;
  readonly type: string;
  readonly id: string;
  readonly name: string;
  readonly kind: string | undefined;
  readonly parentId: string | undefined;
  readonly removedBy: number | undefined;
}

/** A phase checkpoint with its reconciled counts once it is done. */
export interface CheckpointRow {
  readonly runId: number;
  readonly phase: string;
  readonly position: number;
  readonly status: "started" | "done";
  readonly counts: Readonly<Record<string, number>> | undefined;
  readonly at: string;
}

/** One difference found by verification. */
export interface VerificationDifference {
  readonly kind: string;
  readonly ref: RecordRef;
  readonly destId: string;
  /** Field key; custom fields are `custom.<name>`, links `links.<key>`, a missing record `*`. */
  readonly field: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

/** A rollback and how far it got. */
export interface RollbackRow {
  readonly id: number;
  readonly scope: string;
  readonly runIds: ReadonlyArray<number>;
  readonly removeSchema: boolean;
  readonly status: "running" | "finished";
  readonly removed: number;
  readonly restored: number;
  readonly failures: ReadonlyArray<{
    readonly kind: string;
    readonly id: string;
    readonly reason: string;
  }>;
  /** When the rollback started, as ISO 8601. */
  readonly startedAt: string;
  /** When its last pass undid everything, as ISO 8601; absent while it is not finished. */
  readonly finishedAt: string | undefined;
}

/** Operation a run spent tokens on: its migration (every attempt) or a verification of it. */
export type RunTokenOperation = "migrate" | "verify";

/** Run operation or rollback that the ledger counts spent tokens for, besides their day. */
export type TokenOwner =
  | { readonly runId: number; readonly operation: RunTokenOperation }
  | { readonly rollbackId: number };

/** Tokens spent on one UTC day (`YYYY-MM-DD`). */
export interface DayTokens {
  readonly day: string;
  readonly spent: number;
}

/** Tokens one run spent on one UTC day, by operation. */
export interface RunDayTokens {
  readonly day: string;
  readonly migrate: number;
  readonly verify: number;
  readonly total: number;
}

/** Tokens one run spent: its migration over every attempt, and every verification of it. */
export interface RunTokens {
  readonly migrate: number;
  readonly verify: number;
  readonly total: number;
  /** Days the run spent tokens on, oldest first. */
  readonly byDay: ReadonlyArray<RunDayTokens>;
  /**
   * False when the run started before this ledger counted tokens per run, so that what it
   * spent before then is only in the day totals.
   */
  readonly complete: boolean;
}
