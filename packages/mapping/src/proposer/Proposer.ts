/**
 * The proposer contract: anything that drafts a mapping plan from a source's inventory and,
 * when known, the destination's schema. The default proposer is deterministic; a
 * language-model proposer implements the same interface.
 */
import type { DestinationSchema, Inventory } from "@ferry/core";
import { type Effect, Schema } from "effect";

import type { MappingPlan } from "../Plan.js";
import type { PlanWarning } from "../PlanWarning.js";

/** What a proposer drafts from. */
export interface ProposalInput {
  readonly inventory: Inventory;
  readonly destination?: DestinationSchema;
}

/** A drafted plan and what a person should read before confirming it. */
export interface Proposal {
  readonly plan: MappingPlan;
  readonly warnings: ReadonlyArray<PlanWarning>;
}

/** A proposer could not draft a plan, for example because its endpoint failed. */
export class ProposerError extends Schema.TaggedError<ProposerError>()("ProposerError", {
  proposer: Schema.String,
  reason: Schema.Literal("disabled", "request-failed", "invalid-response"),
  detail: Schema.String,
}) {
  override get message(): string {
    return `the ${this.proposer} proposer failed (${this.reason}): ${this.detail}`;
  }
}

/**
 * Drafts mapping plans.
 *
 * @example
 * ```ts
 * const { plan, warnings } = yield* defaultProposer.propose({ inventory, destination });
 * ```
 */
export interface Proposer {
  readonly name: string;
  readonly propose: (input: ProposalInput) => Effect.Effect<Proposal, ProposerError>;
}
