/**
 * Joins of a page of staged records at once: the invoices, activities and message threads of a
 * page of leads or contacts, the leads a page of contacts belongs to, and whether the leads and
 * contacts a page of joined records names exist. Each join is one `Staging.findMany` or
 * `getMany` call per page instead of one query per record, so only the page and its joined
 * records are in memory.
 */
import type { SourceRecord, StagedRejection, Staging } from "@ferry/core";
import { Effect } from "effect";

import type { RelatedRecords } from "../transforms/planRelated.js";

/** Source kinds joined to leads and contacts, with the field of `RelatedRecords` each fills. */
const joins = [
  ["invoice", "invoices"],
  ["activity", "activities"],
  ["message_thread", "threads"],
] as const;

const none: ReadonlyArray<SourceRecord> = [];

/** Tells whether an id can name a staged record: absent and blank ids never do. */
const isId = (id: string | undefined): id is string => id !== undefined && id.trim() !== "";

/**
 * Returns the ids among `ids` that name a staged record of the kind. Ids are matched exactly,
 * as `Staging.get` matches them.
 */
export const existingIds = (
  staging: Staging,
  kind: string,
  ids: ReadonlyArray<string | undefined>,
): Effect.Effect<ReadonlySet<string>> => {
  const unique = [...new Set(ids.filter(isId))];
  return staging.getMany(kind, unique).pipe(Effect.map((found) => new Set(found.keys())));
};

/** Returns the records joined to each parent of a page, by the parent's source id. */
export const relatedByParent = (
  staging: Staging,
  field: "lead_id" | "contact_id",
  parents: ReadonlyArray<SourceRecord>,
): Effect.Effect<(parent: SourceRecord) => RelatedRecords> => {
  const ids = parents.map((parent) => parent.sourceId);
  return Effect.all(joins.map(([kind]) => staging.findMany(kind, field, ids))).pipe(
    Effect.map(([invoices, activities, threads]) => (parent: SourceRecord) => ({
      invoices: invoices?.get(parent.sourceId) ?? none,
      activities: activities?.get(parent.sourceId) ?? none,
      threads: threads?.get(parent.sourceId) ?? none,
    })),
  );
};

/**
 * Returns the records joined to each contact of a page that no staged lead claims: a joined
 * record whose `lead_id` names a staged lead belongs to that lead instead.
 */
export const unclaimedByContact = (
  staging: Staging,
  contacts: ReadonlyArray<SourceRecord>,
): Effect.Effect<(contact: SourceRecord) => RelatedRecords> =>
  Effect.gen(function* () {
    const related = yield* relatedByParent(staging, "contact_id", contacts);
    const joined = contacts.flatMap((contact) => {
      const { invoices, activities, threads } = related(contact);
      return [...invoices, ...activities, ...threads];
    });
    const leads = yield* existingIds(
      staging,
      "lead",
      joined.map((record) => record.fields.lead_id),
    );
    const unclaimed = (records: ReadonlyArray<SourceRecord>) =>
      records.filter((record) => !leads.has(record.fields.lead_id ?? ""));

    return (contact: SourceRecord) => {
      const { invoices, activities, threads } = related(contact);
      return {
        invoices: unclaimed(invoices),
        activities: unclaimed(activities),
        threads: unclaimed(threads),
      };
    };
  });

/** Returns the staged lead that each contact of a page names in its `lead_id`, if any. */
export const leadsOf = (
  staging: Staging,
  contacts: ReadonlyArray<SourceRecord>,
): Effect.Effect<(contact: SourceRecord) => SourceRecord | undefined> => {
  const ids = [...new Set(contacts.map((contact) => contact.fields.lead_id).filter(isId))];
  return staging
    .getMany("lead", ids)
    .pipe(
      Effect.map((leads) => (contact: SourceRecord) => leads.get(contact.fields.lead_id ?? "")),
    );
};

/** A joined record whose lead and contact are both missing from the staging. */
export interface Orphan {
  readonly record: SourceRecord;
  /** The lead or contact it names whose row was rejected before staging, when there is one. */
  readonly rejectedParent:
    | {
        readonly kind: "lead" | "contact";
        readonly sourceId: string;
        readonly rejection: StagedRejection;
      }
    | undefined;
}

const trimmedIds = (records: ReadonlyArray<SourceRecord>, field: "lead_id" | "contact_id") =>
  [...new Set(records.map((record) => record.fields[field]?.trim() ?? ""))].filter(isId);

/**
 * Finds the lead or contact each orphan names among the rows the source rejected, so that its
 * rejection can point to the row to fix. A rejected lead wins over a rejected contact.
 */
const withRejectedParents = (
  staging: Staging,
  records: ReadonlyArray<SourceRecord>,
): Effect.Effect<ReadonlyArray<Orphan>> =>
  records.length === 0
    ? Effect.succeed([])
    : Effect.all([
        staging.rejections("lead", trimmedIds(records, "lead_id")),
        staging.rejections("contact", trimmedIds(records, "contact_id")),
      ]).pipe(
        Effect.map(([leads, contacts]) =>
          records.map((record): Orphan => {
            for (const [kind, found] of [
              ["lead", leads],
              ["contact", contacts],
            ] as const) {
              const sourceId = record.fields[`${kind}_id`]?.trim() ?? "";
              const rejection = found.get(sourceId);
              if (rejection !== undefined) {
                return { record, rejectedParent: { kind, sourceId, rejection } };
              }
            }
            return { record, rejectedParent: undefined };
          }),
        ),
      );

/**
 * Returns the records of a page whose lead and contact are both missing from the staging, each
 * with the rejected row of the lead or contact it names, when there is one.
 */
export const orphansOf = (
  staging: Staging,
  records: ReadonlyArray<SourceRecord>,
): Effect.Effect<ReadonlyArray<Orphan>> =>
  Effect.all([
    existingIds(
      staging,
      "lead",
      records.map((record) => record.fields.lead_id),
    ),
    existingIds(
      staging,
      "contact",
      records.map((record) => record.fields.contact_id),
    ),
  ]).pipe(
    Effect.map(([leads, contacts]) =>
      records.filter(
        (record) =>
          !leads.has(record.fields.lead_id ?? "") && !contacts.has(record.fields.contact_id ?? ""),
      ),
    ),
    Effect.flatMap((orphans) => withRejectedParents(staging, orphans)),
  );
