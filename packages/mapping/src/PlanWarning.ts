/**
 * Warnings about a plan against a destination's schema, such as custom fields beyond the
 * account's cap or owners whose records will wait in the queue.
 */
import type { DestinationSchema } from "@ferry/core";

import type { MappingPlan } from "./Plan.js";
import { customFields } from "./schemaChanges.js";

/** A warning a person should read before confirming. */
export interface PlanWarning {
  /** Stable code, such as `custom-field-cap`. */
  readonly code: string;
  readonly message: string;
}

/** Custom fields the plan would add that the destination does not have yet. */
export const missingCustomFields = (plan: MappingPlan, schema: DestinationSchema) =>
  customFields(plan).filter(
    (field) =>
      !(schema.fields[field.kind] ?? []).some(
        (existing) => existing.isCustom && existing.name === field.name,
      ),
  );

/**
 * Checks a plan against a destination's schema.
 *
 * @example
 * ```ts
 * checkPlan(plan, schema); // [{ code: "custom-field-cap", message: "the plan adds 12 custom fields ..." }]
 * ```
 */
export const checkPlan = (
  plan: MappingPlan,
  schema: DestinationSchema,
): ReadonlyArray<PlanWarning> => {
  const warnings: Array<PlanWarning> = [];
  const added = missingCustomFields(plan, schema).length;
  const { customFieldCap: cap, customFieldCount: existing = 0 } = schema.limits;
  if (cap !== undefined && existing + added > cap) {
    warnings.push({
      code: "custom-field-cap",
      message: `the plan adds ${added} custom fields to the ${existing} the account has, beyond its cap of ${cap}; map fewer columns to custom fields or raise the account's plan`,
    });
  }

  const queued = plan.owners
    .filter((owner) => owner.action === "queue")
    .map((owner) => owner.email);
  if (queued.length > 0) {
    warnings.push({
      code: "owners-queued",
      message: `records of ${queued.join(", ")} will wait in the reconciliation queue until a user is chosen for them`,
    });
  }
  const review = plan.fields.filter((field) => field.review === true);
  if (review.length > 0) {
    warnings.push({
      code: "columns-to-review",
      message: `${review.length} columns are marked for review and will not move: ${review.map((f) => `${f.object}.${f.column}`).join(", ")}`,
    });
  }
  return warnings;
};
