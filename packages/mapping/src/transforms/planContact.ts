/**
 * A contact planned as a person and its organization. The organization is created when none
 * with the same normalized name was planned yet, and a contact without a company is a
 * standalone person. Duplicates by e-mail (and phone, when the plan says so) are queued.
 */
import type { RecordRef, SourceRecord, TransformOutput } from "@ferry/core";

import type { NoteTarget } from "./NoteTarget.js";
import { companyColumn } from "./planLead.js";
import { planOrganization } from "./planOrganization.js";
import { planPerson } from "./planPerson.js";
import type { RunState } from "./RunState.js";
import type { TransformContext } from "./TransformContext.js";

/** A planned contact: its outputs, where its notes go, and its owner hold if any. */
export interface PlannedContact {
  readonly outputs: ReadonlyArray<TransformOutput>;
  readonly target: NoteTarget | undefined;
  readonly hold: { readonly email: string; readonly message: string } | undefined;
  /** The person, organization and owner the contact's other records link to. */
  readonly links: {
    readonly person: RecordRef | undefined;
    readonly org: RecordRef | undefined;
    readonly owner: string | undefined;
  };
}

/**
 * Plans the person and organization of one contact.
 *
 * @example
 * ```ts
 * // contact C-1 { full_name: "Ana Lima", email: "ana@x.test", company: "Acme Ltda" }
 * planContact(contact, context, state).outputs.map((o) => o._tag === "PlannedRecord" && o.kind);
 * // ["organization", "person"]
 * ```
 */
export const planContact = (
  record: SourceRecord,
  context: TransformContext,
  state: RunState,
): PlannedContact => {
  const owner = context.owner(record);
  const ownerEmail = owner._tag === "Owner" ? owner.email : undefined;
  const company = record.fields[companyColumn(record.kind, context) ?? ""]?.trim() ?? "";

  const org = planOrganization(company, record.origin, context.plan, state, ownerEmail);
  const person = planPerson(record, context, state, {
    owner: ownerEmail,
    org: org?.ref,
    company,
    custom: {},
  });

  const outputs = [...(org?.record === undefined ? [] : [org.record]), ...person.outputs];
  const target: NoteTarget | undefined =
    person.ref === undefined
      ? undefined
      : {
          link: "person_id",
          ref: person.ref,
          kind: "person",
          ...(ownerEmail === undefined ? {} : { owner: ownerEmail }),
        };
  const hold = owner._tag === "Hold" ? { email: owner.email, message: owner.message } : undefined;
  return { outputs, target, hold, links: { person: person.ref, org: org?.ref, owner: ownerEmail } };
};
