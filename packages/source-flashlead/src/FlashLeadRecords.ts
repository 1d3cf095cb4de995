/**
 * Typed records per object: effect Schemas that narrow a `SourceRecord` to one kind, with the
 * canonical columns as optional string fields beside the custom columns.
 *
 * Every record keeps its origin (file and physical line). Activity records may carry the
 * derived fields `activity_kind`, `timestamp_iso`, and `from_stage` and `to_stage` read from
 * the text.
 */
import { Origin, RecordWarning, type SourceItem } from "@ferry/core";
import { Schema } from "effect";

import { canonicalColumns, type FlashLeadKind } from "./FlashLeadKind.js";

const optionalStrings = (names: ReadonlyArray<string>) =>
  Object.fromEntries(names.map((name) => [name, Schema.optional(Schema.String)])) as Record<
    string,
    Schema.optional<typeof Schema.String>
  >;

const recordOf = <K extends FlashLeadKind>(kind: K, extra: ReadonlyArray<string> = []) =>
  Schema.TaggedStruct("SourceRecord", {
    kind: Schema.Literal(kind),
    sourceId: Schema.String,
    fields: Schema.Struct(
      optionalStrings([...canonicalColumns[kind], ...extra]),
      Schema.Record({ key: Schema.String, value: Schema.String }),
    ),
    origin: Origin,
    warnings: Schema.Array(RecordWarning),
  });

/** A lead record. */
export const LeadRecord = recordOf("lead");
export type LeadRecord = typeof LeadRecord.Type;

/** A contact record. */
export const ContactRecord = recordOf("contact");
export type ContactRecord = typeof ContactRecord.Type;

/** An invoice record. */
export const InvoiceRecord = recordOf("invoice");
export type InvoiceRecord = typeof InvoiceRecord.Type;

/** A team member record. */
export const TeamMemberRecord = recordOf("team_member");
export type TeamMemberRecord = typeof TeamMemberRecord.Type;

/** An activity record, with its derived fields. */
export const ActivityRecord = recordOf("activity", ["activity_kind", "timestamp_iso"]);
export type ActivityRecord = typeof ActivityRecord.Type;

/** A social message thread record: the flat conversation text, kept whole. */
export const MessageThreadRecord = recordOf("message_thread");
export type MessageThreadRecord = typeof MessageThreadRecord.Type;

/** The record schema of each kind. */
export const flashLeadRecordSchemas = {
  lead: LeadRecord,
  contact: ContactRecord,
  invoice: InvoiceRecord,
  team_member: TeamMemberRecord,
  activity: ActivityRecord,
  message_thread: MessageThreadRecord,
} as const;

/** The typed record of a kind. */
export type FlashLeadRecord<K extends FlashLeadKind> = (typeof flashLeadRecordSchemas)[K]["Type"];

/**
 * Tells whether an item is a record of the given kind, checked against its schema.
 *
 * @example
 * ```ts
 * if (isFlashLeadRecord("activity", item)) item.fields.activity_kind;
 * ```
 */
export const isFlashLeadRecord = <K extends FlashLeadKind>(
  kind: K,
  item: SourceItem,
): item is SourceItem & FlashLeadRecord<K> =>
  item._tag === "SourceRecord" && item.kind === kind && guards[kind](item);

/** One compiled guard per kind, so checking a record does not compile its schema again. */
const guards: { readonly [K in FlashLeadKind]: (value: unknown) => boolean } = {
  lead: Schema.is(LeadRecord),
  contact: Schema.is(ContactRecord),
  invoice: Schema.is(InvoiceRecord),
  team_member: Schema.is(TeamMemberRecord),
  activity: Schema.is(ActivityRecord),
  message_thread: Schema.is(MessageThreadRecord),
};
