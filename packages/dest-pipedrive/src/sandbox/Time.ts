/**
 * Timestamps in the formats of each API version: v2 uses RFC 3339 (`2024-01-02T03:04:05Z`), v1
 * uses `YYYY-MM-DD HH:MM:SS` in UTC, and leads and lead labels use RFC 3339 in v1 too.
 */

/** Formats a time as RFC 3339 in UTC without milliseconds. */
export const rfc3339 = (time: number | Date = Date.now()): string =>
  new Date(time).toISOString().replace(/\.\d{3}Z$/, "Z");

/** Formats a time as v1's `YYYY-MM-DD HH:MM:SS` in UTC. */
export const v1Time = (time: number | Date | string = Date.now()): string =>
  new Date(time).toISOString().slice(0, 19).replace("T", " ");

const v1Pattern = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const rfcPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses v1's `YYYY-MM-DD HH:MM:SS` (UTC) and returns epoch milliseconds, or undefined. */
export const parseV1Time = (value: string): number | undefined => {
  if (!v1Pattern.test(value)) return undefined;
  const time = Date.parse(`${value.replace(" ", "T")}Z`);
  return Number.isNaN(time) ? undefined : time;
};

/** Parses an RFC 3339 timestamp and returns epoch milliseconds, or undefined. */
export const parseRfc3339 = (value: string): number | undefined => {
  if (!rfcPattern.test(value)) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
};

/** Tells whether a string is a real calendar date in `YYYY-MM-DD` form. */
export const isDate = (value: string): boolean =>
  /^\d{4}-\d{2}-\d{2}$/.test(value) &&
  new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
