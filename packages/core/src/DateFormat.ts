/**
 * Date and time formats: inference of a column's date order and parsing of its values.
 *
 * A column's order (day-first, month-first or year-first) is decided once for the whole column,
 * from the values whose first or second part is above 12, and never guessed row by row. A value
 * is then parsed with that order into a calendar date, an optional time and an optional UTC
 * offset. Separators `-`, `/` and `.` are accepted, years have 2 or 4 digits, and times have
 * optional seconds, an optional AM/PM marker and an optional zone (`Z`, `UTC`, `GMT`, `±HH:MM`,
 * `±HHMM` or `±HH`).
 */

/** Order of the day, month and year parts of a date. */
export type DateOrder = "day-first" | "month-first" | "year-first";

/** The date format of one column, as its values show it. */
export interface DateColumnFormat {
  /** The order for the whole column, or `ambiguous` when no value decides it. */
  readonly order: DateOrder | "ambiguous";
  /** Whether at least one value carries a time of day. */
  readonly hasTime: boolean;
  /** Whether at least one value carries a zone or UTC offset. */
  readonly hasZone: boolean;
  /** The first date value of the column, as written. */
  readonly sample: string;
}

/** The result of parsing one date value. */
export type ParsedDate =
  | {
      readonly ok: true;
      /** Calendar date as `YYYY-MM-DD`. */
      readonly date: string;
      /** Time of day as `HH:MM:SS`, when the value has one. */
      readonly time?: string;
      /** UTC offset in minutes that was applied, from the value or from the time zone. */
      readonly offsetMinutes?: number;
      /** `YYYY-MM-DD` without a time, else the instant in UTC as `YYYY-MM-DDTHH:MM:SSZ`. */
      readonly iso: string;
    }
  | {
      readonly ok: false;
      readonly reason: "not-a-date" | "impossible-date" | "ambiguous";
      readonly message: string;
    };

/** The parts of a date-shaped value, before the order is applied. */
interface DateParts {
  readonly first: string;
  readonly second: string;
  readonly third: string;
  readonly hour?: string;
  readonly minute?: string;
  readonly seconds?: string;
  readonly meridiem?: string;
  readonly zone?: string;
}

