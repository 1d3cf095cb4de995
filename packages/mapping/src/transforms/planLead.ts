/**
 * A Flash Lead lead planned as Pipedrive records: its organization, its person (always, since a
 * Pipedrive lead or deal must link to one), and a lead or deal as the lead split decides. The
 * original stage is kept in a custom field on the person and on the lead or deal.
 */
import type {
  FieldValue,
  PlannedRecord,
  QueuedRecord,
  RecordRef,
  SourceRecord,
  TransformOutput,
} from "@ferry/core";
import { makeLossy, makePlanned, makeQueued } from "../internal/outputs.js";
import { type LeadOutcome, splitLead } from "./leadSplit.js";
import { mapFields, refOf } from "./MappedFields.js";
import type { NoteTarget } from "./NoteTarget.js";
import { planOrganization } from "./planOrganization.js";
import { planPerson } from "./planPerson.js";
import type { RunState } from "./RunState.js";
import type { TransformContext } from "./TransformContext.js";

/** A planned lead: its outputs, and where its notes and activities go. */
export interface PlannedLead {
  readonly outputs: ReadonlyArray<TransformOutput>;
  readonly target: NoteTarget | undefined;
  /** The owner hold of the lead, when its owner has no user: every output becomes queued. */
  readonly hold: { readonly email: string; readonly message: string } | undefined;
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

/** Plans the lead or deal for the outcome; undefined for a customer, who is only a person. */
const planMain = (
  record: SourceRecord,
  outcome: LeadOutcome,
  context: TransformContext,
  links: { person: RecordRef | undefined; org: RecordRef | undefined; owner: string | undefined },
  personName: string,
  company: string,
): PlannedRecord | QueuedRecord | undefined => {
  // A lead without a person or an organization has nothing to link to; the person's
  // rejection already accounts for the record.
  if (outcome._tag === "Customer") return undefined;
  if (links.person === undefined && links.org === undefined) return undefined;
  const kind = outcome._tag === "Lead" ? "lead" : "deal";
  if (outcome._tag === "Unmapped") {
    return makeQueued({
      kind: "deal",
      ref: refOf(record),
      origin: record.origin,
      reason: "unmapped-stage",
      message: `${record.origin}: ${outcome.message}`,
      value: outcome.stage,
    });
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
  return makePlanned({
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
};

/**
 * Records the deal columns of a lead that became a customer person: Pipedrive persons have no
 * deal fields, so those values do not move.
 */
const customerLosses = (record: SourceRecord, context: TransformContext) =>
  context
    .mappings(record.kind)
    .filter(
      (mapping) =>
        mapping.target?.kind === "deal" && (record.fields[mapping.column] ?? "").trim() !== "",
    )
    .map((mapping) =>
      makeLossy({
        ref: refOf(record),
        origin: record.origin,
        field: mapping.column,
        code: "deal-field-on-customer",
        message: `${record.origin}: the lead became a customer person, which has no deal fields, so column ${mapping.column} did not move`,
        value: record.fields[mapping.column] ?? "",
      }),
    );

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
  const personRecord = person.outputs.find((output) => output._tag === "PlannedRecord");
  const personName =
    personRecord?._tag === "PlannedRecord" ? String(personRecord.fields.name) : company;

  const links = { person: person.ref, org: org?.ref, owner: ownerEmail };
  const main = planMain(record, outcome, context, links, personName, company);
  const outputs = [...(org?.record === undefined ? [] : [org.record]), ...person.outputs];
  if (main !== undefined) outputs.push(main);
  if (outcome._tag === "Customer") outputs.push(...customerLosses(record, context));

  const hold = owner._tag === "Hold" ? { email: owner.email, message: owner.message } : undefined;
  return { outputs, target: noteTarget(main, person.ref, ownerEmail), hold, links };
};
