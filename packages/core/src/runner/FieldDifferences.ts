/**
 * Field-by-field comparison of values Ferry wrote with a record read back from the
 * destination. Verification, conflict detection and the settling of lost updates share it.
 */
import type { ReadBackRecord } from "../Destination.js";
import { jsonEqual } from "../ledger/ContentHash.js";
import type { WrittenValues } from "../ledger/LedgerRows.js";

/** One field whose value differs; custom fields are `custom.<name>`, links `links.<key>`. */
export interface FieldDifference {
  readonly field: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

const isPrimitiveList = (value: unknown): value is ReadonlyArray<string | number> =>
  Array.isArray(value) &&
  value.every((item) => typeof item === "string" || typeof item === "number");

// Lists of plain values are option sets (tags, labels): destinations return them in their own
// order, so they compare as sorted lists. Lists of objects (e-mails, phones) keep their order.
const sameValue = (expected: unknown, found: unknown): boolean => {
  if (isPrimitiveList(expected) && isPrimitiveList(found)) {
    const sort = (list: ReadonlyArray<string | number>) => [...list].map(String).sort();
    return jsonEqual(sort(expected), sort(found));
  }
  return jsonEqual(expected, found);
};

const compareGroup = (
  prefix: string,
  expected: Readonly<Record<string, unknown>>,
  actual: Readonly<Record<string, unknown>>,
  out: Array<FieldDifference>,
) => {
  for (const [key, value] of Object.entries(expected)) {
    const found = actual[key];
    const isEmpty = value === null || value === "";
    const isFoundEmpty = found === undefined || found === null || found === "";
    if (isEmpty && isFoundEmpty) continue;
    if (!sameValue(value, found ?? null)) {
      out.push({ field: `${prefix}${key}`, expected: value, actual: found ?? null });
    }
  }
};

/**
 * Lists the fields of `expected` whose value in the read-back record differs. Only the keys
 * Ferry wrote are compared. An empty string, `null` and a missing value count as equal, and
 * lists of strings or numbers compare without regard to their order.
 */
export const fieldDifferences = (
  expected: WrittenValues,
  actual: ReadBackRecord,
): ReadonlyArray<FieldDifference> => {
  const out: Array<FieldDifference> = [];
  compareGroup("", expected.fields, actual.fields, out);
  compareGroup("custom.", expected.custom, actual.custom, out);
  compareGroup("links.", expected.links, actual.links, out);
  return out;
};

/** Returns the read-back values of the keys Ferry writes, as the journal keeps previous values. */
export const valuesOf = (keys: WrittenValues, actual: ReadBackRecord): WrittenValues => {
  const pick = <V>(wanted: Readonly<Record<string, unknown>>, from: Readonly<Record<string, V>>) =>
    Object.fromEntries(Object.keys(wanted).map((key) => [key, from[key] ?? null])) as Record<
      string,
      V
    >;
  return {
    fields: pick(keys.fields, actual.fields),
    custom: pick(keys.custom, actual.custom),
    links: Object.fromEntries(
      Object.keys(keys.links).flatMap((key) => {
        const value = actual.links[key];
        return value === undefined ? [] : [[key, value]];
      }),
    ),
  };
};