const datePattern =
  /^(\d{1,4})([-/.])(\d{1,2})\2(\d{1,4})(?:(?:T|\s+|,\s*)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(?:([AaPp])\.?[Mm]\.?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** Splits a value into its date and time parts, or returns undefined when it is not date-shaped. */
const splitDate = (value: string): DateParts | undefined => {
  const match = datePattern.exec(value.trim());
  if (match === null) return undefined;

  const [, first = "", , second = "", third = "", hour, minute, seconds, meridiem, zone] = match;
  const firstIsYear = first.length === 4;
  if (first.length === 3 || third.length === 3) return undefined;
  if (firstIsYear ? third.length > 2 : third.length !== 2 && third.length !== 4) return undefined;

  return {
    first,
    second,
    third,
    ...(hour === undefined ? {} : { hour }),
    ...(minute === undefined ? {} : { minute }),
    ...(seconds === undefined ? {} : { seconds }),
    ...(meridiem === undefined ? {} : { meridiem }),
    ...(zone === undefined ? {} : { zone }),
  };
};

/** The evidence one value gives about the column's order. */
type OrderEvidence = "year-first" | "day-first" | "month-first" | "undecided" | "invalid";

const evidenceOf = (parts: DateParts): OrderEvidence => {
  if (parts.first.length === 4) return "year-first";

  const a = Number(parts.first);
  const b = Number(parts.second);
  if (a > 12 && b > 12) return "invalid";
  if (a > 12) return "day-first";
  if (b > 12) return "month-first";
  return "undecided";
};

/** An incremental version of `inferDateFormat`, for values that arrive one by one. */
export interface DateFormatInference {
  /**
   * Takes one more value of the column into account, and returns the orders under which
   * `parseDateValue` rejects it (none for an empty value).
   */
  readonly add: (value: string) => ReadonlySet<DateOrder>;
  /** The format the values seen so far show, as `inferDateFormat` would return it. */
  readonly result: () => DateColumnFormat | undefined;
}

/**
 * Makes an incremental date format inference that keeps only a few counters, so a streamed
 * column of any length can be inferred in constant memory.
 *
 * @example
 * ```ts
 * const inference = makeDateFormatInference();
 * for (const value of ["03/04/2024", "15/04/2024"]) inference.add(value);
 * inference.result()?.order; // "day-first"
 * ```
 */
export const makeDateFormatInference = (): DateFormatInference => {
  let dates = 0;
  let others = 0;
  let sample: string | undefined;
  let hasTime = false;
  let hasZone = false;
  const seen = new Set<OrderEvidence>();

  const add = (raw: string): ReadonlySet<DateOrder> => {
    const value = raw.trim();
    if (value === "") return noOrders;

    const parts = splitDate(value);
    if (parts === undefined) {
      others += 1;
      return everyOrder;
    }

    dates += 1;
    sample ??= value;
    hasTime ||= parts.hour !== undefined;
    hasZone ||= parts.zone !== undefined;
    seen.add(evidenceOf(parts));
    return rejectingOrdersOf(value, parts);
  };

  const result = (): DateColumnFormat | undefined => {
    if (sample === undefined || dates < others) return undefined;
    return { order: decideOrder(seen), hasTime, hasZone, sample };
  };

  return { add, result };
};

/**
 * Infers the date format of a column from all its values.
 *
 * Empty values are skipped. The column counts as dates when at least half of its non-empty
 * values are date-shaped, and the others fail later as `not-a-date` when parsed. A value whose
 * first part is above 12 makes the column day-first, one whose second part is above 12 makes it
 * month-first. When values show both, or when no value decides, the order is `ambiguous`.
 * Year-first values (`2024-04-03`) parse the same under every order, so a column holding only
 * those is `year-first`.
 *
 * @example
 * ```ts
 * inferDateFormat(["03/04/2024", "15/04/2024"])?.order; // "day-first"
 * inferDateFormat(["03/04/2024", "05/06/2024"])?.order; // "ambiguous"
 * inferDateFormat(["Acme", "Globex"]); // undefined
 * ```
 */
export const inferDateFormat = (values: Iterable<string>): DateColumnFormat | undefined => {
  const inference = makeDateFormatInference();
  for (const value of values) inference.add(value);
  return inference.result();
};

const decideOrder = (seen: ReadonlySet<OrderEvidence>): DateOrder | "ambiguous" => {
  const dayFirst = seen.has("day-first");
  const monthFirst = seen.has("month-first");
  if (dayFirst && monthFirst) return "ambiguous";
  if (dayFirst) return "day-first";
  if (monthFirst) return "month-first";
  if (seen.has("undecided")) return "ambiguous";
  return "year-first";
};

/** Expands a 2-digit year: 00 to 69 are 2000 to 2069, 70 to 99 are 1970 to 1999 (as POSIX `%y`). */
const fullYear = (year: string): number => {
  const n = Number(year);
  if (year.length === 4) return n;
  return n < 70 ? 2000 + n : 1900 + n;
};

const daysInMonth = (year: number, month: number): number =>
  new Date(Date.UTC(year, month, 0)).getUTCDate();

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

/** Reason a value is not a date. */
export type DateFailureReason = "not-a-date" | "impossible-date" | "ambiguous";

const failure = (reason: DateFailureReason, message: string) =>
  ({ ok: false, reason, message }) as const;

/**
 * Returns the rejection code of a date that could not be parsed, the same in every step that
 * reads dates: `invalid-date`, `impossible-date` or `ambiguous-date`.
 */
export const dateRejectionCode = (reason: DateFailureReason): string => {
  if (reason === "not-a-date") return "invalid-date";
  if (reason === "ambiguous") return "ambiguous-date";
  return "impossible-date";
};

const isCalendarDate = (year: number, month: number, day: number): boolean =>
  month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);

/** Returns the orders (day-first, month-first) under which a value without a leading year is a date. */
const fittingOrders = (parts: DateParts): ReadonlyArray<DateOrder> => {
  const year = fullYear(parts.third);
  const a = Number(parts.first);
  const b = Number(parts.second);
  const orders: Array<DateOrder> = [];
  if (isCalendarDate(year, b, a)) orders.push("day-first");
  if (isCalendarDate(year, a, b)) orders.push("month-first");
  return orders;
};

/**
 * Says what to do with a value that is no date under the column's order: set the order when
 * another order reads it, else correct the value. Values that start with a 4-digit year read the
 * same under every order, so a new order leaves them as they are.
 */
const orderAdvice = (parts: DateParts, order: DateOrder): string => {
  const others = fittingOrders(parts).filter((fitting) => fitting !== order);
  if (others.length === 0) {
    return "it is not a calendar date in any order, so correct it in the export";
  }
  return `it is a date only when read ${others.join(" or ")}, so correct it in the export, or set the column's date order (dateOrder) to ${others.join(" or ")} if the column is written that way`;
};

/** Assigns the year, month and day parts under an order. */
const calendarParts = (
  value: string,
  parts: DateParts,
  order: DateOrder,
): { year: number; month: number; day: number } | ParsedDate => {
  if (parts.first.length === 4) {
    return { year: Number(parts.first), month: Number(parts.second), day: Number(parts.third) };
  }
  if (order === "year-first") {
    if (parts.third.length === 4) {
      const fits = fittingOrders(parts).length > 0;
      return failure(
        fits ? "ambiguous" : "impossible-date",
        `${JSON.stringify(value)} ends with a 4-digit year, but the column is year-first; ${orderAdvice(parts, order)}`,
      );
    }
    return {
      year: fullYear(parts.first),
      month: Number(parts.second),
      day: Number(parts.third),
    };
  }

  const year = fullYear(parts.third);
  const a = Number(parts.first);
  const b = Number(parts.second);
  return order === "day-first" ? { year, month: b, day: a } : { year, month: a, day: b };
};

/** Converts the time parts to 24-hour hours, minutes and seconds, or undefined when impossible. */
const clockParts = (
  parts: DateParts,
): { hour: number; minute: number; second: number } | undefined => {
  let hour = Number(parts.hour);
  const minute = Number(parts.minute);
  const second = parts.seconds === undefined ? 0 : Number(parts.seconds);

  if (parts.meridiem !== undefined) {
    if (hour < 1 || hour > 12) return undefined;
    const isPm = parts.meridiem.toLowerCase() === "p";
    hour = (hour % 12) + (isPm ? 12 : 0);
  }

  if (hour > 23 || minute > 59 || second > 59) return undefined;
  return { hour, minute, second };
};

/** Parses a zone marker into an offset in minutes east of UTC. */
const zoneOffset = (zone: string): number => {
  if (zone === "Z" || zone === "UTC" || zone === "GMT") return 0;

  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  return sign * (hours * 60 + minutes);
};

const formatters = new Map<string, Intl.DateTimeFormat>();

const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
};

