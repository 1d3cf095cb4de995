/**
 * The Promise API for callers that do not use Effect. Each function runs its Effect counterpart
 * and rejects with the same tagged error (`PlanError`, `ProposerError`) the Effect API fails
 * with.
 */
import { Cause, Effect, Exit } from "effect";

import { confirm, type PlanApprovals, planFileApprovals } from "./Confirmation.js";
import type { MappingPlan } from "./Plan.js";
import { loadPlanFile, writePlanFile } from "./PlanFile.js";
import { defaultProposer } from "./proposer/DefaultProposer.js";
import type { Proposal, ProposalInput, Proposer } from "./proposer/Proposer.js";

/** Runs an Effect, rejecting with its error rather than a fiber failure. */
const run = async <A, E>(effect: Effect.Effect<A, E>): Promise<A> => {
  const exit = await Effect.runPromiseExit(effect);
  if (Exit.isSuccess(exit)) return exit.value;
  throw Cause.squash(exit.cause);
};

/**
 * Drafts a plan with a proposer (the default one unless given).
 *
 * @example
 * ```ts
 * const { plan, warnings } = await proposePlan({ inventory });
 * await writePlan("plan.yaml", plan);
 * ```
 */
export const proposePlan = (
  input: ProposalInput,
  proposer: Proposer = defaultProposer,
): Promise<Proposal> => run(proposer.propose(input));

/** Reads and validates a plan file; rejects with a `PlanError` naming the line and field. */
export const loadPlan = (path: string): Promise<MappingPlan> => run(loadPlanFile(path));

/** Writes a plan file. */
export const writePlan = (path: string, plan: MappingPlan): Promise<void> =>
  run(writePlanFile(path, plan));

/**
 * Confirms the plan file at `path`: records the approval (by default in the file itself) and
 * returns the confirmed plan.
 *
 * @example
 * ```ts
 * await confirmPlan("plan.yaml", "ana@example.test");
 * ```
 */
export const confirmPlan = (
  path: string,
  by: string,
  approvals: PlanApprovals = planFileApprovals(path),
): Promise<MappingPlan> =>
  run(loadPlanFile(path).pipe(Effect.flatMap((plan) => confirm(plan, { by }, approvals))));
