/**
 * Value maps of a proposed plan: stages with their outcomes and the pipeline they form, lead
 * sources and tags as options, and owners by e-mail. Values come from the inventory's findings
 * where the source lists them, else from the columns' distinct values.
 */
import type { DestinationSchema, Finding, Inventory, ValueCount } from "@ferry/core";

import type { FieldMapping, OwnerMapping, PlanPipeline, StageMapping } from "../Plan.js";
import { splitTags } from "../transforms/splitTags.js";
import { classifyStage } from "./classifyStage.js";

/** Name of the pipeline the proposer creates for deal stages. */
export const salesPipeline = "Sales";
/** Name of the pipeline invoice deals go to, and its only stage. */
export const invoicePipeline = { name: "Invoices", stage: "Issued" } as const;
/** Separators tag lists are split on. */
export const tagSeparators = [",", ";", "|"];

/** A listed value with an optional order and probability, as a source may give them. */
interface ListedValue {
  readonly value: string;
  readonly count: number;
  readonly order?: number;
  readonly probability?: number;
}

const asListed = (entry: unknown): ListedValue | undefined => {
  if (entry === null || typeof entry !== "object") return undefined;
  const record = entry as Record<string, unknown>;
  const value = record.value ?? record.name;
  if (typeof value !== "string" || value.trim() === "") return undefined;
  return {
    value: value.trim(),
    count: typeof record.count === "number" ? record.count : 0,
    ...(typeof record.order === "number" ? { order: record.order } : {}),
    ...(typeof record.probability === "number" ? { probability: record.probability } : {}),
  };
};

/** The listed values of every finding with the code (one per kind for owner findings). */
const findingValues = (findings: ReadonlyArray<Finding>, code: string) => {
  const lists = findings
    .filter((finding) => finding.code === code && Array.isArray(finding.details))
    .map((finding) => finding.details as ReadonlyArray<unknown>);
  if (lists.length === 0) return undefined;
  return lists
    .flat()
    .map(asListed)
    .filter((v): v is ListedValue => v !== undefined);
};

/** Distinct values of the columns mapped with a transform. */
const columnValues = (
  inventory: Inventory,
  fields: ReadonlyArray<FieldMapping>,
  transform: FieldMapping["transform"],
): ReadonlyArray<ValueCount> => {
  const columns = fields.filter((field) => field.transform === transform && field.review !== true);
  return columns.flatMap((field) => {
    const object = inventory.objects.find((o) => o.kind === field.object);
    return object?.columns.find((column) => column.name === field.column)?.distinct ?? [];
  });
};

const uniqueValues = (
  values: ReadonlyArray<ListedValue | ValueCount>,
): ReadonlyArray<ListedValue> => {
  const seen = new Map<string, ListedValue>();
  for (const value of values) if (!seen.has(value.value)) seen.set(value.value, value);
  return [...seen.values()];
};

/** The listed values of a finding, else of the mapped columns. */
const listed = (
  inventory: Inventory,
  fields: ReadonlyArray<FieldMapping>,
  code: string,
  transform: FieldMapping["transform"],
) =>
  uniqueValues(
    findingValues(inventory.findings, code) ?? columnValues(inventory, fields, transform),
  );