/** Computes the offset in minutes of `timeZone` at one instant from Intl's time zone data. */
const computeOffsetAt = (timeZone: string, instant: number): number => {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== "literal") fields[part.type] = Number(part.value);
  }

  const local = Date.UTC(
    fields.year ?? 1970,
    (fields.month ?? 1) - 1,
    fields.day ?? 1,
    fields.hour ?? 0,
    fields.minute ?? 0,
    fields.second ?? 0,
  );
  return Math.round((local - Math.floor(instant / 1000) * 1000) / 60_000);
};

const DAY_MS = 86_400_000;
/** Maximum number of days cached per time zone; the cache of a zone is emptied when full. */
const MAX_CACHED_DAYS = 50_000;
/**
 * Offsets by time zone and UTC day number: the day's offset when it is the same at the first
 * and the last second of the day, `null` when a daylight-saving change falls inside the day.
 */
const dayOffsets = new Map<string, Map<number, number | null>>();

/**
 * Returns the offset in minutes of `timeZone` at one instant. `formatToParts` costs about a
 * microsecond per call, and a run parses every timestamp of the export, so the offset is
 * computed once per zone and UTC day. Days with a change inside them are computed per instant.
 *
 * NOTE: a day counts as constant when its first and last second have the same offset. A zone
 * that changed its offset and changed it back within one UTC day would be read wrong on that
 * day. The tests check six zones through 2024 and find no such day.
 */
