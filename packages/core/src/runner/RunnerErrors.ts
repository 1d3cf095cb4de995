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
 * // "The plan 3f9c is not confirmed in this ledger: ..."
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
    /** Path of the ledger that contains no approval of the plan. */
    ledgerPath: Schema.optional(Schema.String),
  },
) {
  override get message(): string {
    if (this.problem === "unconfirmed") {
      const ledger =
        this.ledgerPath === undefined ? "this ledger" : `the ledger ${this.ledgerPath}`;
      return `The plan ${this.planHash} is not confirmed in ${ledger}: it contains no approval of any plan, as in a new state folder or another one than the plan was confirmed with. Use the state folder of the confirmation and of any earlier run, or review the plan and confirm it with this state folder before migrating`;
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

/**
 * The account already has the marker fields of a Ferry migration, but the ledger has written
 * nothing there, so the run would create every record a second time.
 */
export class PriorMigrationError extends Schema.TaggedError<PriorMigrationError>()(
  "PriorMigrationError",
  {
    runId: Schema.Int,
    /** Schema keys of the marker fields found, such as `field:person/Ferry source id`. */
    markers: Schema.Array(Schema.String),
  },
) {
  override get message(): string {
    return `The account already holds records of a Ferry migration: it has the marker fields ${this.markers.join(", ")}, but this ledger has written no record there, so run ${this.runId} would create every record a second time. Use the state folder of that migration. To create a second copy on purpose, start the run with the option secondCopy`;
  }
}

/** The records a later run built on the records of the runs a rollback covers, by use. */
export const LaterRunDependency = Schema.Struct({
  runId: Schema.Int,
  /** Records the later run left unchanged because an earlier run in the scope wrote them. */
  reused: Schema.Int,
  /** Records the later run updated after an earlier run in the scope created or updated them. */
  updated: Schema.Int,
  /** Records of the later run that link to records an earlier run in the scope created. */
  linked: Schema.Int,
});
export type LaterRunDependency = typeof LaterRunDependency.Type;

/**
 * A rollback would undo records that later runs, which are not rolled back, reused, updated or
 * link to. Rollback goes newest first, so the later runs are rolled back first or with it.
 */
export class RollbackOrderError extends Schema.TaggedError<RollbackOrderError>()(
  "RollbackOrderError",
  {
    runIds: Schema.Array(Schema.Int),
    /** The later runs that depend on the scope, newest first. */
    dependents: Schema.Array(LaterRunDependency),
  },
) {
  /** The later runs to roll back first, newest first. */
  get laterRunIds(): ReadonlyArray<number> {
    return this.dependents.map((dependent) => dependent.runId);
  }

  override get message(): string {
    const scope = `run${this.runIds.length === 1 ? "" : "s"} ${this.runIds.join(", ")}`;
    const reasons = this.dependents.map((d) => `run ${d.runId} ${describeDependency(d)}`);
    return `Cannot roll back ${scope} while later runs depend on ${this.runIds.length === 1 ? "its" : "their"} records: ${reasons.join("; ")}. Roll back run ${this.laterRunIds.join(", then run ")} first, or roll the later runs back with it (the option withLaterRuns)`;
  }
}

/**
 * Describes what a later run built on the records of a rollback's runs, such as "left 57 of
 * those records unchanged and linked 272 of its own records to them".
 */
export const describeDependency = (dependency: LaterRunDependency): string => {
  const parts = [
    dependency.reused > 0 ? `left ${dependency.reused} of those records unchanged` : "",
    dependency.updated > 0 ? `updated ${dependency.updated} of those records` : "",
    dependency.linked > 0 ? `linked ${dependency.linked} of its own records to them` : "",
  ].filter((part) => part !== "");
  const last = parts.pop() ?? "";
  return parts.length === 0 ? last : `${parts.join(", ")} and ${last}`;
};
