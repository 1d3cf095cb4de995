/**
 * Flash Lead activities other than stage transitions. Calls, e-mails and meetings become
 * activities with their original date and time. Notes, messages and other entries become notes
 * backdated to their time. An entry without a usable time is rejected.
 */
import type { PlannedRecord, Rejection, SourceRecord, TransformOutput } from "@ferry/core";

import { paragraphs } from "../internal/html.js";
import { makeLossy, makePlanned, makeRejection } from "../internal/outputs.js";
import { refOf } from "./MappedFields.js";
import { type NoteTarget, targetLinks } from "./NoteTarget.js";

const activityTypes: Readonly<Record<string, string>> = {
  call: "call",
  email: "email",
  meeting: "meeting",
};

/** Formats a duration in minutes (or `H:MM`) as `HH:MM`; undefined when it is not one. */
export const formatDuration = (raw: string): string | undefined => {
  const value = raw.trim();
  const clock = /^(\d{1,2}):(\d{2})(?::\d{2})?$/.exec(value);
  const minutes = clock
    ? Number(clock[1]) * 60 + Number(clock[2])
    : /^\d+(?:[.,]\d+)?\s*(?:m|min|mins|minutes?)?$/i.test(value)
      ? Math.round(Number.parseFloat(value.replace(",", ".")))
      : undefined;
  if (minutes === undefined || minutes >= 24 * 60) return undefined;
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
};

/**
 * Rejects an entry without `timestamp_iso`: its timestamp cell is empty, or the source could
 * not decide the timestamp column's date order (a timestamp that is no date under a decided
 * order is rejected by the source already).
 */
const noTime = (record: SourceRecord): Rejection => {
  const raw = record.fields.timestamp ?? "";
  const message =
    raw.trim() === ""
      ? `${record.origin}: the activity's timestamp cell is empty, so the activity has no date; fill in its date and time in the export`
      : `${record.origin}: the activity's timestamp "${raw}" could not be read as a date, because the date order of the activity log's timestamp column is undecided; set dateOrder of the activity log file in the plan`;
  return makeRejection({
    kind: record.kind,
    origin: record.origin,
    code: "activity-without-time",
    message,
    sourceId: record.sourceId,
    column: "timestamp",
    value: raw,
  });
};

/** Plans an activity for a call, e-mail or meeting. */
const planTyped = (record: SourceRecord, type: string, at: string, target: NoteTarget) => {
  const outputs: Array<TransformOutput> = [];
  const rawDuration = record.fields.duration?.trim() ?? "";
  const duration = rawDuration === "" ? undefined : formatDuration(rawDuration);
  if (rawDuration !== "" && duration === undefined) {
    outputs.push(
      makeLossy({
        ref: refOf(record),
        origin: record.origin,
        field: "duration",
        code: "duration-dropped",
        message: `duration "${rawDuration}" is not minutes or H:MM under a day, so the activity has none`,
        value: rawDuration,
      }),
    );
  }

  const text = record.fields.text?.trim() ?? "";
  const subject = record.fields.subject?.trim() || text.split("\n")[0]?.slice(0, 100) || type;
  const links = {
    [target.link]: target.ref,
    ...(target.person === undefined ? {} : { person_id: target.person }),
  };
  const linkKinds = {
    [target.link]: target.kind,
    ...(target.person === undefined ? {} : { person_id: "person" }),
  };
  outputs.push(
    makePlanned({
      kind: "activity",
      ref: refOf(record),
      origin: record.origin,
      fields: {
        subject,
        type,
        due_date: at.slice(0, 10),
        due_time: at.slice(11, 16),
        done: true,
        ...(duration === undefined ? {} : { duration }),
        ...(text === "" ? {} : { note: paragraphs(text) }),
        ...(target.owner === undefined ? {} : { owner: target.owner }),
      },
      custom: {},
      links,
      linkKinds,
    }),
  );
  return outputs;
};

/** Plans a note for a note, message or other entry of the log. */
const planNote = (record: SourceRecord, at: string, target: NoteTarget): PlannedRecord => {
  const kind = record.fields.activity_kind ?? "other";
  const label = record.fields.type?.trim() || kind;
  return makePlanned({
    kind: "note",
    ref: refOf(record),
    origin: record.origin,
    fields: {
      content:
        paragraphs(`${label} (${at})`, record.fields.subject ?? "", record.fields.text ?? "") ||
        paragraphs(label),
      add_time: at,
      ...(target.owner === undefined ? {} : { owner: target.owner }),
    },
    custom: {},
    ...targetLinks(target),
  });
};

/**
 * Returns the destination kind an activity-log entry becomes: `activity` for calls, e-mails and
 * meetings, `note` for stage transitions and every other entry.
 */
export const activityKindOf = (record: SourceRecord): "activity" | "note" =>
  activityTypes[record.fields.activity_kind ?? ""] === undefined ? "note" : "activity";

/**
 * Plans one activity-log entry that is not a stage transition.
 *
 * @example
 * ```ts
 * // { activity_kind: "call", timestamp_iso: "2024-03-04T09:30:00Z", duration: "15" }
 * planActivity(entry, { link: "deal_id", ref, kind: "deal" });
 * // [activity { type: "call", due_date: "2024-03-04", due_time: "09:30", duration: "00:15", done: true }]
 * ```
 */
export const planActivity = (
  record: SourceRecord,
  target: NoteTarget,
): ReadonlyArray<TransformOutput> => {
  const at = record.fields.timestamp_iso?.trim() ?? "";
  if (at === "") return [noTime(record)];

  const type = activityTypes[record.fields.activity_kind ?? ""];
  return type === undefined ? [planNote(record, at, target)] : planTyped(record, type, at, target);
};