const offsetAt = (timeZone: string, instant: number): number => {
  let days = dayOffsets.get(timeZone);
  if (days === undefined) {
    days = new Map();
    dayOffsets.set(timeZone, days);
  }

  const day = Math.floor(instant / DAY_MS);
  let offset = days.get(day);
  if (offset === undefined) {
    const first = computeOffsetAt(timeZone, day * DAY_MS);
    const last = computeOffsetAt(timeZone, (day + 1) * DAY_MS - 1000);
    offset = first === last ? first : null;
    if (days.size >= MAX_CACHED_DAYS) days.clear();
    days.set(day, offset);
  }
  return offset ?? computeOffsetAt(timeZone, instant);
};

/**
 * Returns the offset of `timeZone` for a wall-clock time, read as UTC milliseconds.
 *
 * Details: the offset at the wall-clock time read as UTC is a first guess. When the instant it
 * gives falls on the other side of a daylight-saving change, the offset at that instant is used.
 * A wall-clock time skipped by a change resolves with the offset before the change.
 */
const offsetForLocal = (timeZone: string, wallClock: number): number => {
  const guess = offsetAt(timeZone, wallClock);
  const corrected = offsetAt(timeZone, wallClock - guess * 60_000);
  return corrected === guess ? guess : offsetAt(timeZone, wallClock - corrected * 60_000);
};

/**
 * Tells whether a name is an IANA time zone in Intl's data, so options can be checked once at
 * the edge before `parseDateValue` uses them.
 */
export const isTimeZone = (name: string): boolean => {
  try {
    formatterFor(name);
    return true;
  } catch {
    return false;
  }
};

/**
 * Parses one date value under a column's order.
 *
 * A value that starts with a 4-digit year is year-first whatever the order. `timeZone` (an IANA
 * name such as `Europe/Paris`) applies when the value has a time but no zone. A value with a time
 * and neither a zone nor a `timeZone` is read as UTC, and its result has no `offsetMinutes`.
 *
 * Gotchas: an unknown `timeZone` makes Intl throw a `RangeError`; check it with `isTimeZone`
 * first.
 *
 * @example
 * ```ts
 * parseDateValue("15/04/2024 14:30", "day-first", "Europe/Paris");
 * // { ok: true, date: "2024-04-15", time: "14:30:00", offsetMinutes: 120, iso: "2024-04-15T12:30:00Z" }
 * parseDateValue("31/02/2024", "day-first");
 * // { ok: false, reason: "impossible-date", message: "\"31/02/2024\" is not a calendar date: ..." }
 * ```
 */
export const parseDateValue = (value: string, order: DateOrder, timeZone?: string): ParsedDate => {
  const parts = splitDate(value);
  if (parts === undefined) {
    return failure(
      "not-a-date",
      `${JSON.stringify(value)} is not a date; correct it in the export, written like the column's other dates`,
    );
  }

  const calendar = calendarParts(value, parts, order);
  if ("ok" in calendar) return calendar;

  const { year, month, day } = calendar;
  if (!isCalendarDate(year, month, day)) {
    const advice =
      parts.first.length === 4 ? "correct it in the export" : orderAdvice(parts, order);
    return failure(
      "impossible-date",
      `${JSON.stringify(value)} is not a calendar date: read ${order} it gives day ${day} of month ${month} of ${year}; ${advice}`,
    );
  }

  const date = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  if (parts.hour === undefined) return { ok: true, date, iso: date };

  const clock = clockParts(parts);
  if (clock === undefined) {
    return failure(
      "impossible-date",
      `${JSON.stringify(value)} has an impossible time of day; correct it in the export`,
    );
  }

  return withTime(date, { year, month, day, ...clock }, parts.zone, timeZone);
};