/** Stages and the sales pipeline they form. */
export const proposeStages = (
  inventory: Inventory,
  fields: ReadonlyArray<FieldMapping>,
): { stages: ReadonlyArray<StageMapping>; pipelines: ReadonlyArray<PlanPipeline> } => {
  const values = listed(inventory, fields, "stages", "stage");
  const classes = values.map((value) => ({ value, cls: classifyStage(value.value) }));
  const dealStages = classes
    .filter((entry) => entry.cls?.to === "deal")
    .sort(
      (a, b) =>
        (a.value.order ?? a.cls?.rank ?? 0) - (b.value.order ?? b.cls?.rank ?? 0) ||
        b.value.count - a.value.count,
    );

  const pipelineStages = dealStages.map((entry, index) => ({
    name: entry.value.value,
    probability:
      entry.value.probability ?? Math.round(((index + 1) / (dealStages.length + 1)) * 100),
  }));
  const pipelines: Array<PlanPipeline> = [
    {
      name: salesPipeline,
      stages: pipelineStages.length > 0 ? pipelineStages : [{ name: "Open" }],
    },
    { name: invoicePipeline.name, stages: [{ name: invoicePipeline.stage }] },
  ];
  const lastStage = pipelines[0]?.stages[pipelines[0].stages.length - 1]?.name;

  const stages = classes.map(({ value, cls }): StageMapping => {
    if (cls === undefined) {
      return {
        value: value.value,
        confidence: 0,
        reason: "no stage keyword matched; set its outcome",
        review: true,
      };
    }
    const reason = `keyword "${cls.keyword}" means ${cls.to}`;
    const base = { value: value.value, to: cls.to, confidence: 0.85, reason };
    if (cls.to === "lead") return { ...base, label: value.value };
    if (cls.to === "deal") return { ...base, pipeline: salesPipeline, stage: value.value };
    if (cls.to === "lost")
      return {
        ...base,
        pipeline: salesPipeline,
        ...(lastStage === undefined ? {} : { stage: lastStage }),
      };
    return base;
  });
  return { stages, pipelines };
};

/** Lead sources as options with the exact values found. */
export const proposeLeadSources = (inventory: Inventory, fields: ReadonlyArray<FieldMapping>) =>
  listed(inventory, fields, "lead-sources", "lead-source").map((v) => ({
    value: v.value,
    option: v.value,
  }));

/** Tags as options, split on the separators when they come from the column. */
export const proposeTags = (inventory: Inventory, fields: ReadonlyArray<FieldMapping>) => {
  const fromFinding = findingValues(inventory.findings, "tags");
  const tags =
    fromFinding?.map((v) => v.value) ??
    columnValues(inventory, fields, "tags").flatMap((v) => splitTags(v.value, tagSeparators));
  const unique = [...new Map(tags.map((tag) => [tag.toLowerCase(), tag])).values()];
  return unique.map((tag) => ({ value: tag, option: tag }));
};

const ownerEmails = (
  inventory: Inventory,
  fields: ReadonlyArray<FieldMapping>,
): ReadonlyArray<string> => {
  const team = inventory.objects
    .find((o) => o.kind === "team_member")
    ?.columns.find((c) => c.name === "email");
  const all = [
    ...columnValues(inventory, fields, "owner").map((v) => v.value),
    ...(team?.distinct ?? []).map((v) => v.value),
    ...(findingValues(inventory.findings, "owner-not-in-team") ?? []).map((v) => v.value),
  ];
  return [
    ...new Set(
      all.map((email) => email.trim().toLowerCase()).filter((email) => email.includes("@")),
    ),
  ];
};

/** Owners: users with the same e-mail, else held in the queue until a person decides. */
export const proposeOwners = (
  inventory: Inventory,
  fields: ReadonlyArray<FieldMapping>,
  destination: DestinationSchema | undefined,
): ReadonlyArray<OwnerMapping> => {
  const inactive = new Set(
    (findingValues(inventory.findings, "owner-inactive") ?? []).map((v) => v.value.toLowerCase()),
  );
  return ownerEmails(inventory, fields).map((email): OwnerMapping => {
    const user = destination?.users.find((u) => u.email.trim().toLowerCase() === email);
    const active = !inactive.has(email);
    if (user !== undefined) {
      return {
        email,
        name: user.name,
        action: "user",
        active,
        reason: "a destination user has this e-mail",
      };
    }
    const known =
      destination === undefined
        ? "the destination's users are not known"
        : "no destination user has this e-mail";
    return {
      email,
      action: "queue",
      active,
      reason: `${known}; adding a user takes a paid seat, so records wait in the queue until you choose add or map`,
    };
  });
};
