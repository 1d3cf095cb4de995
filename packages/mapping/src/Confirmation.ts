/**
 * Confirmation of a plan: `confirm` stores who confirmed which content hash and when, and
 * `verifyConfirmed` is what a runner calls before any record moves.
 *
 * The approval is written into the plan itself, under `approval:`, so the plan file and its
 * confirmation travel together; the hash excludes that block. A `PlanApprovals` store (the run
 * ledger, for example) can keep a second record of each approval.
 */
import { Effect, Option } from "effect";

import { PlanChangedError, PlanNotConfirmedError } from "./ConfirmationError.js";
import type { MappingPlan, PlanApproval } from "./Plan.js";
import type { PlanError } from "./PlanError.js";
import { loadPlanFile, writePlanFile } from "./PlanFile.js";
import { planHash } from "./planHash.js";

/** A store of approvals, looked up by content hash. */
export interface PlanApprovals {
  readonly record: (approval: PlanApproval) => Effect.Effect<void, PlanError>;
  readonly find: (hash: string) => Effect.Effect<Option.Option<PlanApproval>, PlanError>;
}

/** The person who confirms, and the time (defaults to now). */
export interface ConfirmOptions {
  readonly by: string;
  readonly at?: Date;
}

/**
 * Confirms a plan: sets its approval to the current content hash and records it in the store.
 *
 * @example
 * ```ts
 * const confirmed = yield* confirm(plan, { by: "ana@example.test" }, planFileApprovals("plan.yaml"));
 * confirmed.approval?.hash === planHash(plan); // true
 * ```
 */
export const confirm = (
  plan: MappingPlan,
  options: ConfirmOptions,
  approvals?: PlanApprovals,
): Effect.Effect<MappingPlan, PlanError> =>
  Effect.gen(function* () {
    const approval: PlanApproval = {
      hash: planHash(plan),
      by: options.by,
      at: (options.at ?? new Date()).toISOString(),
    };
    const confirmed: MappingPlan = { ...plan, approval };
    if (approvals !== undefined) yield* approvals.record(approval);
    return confirmed;
  });

/**
 * Checks that a plan is confirmed and unchanged since; returns its hash.
 *
 * @example
 * ```ts
 * yield* verifyConfirmed(plan); // fails with PlanNotConfirmedError or PlanChangedError
 * ```
 */
export const verifyConfirmed = (
  plan: MappingPlan,
): Effect.Effect<string, PlanNotConfirmedError | PlanChangedError> => {
  const currentHash = planHash(plan);
  const approval = plan.approval;
  if (approval === undefined) return Effect.fail(new PlanNotConfirmedError({ hash: currentHash }));

  if (approval.hash !== currentHash) {
    return Effect.fail(
      new PlanChangedError({
        confirmedHash: approval.hash,
        currentHash,
        confirmedBy: approval.by,
        confirmedAt: approval.at,
      }),
    );
  }
  return Effect.succeed(currentHash);
};

/**
 * Checks the plan as `verifyConfirmed` does and also that the store holds its approval, so a
 * hand-written `approval:` block that the store never saw is rejected.
 */
export const verifyApproved = (
  plan: MappingPlan,
  approvals: PlanApprovals,
): Effect.Effect<string, PlanNotConfirmedError | PlanChangedError | PlanError> =>
  Effect.gen(function* () {
    const hash = yield* verifyConfirmed(plan);
    const stored = yield* approvals.find(hash);
    if (Option.isNone(stored)) return yield* new PlanNotConfirmedError({ hash });
    return hash;
  });

/**
 * The default store: the approval lives in the plan file's `approval:` block. Recording it
 * rewrites the file with the approval; finding it reads the file back.
 */
export const planFileApprovals = (path: string): PlanApprovals => ({
  record: (approval) =>
    loadPlanFile(path).pipe(Effect.flatMap((plan) => writePlanFile(path, { ...plan, approval }))),
  find: (hash) =>
    loadPlanFile(path).pipe(
      Effect.map((plan) =>
        plan.approval?.hash === hash && planHash(plan) === hash
          ? Option.some(plan.approval)
          : Option.none(),
      ),
    ),
});

/** A store kept in memory, for tests and for callers that keep approvals themselves. */
export const memoryApprovals = (): PlanApprovals & {
  readonly all: () => ReadonlyArray<PlanApproval>;
} => {
  const stored = new Map<string, PlanApproval>();
  return {
    record: (approval) => Effect.sync(() => void stored.set(approval.hash, approval)),
    find: (hash) => Effect.sync(() => Option.fromNullable(stored.get(hash))),
    all: () => [...stored.values()],
  };
};
