/**
 * Records of a source object the Flash Lead transforms do not know, routed by the plan to
 * persons, organizations or both: each record is planned through its field mappings alone,
 * with its owner, notes column and attachments.
 */
import type { RecordRef, SourceRecord, TransformOutput } from "@ferry/core";

import type { ObjectRoute } from "../Plan.js";
import { holdOutputs } from "./holdOutputs.js";
import type { NoteTarget } from "./NoteTarget.js";
import { planAttachments } from "./planAttachments.js";
import { companyColumn } from "./planLead.js";
import { planNotesColumn } from "./planNotesColumn.js";
import { planOrganization } from "./planOrganization.js";
import { planPerson } from "./planPerson.js";
import type { RunState } from "./RunState.js";
import { ownerlessStep } from "./resolveOwner.js";
import type { TransformContext } from "./TransformContext.js";

/** Destination kinds a generic route can plan. */
export const genericKinds: ReadonlySet<string> = new Set(["organization", "person"]);

/** Picks the target of the record's notes and files: its person, else its organization. */
const targetOf = (
  person: RecordRef | undefined,
  org: RecordRef | undefined,
  owner: string | undefined,
): NoteTarget | undefined => {
  const withOwner = owner === undefined ? {} : { owner };
  if (person !== undefined) return { link: "person_id", ref: person, kind: "person", ...withOwner };
  if (org !== undefined) return { link: "org_id", ref: org, kind: "organization", ...withOwner };
  return undefined;
};

/**
 * Plans one record of a generic route.
 *
 * @example
 * ```ts
 * // route { from: "people", to: ["organization", "person"] }, row { Name: "Ana", Company: "Acme" }
 * planGeneric(row, route, context, state).map((o) => o._tag === "PlannedRecord" && o.kind);
 * // ["organization", "person"]
 * ```
 */
export const planGeneric = (
  record: SourceRecord,
  route: ObjectRoute,
  context: TransformContext,
  state: RunState,
): ReadonlyArray<TransformOutput> => {
  const owner = context.owner(record);
  const ownerEmail = owner._tag === "Owner" ? owner.email : undefined;
  const company = record.fields[companyColumn(record.kind, context) ?? ""]?.trim() ?? "";
  const outputs: Array<TransformOutput> = [];

  const org = route.to.includes("organization")
    ? planOrganization(company, record.origin, context.plan, state, ownerEmail)
    : undefined;
  if (org?.record !== undefined) outputs.push(org.record);

  let person: RecordRef | undefined;
  if (route.to.includes("person")) {
    const planned = planPerson(record, context, state, {
      owner: ownerEmail,
      org: org?.ref,
      company,
      custom: {},
    });
    outputs.push(...planned.outputs);
    person = planned.ref;
  }

  const target = targetOf(person, org?.ref, ownerEmail);
  if (target !== undefined) {
    const note = planNotesColumn(record, target, context);
    if (note !== undefined) outputs.push(note);
    outputs.push(...planAttachments(record, target, context));
  }
  outputs.push(...ownerlessStep(record, owner, context.column(record.kind, "owner")));
  return owner._tag === "Hold" ? holdOutputs(outputs, owner) : outputs;
};
