/**
 * A Flash Lead lead planned as Pipedrive records: its organization, its person (always, since a
 * Pipedrive lead or deal must link to one), and a lead or deal as the lead split decides. The
 * original stage is kept in a custom field on the person and on the lead or deal.
 */
import type {
  FieldValue,
  LossyStep,
  PlannedRecord,
  QueuedRecord,
  RecordRef,
  Rejection,
  SourceRecord,
  TransformOutput,
} from "@ferry/core";
import { makeLossy, makePlanned, makeQueued } from "../internal/outputs.js";
import { holdOf, type OwnerHold } from "./holdOutputs.js";
import { type LeadOutcome, splitLead } from "./leadSplit.js";
import { mapFields, refOf, unrecordedProblems } from "./MappedFields.js";
import type { NoteTarget } from "./NoteTarget.js";
import { planOrganization } from "./planOrganization.js";
import { planPerson } from "./planPerson.js";
import type { RunState } from "./RunState.js";
import { ownerlessStep } from "./resolveOwner.js";
import type { TransformContext } from "./TransformContext.js";

/** A planned lead: its outputs, and where its notes and activities go. */
export interface PlannedLead {
  readonly outputs: ReadonlyArray<TransformOutput>;
  readonly target: NoteTarget | undefined;
  /** The owner hold of the lead, when its owner has no user: every output becomes queued. */
  readonly hold: OwnerHold | undefined;
  /** The person, organization and owner the lead's other records link to. */
  readonly links: {
    readonly person: RecordRef | undefined;
    readonly org: RecordRef | undefined;
    readonly owner: string | undefined;
  };
}

/** The column of an object that is mapped to the organization's name. */
export const companyColumn = (object: string, context: TransformContext): string | undefined =>
  context
    .mappings(object)
    .find((mapping) => mapping.target?.kind === "organization" && "field" in mapping.target)
    ?.column;

const title = (fields: Record<string, FieldValue>, person: string, company: string): string => {
  if (typeof fields.title === "string" && fields.title !== "") return fields.title;
  if (company === "") return person;
  return person === company ? company : `${person} (${company})`;
};

/** The lead or deal planned for a source lead, and the problems of its deal columns. */
interface PlannedMain {
  readonly record: PlannedRecord | QueuedRecord | undefined;
  readonly problems: ReadonlyArray<Rejection | LossyStep>;
}

/** Plans the lead or deal for the outcome; no record for a customer, who is only a person. */
const planMain = (
  record: SourceRecord,
  outcome: LeadOutcome,
  context: TransformContext,
  links: { person: RecordRef | undefined; org: RecordRef | undefined; owner: string | undefined },
  personName: string,
  company: string,
): PlannedMain => {
  // A lead without a person or an organization has nothing to link to; the person's
  // rejection already accounts for the record.
  if (outcome._tag === "Customer") return { record: undefined, problems: [] };
  if (links.person === undefined && links.org === undefined) {
    return { record: undefined, problems: [] };
  }
  const kind = outcome._tag === "Lead" ? "lead" : "deal";
  if (outcome._tag === "Unmapped") {
    const queued = makeQueued({
      kind: "deal",
      ref: refOf(record),
      origin: record.origin,
      reason: "unmapped-stage",
      message: `${record.origin}: ${outcome.message}`,
      value: outcome.stage,
    });
    return { record: queued, problems: [] };
  }

  const mapped = mapFields(record, "deal", context);
  const visibleTo = context.plan.visibility[kind];
  const fields: Record<string, FieldValue> = {
    ...mapped.fields,
    title: title(mapped.fields, personName, company),
    ...(links.owner === undefined ? {} : { owner: links.owner }),
    ...(visibleTo === undefined ? {} : { visible_to: visibleTo }),
  };
  if (outcome._tag === "Lead" && outcome.label !== undefined) fields.labels = [outcome.label];
  if (outcome._tag === "Deal") {
    fields.pipeline = outcome.pipeline;
    fields.stage = outcome.pipelineStage;
    fields.status = outcome.status;
    if (outcome.probability !== undefined) fields.probability = outcome.probability;
  }
  if (kind === "lead") delete fields.probability;

  const orgKey = kind === "lead" ? "organization_id" : "org_id";
  const planned = makePlanned({
    kind,
    ref: refOf(record),
    origin: record.origin,
    fields,
    custom: { ...mapped.custom, [context.plan.leadSplit.originalStageField]: outcome.stage },
    links: {
      ...(links.person === undefined ? {} : { person_id: links.person }),
      ...(links.org === undefined ? {} : { [orgKey]: links.org }),
    },
    linkKinds: {
      ...(links.person === undefined ? {} : { person_id: "person" }),
      ...(links.org === undefined ? {} : { [orgKey]: "organization" }),
    },
  });
  return { record: planned, problems: mapped.problems };
};

