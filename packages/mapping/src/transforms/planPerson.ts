/**
 * Persons planned from a source record: their mapped fields, a name that is never empty, the
 * organization link, and dedupe by e-mail and normalized phone. A duplicate is queued and the
 * records that would have linked to it link to the person planned first.
 */
import type {
  FieldValue,
  PlannedRecord,
  QueuedRecord,
  RecordRef,
  Rejection,
  SourceRecord,
} from "@ferry/core";
import { makePlanned, makeQueued, makeRejection } from "../internal/outputs.js";
import type { MappingPlan } from "../Plan.js";
import { type MappedFields, mapFields, refOf } from "./MappedFields.js";
import type { RunState } from "./RunState.js";
import type { TransformContext } from "./TransformContext.js";

/** A planned person: its outputs and the ref other records link to. */
export interface PlannedPerson {
  readonly outputs: ReadonlyArray<
    PlannedRecord | QueuedRecord | Rejection | MappedFields["problems"][number]
  >;
  /** The person other records link to: this one, or the one it duplicates. */
  readonly ref: RecordRef | undefined;
  /** The record's own person name, also when the person is held as a duplicate. */
  readonly name: string | undefined;
}

const values = (fields: Record<string, FieldValue>, key: string): ReadonlyArray<string> =>
  ((fields[key] as ReadonlyArray<{ value: string }> | undefined) ?? []).map((entry) => entry.value);

/** The dedupe keys of a person under the plan's policy. */
const dedupeKeys = (
  fields: Record<string, FieldValue>,
  plan: MappingPlan,
): ReadonlyArray<string> => [
  ...(plan.dedupe.keys.includes("email") ? values(fields, "emails").map((v) => `email:${v}`) : []),
  ...(plan.dedupe.keys.includes("phone") ? values(fields, "phones").map((v) => `phone:${v}`) : []),
];

/** A name for the person: the mapped name, else the e-mail, phone or company. */
const personName = (fields: Record<string, FieldValue>, company: string | undefined) =>
  (fields.name as string | undefined) ??
  values(fields, "emails")[0] ??
  values(fields, "phones")[0] ??
  (company?.trim() === "" ? undefined : company?.trim());

/** Extra values a caller adds to the person. */
export interface PersonExtras {
  readonly owner: string | undefined;
  readonly org: RecordRef | undefined;
  readonly company: string | undefined;
  readonly custom: Record<string, FieldValue>;
}

/**
 * Plans the person of a source record.
 *
 * @example
 * ```ts
 * // contact C-2 with the e-mail of contact C-1 already planned:
 * planPerson(c2, context, state, extras).ref; // { kind: "contact", sourceId: "C-1" }
 * ```
 */
export const planPerson = (
  record: SourceRecord,
  context: TransformContext,
  state: RunState,
  extras: PersonExtras,
): PlannedPerson => {
  const mapped = mapFields(record, "person", context);
  const ref = refOf(record);
  const name = personName(mapped.fields, extras.company);
  if (name === undefined) {
    const rejection = makeRejection({
      kind: record.kind,
      origin: record.origin,
      code: "person-without-name",
      message: `${record.origin}: the record has no name, e-mail, phone or company to name a person by`,
      sourceId: record.sourceId,
    });
    return { outputs: [...mapped.problems, rejection], ref: undefined, name: undefined };
  }

  const keys = dedupeKeys(mapped.fields, context.plan);
  const first = state.firstPerson(keys);
  if (first !== undefined && context.plan.queue.duplicates) {
    return {
      outputs: [...mapped.problems, duplicate(record, first.key, first.ref)],
      ref: first.ref,
      name,
    };
  }
  state.addPerson(keys, ref);

  const visibleTo = context.plan.visibility.person;
  const person = makePlanned({
    kind: "person",
    ref,
    origin: record.origin,
    fields: {
      ...mapped.fields,
      name,
      ...(extras.owner === undefined ? {} : { owner: extras.owner }),
      ...(visibleTo === undefined ? {} : { visible_to: visibleTo }),
    },
    custom: { ...mapped.custom, ...extras.custom },
    links: extras.org === undefined ? {} : { org_id: extras.org },
  });
  return { outputs: [...mapped.problems, person], ref, name };
};

const duplicate = (record: SourceRecord, key: string, first: RecordRef): QueuedRecord => {
  const [type, value] = [key.slice(0, key.indexOf(":")), key.slice(key.indexOf(":") + 1)];
  return makeQueued({
    kind: "person",
    ref: refOf(record),
    origin: record.origin,
    reason: `duplicate-${type}`,
    message:
      `${record.origin}: ${type} ${value} is already planned for ${first.kind} ${first.sourceId}; ` +
      "this person is held, and its deals, notes and activities link to that one",
    value,
  });
};
