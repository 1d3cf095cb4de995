/**
 * Dates and timestamps read with the column's detected order and the plan's time zone, in the
 * shapes Pipedrive records carry: `YYYY-MM-DD`, `HH:MM` and ISO 8601 in UTC.
 */
import { type DateOrder, dateRejectionCode, isTimeZone, parseDateValue } from "@ferry/core";

import { fail, type Normalized, succeed } from "./Normalized.js";

/** A parsed date: the calendar date, the time in UTC when the value had one, and the instant. */
export interface DateValue {
  /** `YYYY-MM-DD`, in UTC when the value had a time. */
  readonly date: string;
  /** `HH:MM` in UTC, when the value had a time. */
  readonly time?: string;
  /** `YYYY-MM-DDTHH:MM:SSZ`; midnight in the time zone when the value had no time. */
  readonly timestamp: string;
}

/**
 * Parses a date or timestamp with the column's order and the plan's time zone.
 *
 * @example
 * ```ts
 * normalizeDate("04/03/2024 09:30", "day-first", "UTC");
 * // { ok: true, value: { date: "2024-03-04", time: "09:30", timestamp: "2024-03-04T09:30:00Z" } }
 * ```
 */
export const normalizeDate = (
  raw: string,
  order: DateOrder,
  timeZone?: string,
): Normalized<DateValue> => {
  if (raw.trim() === "") return fail("empty", "the date is empty");
  if (timeZone !== undefined && !isTimeZone(timeZone)) {
    return fail(
      "invalid-time-zone",
      `"${timeZone}" is not an IANA time zone; fix timeZone in the plan`,
    );
  }

  const parsed = parseDateValue(raw, order, timeZone);
  if (!parsed.ok) return fail(dateRejectionCode(parsed.reason), parsed.message);

  if (parsed.iso.length === 10) {
    // A date without a time stands for midnight in the plan's time zone, so that it shows on
    // the same calendar day there.
    const midnight = parseDateValue(`${parsed.date} 00:00`, "year-first", timeZone);
    const timestamp = midnight.ok ? midnight.iso : `${parsed.date}T00:00:00Z`;
    return succeed({ date: parsed.date, timestamp });
  }
  const timestamp = parsed.iso;
  return succeed({
    date: timestamp.slice(0, 10),
    time: timestamp.slice(11, 16),
    timestamp,
  });
};
