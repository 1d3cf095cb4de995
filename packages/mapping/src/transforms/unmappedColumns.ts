/**
 * Columns a plan does not migrate, such as those marked for review. Each is recorded as a lossy
 * step the first time a run meets a value in it, so the report lists every column that did not
 * move without one entry per row.
 */
import type { LossyStep, SourceRecord } from "@ferry/core";

import { kindName } from "../internal/kindNames.js";
import { makeLossy } from "../internal/outputs.js";
import type { MappingPlan } from "../Plan.js";
import { refOf } from "./MappedFields.js";

/** Keys `object\0column` of the columns whose values are dropped. */
export const droppedColumns = (plan: MappingPlan): ReadonlySet<string> =>
  new Set(
    plan.fields
      .filter(
        (field) =>
          field.review === true || (field.target === undefined && field.transform === "text"),
      )
      .map((field) => `${field.object}\u0000${field.column}`),
  );

/** The dropped columns of each object, for each set that `droppedColumns` returned. */
const columnsByObject = new WeakMap<
  ReadonlySet<string>,
  ReadonlyMap<string, ReadonlyArray<string>>
>();

const droppedOf = (dropped: ReadonlySet<string>, object: string): ReadonlyArray<string> => {
  let byObject = columnsByObject.get(dropped);
  if (byObject === undefined) {
    const grouped = new Map<string, Array<string>>();
    for (const key of dropped) {
      const [kind = "", column = ""] = key.split("\u0000");
      grouped.set(kind, [...(grouped.get(kind) ?? []), column]);
    }
    byObject = grouped;
    columnsByObject.set(dropped, byObject);
  }
  return byObject.get(object) ?? [];
};

// Every staged record passes through here, and most objects have no dropped column with a value
// left to report, so this check over the few dropped columns skips the walk over every field.
const hasUnreported = (
  record: SourceRecord,
  dropped: ReadonlySet<string>,
  reported: ReadonlySet<string>,
): boolean =>
  droppedOf(dropped, record.kind).some(
    (column) =>
      (record.fields[column] ?? "").trim() !== "" && !reported.has(`${record.kind}\u0000${column}`),
  );

/**
 * Records the dropped columns of a record that have a value and were not reported yet.
 *
 * @example
 * ```ts
 * // lead L-1 { "Budget Range": "10-50k" } with the column marked for review
 * unmappedColumns(lead, dropped, reported); // [lossy { code: "column-not-migrated", field: "Budget Range" }]
 * ```
 */
export const unmappedColumns = (
  record: SourceRecord,
  dropped: ReadonlySet<string>,
  reported: Set<string>,
): ReadonlyArray<LossyStep> => {
  if (!hasUnreported(record, dropped, reported)) return [];

  const steps: Array<LossyStep> = [];
  for (const [column, value] of Object.entries(record.fields)) {
    const key = `${record.kind}\u0000${column}`;
    if (value.trim() === "" || !dropped.has(key) || reported.has(key)) continue;
    reported.add(key);
    steps.push(
      makeLossy({
        ref: refOf(record),
        origin: record.origin,
        field: column,
        code: "column-not-migrated",
        message: `column ${column} of ${kindName(record.kind)} has values but the plan maps it nowhere (first at ${record.origin}); map it in the plan to migrate it`,
        value,
      }),
    );
  }
  return steps;
};
