/**
 * The schema changes a plan needs before records move: its pipelines, the custom fields its
 * mappings and transforms fill (with their options), its lead labels, and the users it adds.
 */
import {
  EnsureField,
  EnsureLabel,
  EnsurePipeline,
  EnsureUser,
  type SchemaChange,
} from "@ferry/core";

import type { MappingPlan } from "./Plan.js";
import { invoiceFields } from "./transforms/planInvoice.js";
import { stageHistoryFields } from "./transforms/stageHistory.js";

type EnsureFieldChange = typeof EnsureField.Type;
type FieldKey = `${string}\u0000${string}`;

const uniqueOptions = (values: ReadonlyArray<string>): ReadonlyArray<string> => [
  ...new Set(values),
];

/** Custom fields the transforms fill, whatever the mappings contain. */
const transformFields = (plan: MappingPlan): ReadonlyArray<EnsureFieldChange> => {
  const routed = (object: string) =>
    plan.routes.some((route) => route.from === object && route.to.length > 0);
  const fields: Array<EnsureFieldChange> = [];
  if (routed("lead")) {
    for (const kind of ["person", "deal"]) {
      fields.push(
        EnsureField.make({ kind, name: plan.leadSplit.originalStageField, type: "varchar" }),
      );
    }
  }
  if (routed("invoice")) {
    fields.push(
      EnsureField.make({ kind: "deal", name: invoiceFields.number, type: "varchar" }),
      EnsureField.make({ kind: "deal", name: invoiceFields.amount, type: "monetary" }),
      EnsureField.make({ kind: "deal", name: invoiceFields.status, type: "varchar" }),
      EnsureField.make({ kind: "deal", name: invoiceFields.issueDate, type: "date" }),
    );
  }
  if (routed("activity") && routed("lead")) {
    fields.push(
      EnsureField.make({ kind: "deal", name: stageHistoryFields.timeInStages, type: "text" }),
      EnsureField.make({
        kind: "deal",
        name: stageHistoryFields.daysInCurrentStage,
        type: "double",
      }),
    );
  }
  return fields;
};

/** Returns the options of a mapped custom field: its plan options, lead sources or tags. */
const optionsFor = (plan: MappingPlan, transform: string, options: ReadonlyArray<string>) => {
  if (transform === "lead-source")
    return uniqueOptions(plan.leadSources.values.map((v) => v.option));
  if (transform === "tags") return uniqueOptions(plan.tags.values.map((v) => v.option));
  return options;
};

/** Custom fields of the plan's mappings; a lead's deal fields serve its Pipedrive lead too. */
export const customFields = (plan: MappingPlan): ReadonlyArray<EnsureFieldChange> => {
  const byKey = new Map<FieldKey, EnsureFieldChange>();
  for (const mapping of plan.fields) {
    const target = mapping.target;
    if (target === undefined || mapping.review === true || !("custom" in target)) continue;
    const kind = target.kind === "lead" ? "deal" : target.kind;
    const options = optionsFor(plan, mapping.transform, target.options ?? []);
    byKey.set(
      `${kind}\u0000${target.custom}`,
      EnsureField.make({ kind, name: target.custom, type: target.type, options }),
    );
  }
  for (const field of transformFields(plan)) byKey.set(`${field.kind}\u0000${field.name}`, field);
  return [...byKey.values()];
};

/**
 * Lists the schema changes of a plan.
 *
 * @example
 * ```ts
 * planSchemaChanges(plan).filter((change) => change._tag === "EnsureUser");
 * // [{ _tag: "EnsureUser", email: "new@x.test", name: "New Seller", isActive: true }]
 * ```
 */
export const planSchemaChanges = (plan: MappingPlan): ReadonlyArray<SchemaChange> => {
  const pipelines = plan.pipelines.map((pipeline) =>
    EnsurePipeline.make({ name: pipeline.name, stages: pipeline.stages }),
  );
  const labels = uniqueOptions(
    plan.stages.flatMap((stage) =>
      stage.to === "lead" && stage.label !== undefined ? [stage.label] : [],
    ),
  ).map((name) => EnsureLabel.make({ kind: "lead", name }));
  const users = plan.owners
    .filter((owner) => owner.action === "add")
    .map((owner) =>
      EnsureUser.make({
        email: owner.email.trim().toLowerCase(),
        name: owner.name ?? owner.email,
        isActive: owner.active,
      }),
    );
  return [...pipelines, ...customFields(plan), ...labels, ...users];
};
