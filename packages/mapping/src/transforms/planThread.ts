/**
 * Social message threads (WhatsApp, Instagram, Facebook Messenger and the like) become one note
 * on the person, backdated to the thread's last message, carrying the whole thread text.
 */
import type { PlannedRecord, SourceRecord } from "@ferry/core";
import { paragraphs } from "../internal/html.js";
import { makePlanned } from "../internal/outputs.js";
import { normalizeDate } from "../normalize/normalizeDate.js";
import type { SourceFileSettings } from "../Plan.js";
import { refOf } from "./MappedFields.js";
import { type NoteTarget, targetLinks } from "./NoteTarget.js";

/** Reads the thread's last message time, else its start time, as a UTC timestamp. */
const threadTime = (record: SourceRecord, settings: SourceFileSettings): string | undefined => {
  for (const column of ["last_message_at", "started_at"]) {
    const parsed = normalizeDate(
      record.fields[column] ?? "",
      settings.dateOrder,
      settings.timeZone,
    );
    if (parsed.ok) return parsed.value.timestamp;
  }
  return undefined;
};

/**
 * Plans the note of one message thread on the person it belongs to.
 *
 * @example
 * ```ts
 * planThread(thread, { link: "person_id", ref: { kind: "lead", sourceId: "L-1" }, kind: "person" }, settings);
 * // note { content: "<p>WhatsApp thread, 3 messages</p><p>…</p>", add_time: "2024-03-04T10:00:00Z" }
 * ```
 */
export const planThread = (
  record: SourceRecord,
  target: NoteTarget,
  settings: SourceFileSettings,
): PlannedRecord => {
  const platform = record.fields.platform?.trim() || "Message";
  const count = record.fields.message_count?.trim() ?? "";
  const heading = count === "" ? `${platform} thread` : `${platform} thread, ${count} messages`;
  const at = threadTime(record, settings);

  return makePlanned({
    kind: "note",
    ref: refOf(record),
    origin: record.origin,
    fields: {
      content: paragraphs(heading, record.fields.thread ?? ""),
      ...(at === undefined ? {} : { add_time: at }),
      ...(target.owner === undefined ? {} : { owner: target.owner }),
    },
    custom: {},
    ...targetLinks(target),
  });
};