/** Completes a parsed date with its time, its offset and the UTC instant. */
const withTime = (
  date: string,
  at: { year: number; month: number; day: number; hour: number; minute: number; second: number },
  zone: string | undefined,
  timeZone: string | undefined,
): ParsedDate => {
  const time = `${pad(at.hour)}:${pad(at.minute)}:${pad(at.second)}`;
  const wallClock = Date.UTC(at.year, at.month - 1, at.day, at.hour, at.minute, at.second);

  let offsetMinutes: number | undefined;
  if (zone !== undefined) offsetMinutes = zoneOffset(zone);
  else if (timeZone !== undefined) offsetMinutes = offsetForLocal(timeZone, wallClock);

  const instant = new Date(wallClock - (offsetMinutes ?? 0) * 60_000);
  const iso = `${instant.toISOString().slice(0, 19)}Z`;
  return offsetMinutes === undefined
    ? { ok: true, date, time, iso }
    : { ok: true, date, time, offsetMinutes, iso };
};

const dateOrders: ReadonlyArray<DateOrder> = ["day-first", "month-first", "year-first"];

// The eight sets of orders, indexed by a bit per order of `dateOrders`, so that checking a value
// allocates nothing.
const orderSets: ReadonlyArray<ReadonlySet<DateOrder>> = Array.from(
  { length: 8 },
  (_, bits) => new Set(dateOrders.filter((_, index) => (bits & (1 << index)) !== 0)),
);
const noOrders = orderSets[0] ?? new Set<DateOrder>();
const everyOrder = orderSets[7] ?? new Set(dateOrders);

/** Tells whether `parseDateValue` rejects a date-shaped value under one order. */
const rejectsUnder = (value: string, parts: DateParts, order: DateOrder): boolean => {
  const calendar = calendarParts(value, parts, order);
  if ("ok" in calendar) return true;

  // Every month has at least 28 days, so the month's length is looked up only past that.
  const { year, month, day } = calendar;
  if (month < 1 || month > 12 || day < 1) return true;
  if (day > 28 && day > daysInMonth(year, month)) return true;
  return parts.hour !== undefined && clockParts(parts) === undefined;
};

const rejectingOrdersOf = (value: string, parts: DateParts): ReadonlySet<DateOrder> => {
  // A value that starts with a 4-digit year reads the same under every order.
  if (parts.first.length === 4) {
    return rejectsUnder(value, parts, "year-first") ? everyOrder : noOrders;
  }
  let bits = 0;
  for (let index = 0; index < dateOrders.length; index += 1) {
    const order = dateOrders[index] ?? "year-first";
    if (rejectsUnder(value, parts, order)) bits |= 1 << index;
  }
  return orderSets[bits] ?? everyOrder;
};

/**
 * Lists the orders under which `parseDateValue` rejects a value, so that a column can be checked
 * before its order is known. A value that is not date-shaped is rejected under every order. The
 * time zone plays no part: `parseDateValue` accepts a valid time in any zone.
 *
 * @example
 * ```ts
 * rejectingDateOrders("15/04/2024"); // Set { "month-first", "year-first" }
 * rejectingDateOrders("2024-02-30"); // Set { "day-first", "month-first", "year-first" }
 * ```
 */
export const rejectingDateOrders = (value: string): ReadonlySet<DateOrder> => {
  const parts = splitDate(value);
  return parts === undefined ? everyOrder : rejectingOrdersOf(value.trim(), parts);
};