/**
 * Records the deal columns of a lead that became a customer person whose values reached no
 * field of the records planned for the lead. Pipedrive persons have no deal fields, so a column
 * mapped only to the deal did not move, while one also mapped to a person field did.
 */
const customerLosses = (
  record: SourceRecord,
  context: TransformContext,
  outputs: ReadonlyArray<TransformOutput>,
  hasOrganization: boolean,
): ReadonlyArray<LossyStep> => {
  // The organization may have been planned for an earlier record, so it is not among the outputs.
  const reached = new Set(
    outputs.flatMap((output) =>
      output._tag === "PlannedRecord" || output._tag === "QueuedRecord" ? [output.kind] : [],
    ),
  );
  if (hasOrganization) reached.add("organization");
  const mappings = context.mappings(record.kind);
  const moved = new Set(
    mappings
      .filter((mapping) => mapping.target !== undefined && reached.has(mapping.target.kind))
      .map((mapping) => mapping.column),
  );
  const lost = mappings.filter(
    (mapping) =>
      mapping.target?.kind === "deal" &&
      !moved.has(mapping.column) &&
      (record.fields[mapping.column] ?? "").trim() !== "",
  );
  return [...new Set(lost.map((mapping) => mapping.column))].map((column) =>
    makeLossy({
      ref: refOf(record),
      origin: record.origin,
      field: column,
      code: "deal-field-on-customer",
      message: `${record.origin}: the lead became a customer person, which has no deal fields, and the plan maps column ${column} to no person field, so it did not move`,
      value: record.fields[column] ?? "",
    }),
  );
};

/** Picks the target of a lead's notes: its deal or lead, else its person. */
const noteTarget = (
  main: PlannedRecord | QueuedRecord | undefined,
  person: RecordRef | undefined,
  owner: string | undefined,
): NoteTarget | undefined => {
  const withOwner = owner === undefined ? {} : { owner };
  if (main?._tag === "PlannedRecord" && (main.kind === "deal" || main.kind === "lead")) {
    const link = main.kind === "deal" ? "deal_id" : "lead_id";
    return {
      link,
      ref: main.ref,
      kind: main.kind,
      ...(person === undefined ? {} : { person }),
      ...withOwner,
    };
  }
  return person === undefined
    ? undefined
    : { link: "person_id", ref: person, kind: "person", ...withOwner };
};

/**
 * Plans the records of one source lead.
 *
 * @example
 * ```ts
 * // lead L-1, stage "Proposal" (a pipeline stage), company "Acme"
 * planLead(lead, false, context, state).outputs.map((o) => o._tag === "PlannedRecord" && o.kind);
 * // ["organization", "person", "deal"]
 * ```
 */
export const planLead = (
  record: SourceRecord,
  hasInvoice: boolean,
  context: TransformContext,
  state: RunState,
): PlannedLead => {
  const owner = context.owner(record);
  const ownerEmail = owner._tag === "Owner" ? owner.email : undefined;
  const company = record.fields[companyColumn("lead", context) ?? ""]?.trim() ?? "";
  const stage = record.fields[context.column("lead", "stage") ?? ""]?.trim() ?? "";
  const outcome = splitLead(stage, hasInvoice, context);

  const org = planOrganization(company, record.origin, context.plan, state, ownerEmail);
  const person = planPerson(record, context, state, {
    owner: ownerEmail,
    org: org?.ref,
    company,
    custom: stage === "" ? {} : { [context.plan.leadSplit.originalStageField]: stage },
  });
  const personName = person.name ?? company;

  const links = { person: person.ref, org: org?.ref, owner: ownerEmail };
  const main = planMain(record, outcome, context, links, personName, company);
  const outputs: Array<TransformOutput> = [
    ...(org?.record === undefined ? [] : [org.record]),
    ...person.outputs,
  ];
  outputs.push(...unrecordedProblems(main.problems, outputs));
  if (main.record !== undefined) outputs.push(main.record);
  if (outcome._tag === "Customer") {
    outputs.push(...customerLosses(record, context, outputs, org !== undefined));
  }
  outputs.push(...ownerlessStep(record, owner, context.column(record.kind, "owner")));

  const hold = holdOf(record, owner, context);
  return { outputs, target: noteTarget(main.record, person.ref, ownerEmail), hold, links };
};
