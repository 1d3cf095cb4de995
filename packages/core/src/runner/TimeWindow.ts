/**
 * Time windows for the API-heavy phases: the runner writes and reads back only inside the
 * window (for example outside business hours in the company's time zone) and waits, or halts,
 * between windows, because the destination's request budget is shared with its users.
 */
import { Schema } from "effect";

const clock = Schema.String.pipe(Schema.pattern(/^([01]\d|2[0-3]):[0-5]\d$/));

/**
 * A daily window in a time zone. When `start` is later than `end` the window spans midnight.
 *
 * @example
 * ```ts
 * const nights: TimeWindow = { start: "19:00", end: "07:00", timeZone: "America/Sao_Paulo" };
 * ```
 */
export const TimeWindow = Schema.Struct({
  /** Opening time, `HH:MM`, inclusive. */
  start: clock,
  /** Closing time, `HH:MM`, exclusive. */
  end: clock,
  /** IANA time zone name, such as `Europe/Berlin`. */
  timeZone: Schema.String,
  /** Days of the week the window opens on, 0 for Sunday; every day when absent. */
  days: Schema.optional(Schema.Array(Schema.Int.pipe(Schema.between(0, 6)))),
});
export type TimeWindow = typeof TimeWindow.Type;

const weekdays: Readonly<Record<string, number>> = {
  Sun: 0,
  Mon: 1,
  Tue: 2,
  Wed: 3,
  Thu: 4,
  Fri: 5,
  Sat: 6,
};

const minutesOf = (hhmm: string): number => {
  const [hours, minutes] = hhmm.split(":");
  return Number(hours) * 60 + Number(minutes);
};

/** Returns the local weekday and minute of the day of an instant in a time zone. */
const localTime = (epochMs: number, timeZone: string) => {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(epochMs));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return {
    weekday: weekdays[part("weekday")] ?? 0,
    minute: Number(part("hour")) * 60 + Number(part("minute")),
  };
};

/**
 * Tells whether an instant lies inside the window. For a window that spans midnight, the day
 * that counts is the day it opened.
 */
export const isInsideWindow = (window: TimeWindow, epochMs: number): boolean => {
  const { weekday, minute } = localTime(epochMs, window.timeZone);
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  const opensOn = (day: number) => window.days === undefined || window.days.includes(day);

  if (start === end) return opensOn(weekday);
  if (start < end) return minute >= start && minute < end && opensOn(weekday);
  if (minute >= start) return opensOn(weekday);
  return minute < end && opensOn((weekday + 6) % 7);
};

/**
 * Returns the milliseconds until the window next opens, 0 when it is open now. The search
 * steps one minute at a time over the next eight days.
 *
 * @throws Error when the window never opens (an empty `days` list).
 */
export const msUntilWindowOpens = (window: TimeWindow, epochMs: number): number => {
  if (isInsideWindow(window, epochMs)) return 0;
  const minute = 60_000;
  const firstMinute = Math.ceil(epochMs / minute) * minute;
  for (let t = firstMinute; t <= epochMs + 8 * 24 * 60 * minute; t += minute) {
    if (isInsideWindow(window, t)) return t - epochMs;
  }
  throw new Error(
    `The time window ${window.start}-${window.end} (${window.timeZone}) never opens; give it at least one day`,
  );
};
