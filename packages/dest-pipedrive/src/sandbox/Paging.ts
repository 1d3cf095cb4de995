/**
 * List paging of both API versions. v2 uses an opaque cursor (`additional_data.next_cursor`,
 * null on the last page); v1 uses `start`/`limit` with `additional_data.pagination`. Both allow
 * at most 500 items per page and default to 100.
 */
import { validationError } from "./ApiError.js";
import type { QueryRules } from "./Validation.js";

/** Default page size of both versions. */
export const defaultLimit = 100;

/** Largest page size of both versions. */
export const maxLimit = 500;

/** Query rules shared by every v2 list. */
export const v2PageRules: QueryRules = {
  limit: { type: "integer", min: 1, max: maxLimit },
  cursor: { type: "string" },
};

type Cursor = { readonly after: number } | { readonly offset: number };

const encodeCursor = (cursor: Cursor): string =>
  Buffer.from(JSON.stringify(cursor)).toString("base64url");

const decodeCursor = (raw: string): Cursor => {
  try {
    const parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as Record<
      string,
      unknown
    >;
    if (typeof parsed.after === "number") return { after: parsed.after };
    if (typeof parsed.offset === "number") return { offset: parsed.offset };
  } catch {
    // Falls through to the 400 below.
  }
  throw validationError("cursor", `Invalid cursor "${raw}"`);
};

/** Sorting of a v2 list. */
export interface Sorting {
  readonly sortBy: string;
  readonly direction: "asc" | "desc";
}

/**
 * Returns one v2 page of the records that pass `keep`. Lists sorted by ascending id (the
 * default) walk the records in insertion order, which is id order, so a cursor is the last id;
 * other sorts use an offset cursor.
 */
export const pageV2 = <T extends { readonly id: number }>(
  records: Iterable<T>,
  keep: (record: T) => boolean,
  query: { readonly limit?: unknown; readonly cursor?: unknown },
  sorting: Sorting = { sortBy: "id", direction: "asc" },
): { readonly items: Array<T>; readonly nextCursor: string | null } => {
  const limit = typeof query.limit === "number" ? query.limit : defaultLimit;
  const cursor = typeof query.cursor === "string" ? decodeCursor(query.cursor) : undefined;

  if (
    sorting.sortBy === "id" &&
    sorting.direction === "asc" &&
    (cursor === undefined || "after" in cursor)
  ) {
    const after = cursor === undefined ? 0 : cursor.after;
    const items: Array<T> = [];
    for (const record of records) {
      if (record.id <= after || !keep(record)) continue;
      if (items.length === limit) {
        const last = items[items.length - 1];
        return { items, nextCursor: last === undefined ? null : encodeCursor({ after: last.id }) };
      }
      items.push(record);
    }
    return { items, nextCursor: null };
  }

  const sorted = [...records].filter(keep).sort((a, b) => compareBy(a, b, sorting.sortBy));
  if (sorting.direction === "desc") sorted.reverse();
  const offset = cursor !== undefined && "offset" in cursor ? cursor.offset : 0;
  const items = sorted.slice(offset, offset + limit);
  const nextCursor =
    offset + limit < sorted.length ? encodeCursor({ offset: offset + limit }) : null;
  return { items, nextCursor };
};

const compareBy = (a: { readonly id: number }, b: { readonly id: number }, key: string): number => {
  const left = (a as unknown as Record<string, unknown>)[key];
  const right = (b as unknown as Record<string, unknown>)[key];
  if (left === right) return a.id - b.id;
  if (left === null || left === undefined) return 1;
  if (right === null || right === undefined) return -1;
  return (left as number | string) < (right as number | string) ? -1 : 1;
};

/** Reads v1 `start`/`limit`; values that are not non-negative integers are 400s. */
export const v1Page = (
  query: URLSearchParams,
): { readonly start: number; readonly limit: number } => {
  const start = query.get("start") ?? "0";
  const limit = query.get("limit") ?? String(defaultLimit);
  if (!/^\d+$/.test(start))
    throw validationError("start", `Expected a non-negative integer, got "${start}"`);
  if (!/^\d+$/.test(limit) || Number(limit) < 1)
    throw validationError("limit", `Expected a positive integer, got "${limit}"`);
  return { start: Number(start), limit: Math.min(Number(limit), maxLimit) };
};

/** Slices a v1 page and builds its `additional_data.pagination`. */
export const sliceV1 = <T>(
  items: ReadonlyArray<T>,
  page: { readonly start: number; readonly limit: number },
): { readonly data: Array<T>; readonly additionalData: Record<string, unknown> } => {
  const data = items.slice(page.start, page.start + page.limit);
  const more = page.start + page.limit < items.length;
  const pagination: Record<string, unknown> = {
    start: page.start,
    limit: page.limit,
    more_items_in_collection: more,
  };
  if (more) pagination.next_start = page.start + page.limit;
  return { data, additionalData: { pagination } };
};
