/**
 * A notes column on a lead or contact becomes a note on the record it became, dated with the
 * record's creation time (the column mapped as `add_time` or named `created_at`).
 */
import type { PlannedRecord, SourceRecord } from "@ferry/core";
import { paragraphs } from "../internal/html.js";
import { makePlanned } from "../internal/outputs.js";
import { normalizeDate } from "../normalize/normalizeDate.js";
import { refOf } from "./MappedFields.js";
import { type NoteTarget, targetLinks } from "./NoteTarget.js";
import type { TransformContext } from "./TransformContext.js";

/** Reads the record's creation time as a UTC timestamp, when its column parses. */
export const createdAt = (record: SourceRecord, context: TransformContext): string | undefined => {
  const mapped = context
    .mappings(record.kind)
    .find(
      (mapping) =>
        mapping.target !== undefined &&
        "field" in mapping.target &&
        mapping.target.field === "add_time",
    );
  const raw = record.fields[mapped?.column ?? "created_at"] ?? "";
  const settings = context.settings(record.kind);
  const parsed = normalizeDate(raw, settings.dateOrder, settings.timeZone);
  return parsed.ok ? parsed.value.timestamp : undefined;
};

/**
 * Plans the note of a record's notes column, or undefined when the column is empty.
 *
 * @example
 * ```ts
 * // lead L-1 { notes: "Asked for a demo", created_at: "2024-01-02" }
 * planNotesColumn(lead, target, context)?.fields; // { content: "<p>Asked for a demo</p>", add_time: "2024-01-02T00:00:00Z" }
 * ```
 */
export const planNotesColumn = (
  record: SourceRecord,
  target: NoteTarget,
  context: TransformContext,
): PlannedRecord | undefined => {
  const column = context.column(record.kind, "note");
  const text = column === undefined ? "" : (record.fields[column]?.trim() ?? "");
  if (text === "") return undefined;

  const at = createdAt(record, context);
  return makePlanned({
    kind: "note",
    ref: refOf(record),
    origin: record.origin,
    fields: {
      content: paragraphs(text),
      ...(at === undefined ? {} : { add_time: at }),
      ...(target.owner === undefined ? {} : { owner: target.owner }),
    },
    custom: {},
    ...targetLinks(target),
  });
};
