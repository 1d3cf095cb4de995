/**
 * The failures of the runner: a plan that was not approved, a phase whose counts do not
 * reconcile, and a run that halted in a state it can resume from.
 */
import { Schema } from "effect";

/** Reason a plan cannot run: it has no approval, or it changed after the last approval. */
export const PlanApprovalProblem = Schema.Literal("unconfirmed", "changed");
export type PlanApprovalProblem = typeof PlanApprovalProblem.Type;

/**
 * The pipeline's plan hash is not approved in the ledger.
 *
 * @example
 * ```ts
 * new PlanNotApprovedError({ problem: "unconfirmed", planHash: "3f9c" }).message;
 * // "The plan 3f9c is not confirmed; review it and confirm it before migrating"
 * ```
 */
export class PlanNotApprovedError extends Schema.TaggedError<PlanNotApprovedError>()(
  "PlanNotApprovedError",
  {
    problem: PlanApprovalProblem,
    planHash: Schema.String,
    /** The hash that was approved last, when the plan changed after it. */
    approvedHash: Schema.optional(Schema.String),
    approvedBy: Schema.optional(Schema.String),
    approvedAt: Schema.optional(Schema.String),
  },
) {
  override get message(): string {
    if (this.problem === "unconfirmed") {
      return `The plan ${this.planHash} is not confirmed; review it and confirm it before migrating`;
    }
    const by = this.approvedBy === undefined ? "" : ` by ${this.approvedBy}`;
    const at = this.approvedAt === undefined ? "" : ` at ${this.approvedAt}`;
    return `The plan changed after it was confirmed: the confirmed plan is ${this.approvedHash ?? "unknown"} (confirmed${by}${at}) but this one is ${this.planHash}; confirm the changed plan before migrating`;
  }
}

/**
 * A phase's counts do not add up: read ≠ loaded + updated + unchanged + rejected + queued.
 */
export class ReconciliationError extends Schema.TaggedError<ReconciliationError>()(
  "ReconciliationError",
  {
    runId: Schema.Int,
    phase: Schema.String,
    read: Schema.Int,
    loaded: Schema.Int,
    updated: Schema.Int,
    unchanged: Schema.Int,
    rejected: Schema.Int,
    queued: Schema.Int,
  },
) {
  /** Records read that have no outcome (negative when outcomes outnumber reads). */
  get missing(): number {
    return this.read - this.loaded - this.updated - this.unchanged - this.rejected - this.queued;
  }

  override get message(): string {
    return `Phase ${this.phase} of run ${this.runId} does not reconcile: read ${this.read} but loaded ${this.loaded} + updated ${this.updated} + unchanged ${this.unchanged} + rejected ${this.rejected} + queued ${this.queued} = ${this.read - this.missing}; the ledger's journal lists every write of the phase`;
  }
}

/** Reason a run halted. */
export const HaltReason = Schema.Literal(
  /** The daily token budget is spent. */
  "budget",
  /** The destination returned 403: the token's user lacks a permission. */
  "forbidden",
  /** The destination blocked the traffic. */
  "blocked",
  /** The credentials were rejected. */
  "unauthorized",
  /** The destination account is not open. */
  "payment-required",
  /** A plan limit of the destination account was reached. */
  "plan-cap",
  /** The run is outside its time window and its options say not to wait. */
  "time-window",
  /** Retries of a transient failure were used up. */
  "unavailable",
);
export type HaltReason = typeof HaltReason.Type;

/**
 * The run stopped in a state it can resume from: start it again with the same state folder.
 *
 * @example
 * ```ts
 * new RunHaltedError({ runId: 3, reason: "budget", phase: "person", detail: "spent 30000 of 30000" })
 *   .message; // "Run 3 halted in phase person (budget): spent 30000 of 30000. ..."
 * ```
 */
export class RunHaltedError extends Schema.TaggedError<RunHaltedError>()("RunHaltedError", {
  runId: Schema.Int,
  reason: HaltReason,
  phase: Schema.optional(Schema.String),
  detail: Schema.String,
  /** When the run can go on, as ISO 8601, when known. */
  resumeAfter: Schema.optional(Schema.String),
  cause: Schema.optional(Schema.Defect),
}) {
  /** A halted run always resumes from its ledger. */
  get isResumable(): boolean {
    return true;
  }

  override get message(): string {
    const phase = this.phase === undefined ? "" : ` in phase ${this.phase}`;
    const after = this.resumeAfter === undefined ? "" : ` after ${this.resumeAfter}`;
    return `Run ${this.runId} halted${phase} (${this.reason}): ${this.detail}. Start it again with the same state folder${after} to resume`;
  }
}

/** A rollback or verification names a run that the ledger does not hold. */
export class RunNotFoundError extends Schema.TaggedError<RunNotFoundError>()("RunNotFoundError", {
  runId: Schema.optional(Schema.Int),
  detail: Schema.String,
}) {
  override get message(): string {
    const run = this.runId === undefined ? "" : ` ${this.runId}`;
    return `Run${run} not found in the ledger: ${this.detail}`;
  }
}
