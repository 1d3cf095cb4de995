/**
 * A contact planned as a person and its organization. The organization is created when none
 * with the same normalized name was planned yet. A contact without a company joins the
 * organization of the lead it belongs to, and is a standalone person when that lead has none.
 * Duplicates by e-mail (and phone, when the plan says so) are queued.
 */
import type { LossyStep, RecordRef, SourceRecord, TransformOutput } from "@ferry/core";

import { makeLossy } from "../internal/outputs.js";
import { holdOf, type OwnerHold } from "./holdOutputs.js";
import { refOf } from "./MappedFields.js";
import type { NoteTarget } from "./NoteTarget.js";
import { companyColumn } from "./planLead.js";
import { planOrganization } from "./planOrganization.js";
import { planPerson } from "./planPerson.js";
import type { RunState } from "./RunState.js";
import { ownerlessStep } from "./resolveOwner.js";
import type { TransformContext } from "./TransformContext.js";

/** A planned contact: its outputs, where its notes go, and its owner hold if any. */
export interface PlannedContact {
  readonly outputs: ReadonlyArray<TransformOutput>;
  readonly target: NoteTarget | undefined;
  readonly hold: OwnerHold | undefined;
  /** The person, organization and owner the contact's other records link to. */
  readonly links: {
    readonly person: RecordRef | undefined;
    readonly org: RecordRef | undefined;
    readonly owner: string | undefined;
  };
}

/** The column of a contact that names the lead it belongs to. */
const leadColumn = "lead_id";

/**
 * Records that the contact's lead id reaches no field, when the plan maps the column nowhere:
 * a Pipedrive person links to no lead or deal, so the field is the only place the link lands.
 */
const leadLinkLoss = (
  record: SourceRecord,
  context: TransformContext,
): ReadonlyArray<LossyStep> => {
  const leadId = record.fields[leadColumn]?.trim() ?? "";
  const mapped = context
    .mappings(record.kind)
    .some((mapping) => mapping.column === leadColumn && mapping.transform !== "reference");
  if (leadId === "" || mapped) return [];
  return [
    makeLossy({
      ref: refOf(record),
      origin: record.origin,
      field: leadColumn,
      code: "lead-link-not-kept",
      message: `${record.origin}: the contact belongs to lead ${leadId}, but the plan maps column ${leadColumn} to no field, so its person does not name the lead; map the column to a person custom field (the proposer uses "Flash Lead lead id")`,
      value: leadId,
    }),
  ];
};

/**
 * Plans the person and organization of one contact. `lead` is the staged lead the contact's
 * `lead_id` names, when there is one.
 *
 * @example
 * ```ts
 * // contact C-1 { full_name: "Ana Lima", email: "ana@x.test", company: "Acme Ltda" }
 * planContact(contact, undefined, context, state).outputs.map((o) => o._tag === "PlannedRecord" && o.kind);
 * // ["organization", "person"]
 * ```
 */
export const planContact = (
  record: SourceRecord,
  lead: SourceRecord | undefined,
  context: TransformContext,
  state: RunState,
): PlannedContact => {
  const owner = context.owner(record);
  const ownerEmail = owner._tag === "Owner" ? owner.email : undefined;
  const own = record.fields[companyColumn(record.kind, context) ?? ""]?.trim() ?? "";
  const leadCompany = lead?.fields[companyColumn(lead.kind, context) ?? ""]?.trim() ?? "";
  const company = own === "" ? leadCompany : own;

  const org = planOrganization(company, record.origin, context.plan, state, ownerEmail);
  // The lead's company names no person: a contact without a name, e-mail, phone or company of
  // its own is rejected.
  const person = planPerson(record, context, state, {
    owner: ownerEmail,
    org: org?.ref,
    company: own,
    custom: {},
  });

  const outputs = [
    ...(org?.record === undefined ? [] : [org.record]),
    ...person.outputs,
    ...leadLinkLoss(record, context),
    ...ownerlessStep(record, owner, context.column(record.kind, "owner")),
  ];
  const target: NoteTarget | undefined =
    person.ref === undefined
      ? undefined
      : {
          link: "person_id",
          ref: person.ref,
          kind: "person",
          ...(ownerEmail === undefined ? {} : { owner: ownerEmail }),
        };
  const hold = holdOf(record, owner, context);
  return { outputs, target, hold, links: { person: person.ref, org: org?.ref, owner: ownerEmail } };
};
