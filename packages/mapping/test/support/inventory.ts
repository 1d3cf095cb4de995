/**
 * Builders of inventories for proposer tests: objects and column profiles as a source's
 * discovery would report them.
 */
import type { ColumnProfile, Finding, InferredType, Inventory, ObjectInventory } from "@ferry/core";

/** Options of one column profile. */
export interface ColumnOptions {
  readonly name?: string;
  readonly samples?: ReadonlyArray<string>;
  readonly distinct?: ReadonlyArray<string>;
  readonly format?: string;
  readonly recognized?: boolean;
}

/** Builds a column profile. */
export const column = (
  header: string,
  inferredType: InferredType,
  options: ColumnOptions = {},
): ColumnProfile => ({
  name: options.name ?? header,
  header,
  inferredType,
  fillRate: inferredType === "empty" ? 0 : 1,
  emptyCount: 0,
  placeholders: [],
  distinctCount: options.distinct?.length ?? 10,
  ...(options.distinct === undefined
    ? {}
    : { distinct: options.distinct.map((value) => ({ value, count: 1 })) }),
  samples: options.samples ?? options.distinct ?? [],
  recognized: options.recognized ?? options.name !== undefined,
  ...(options.format === undefined ? {} : { format: options.format }),
});

/** Builds an object with one file. */
export const object = (
  kind: string,
  columns: ReadonlyArray<ColumnProfile>,
  delimiter = ",",
): ObjectInventory => ({
  kind,
  files: [{ path: `${kind}s.csv`, encoding: "utf-8", delimiter, rows: 10, recognizedBy: "name" }],
  recordCount: 10,
  rejectedCount: 0,
  warningCount: 0,
  columns,
});

/** Builds an inventory. */
export const inventory = (
  objects: ReadonlyArray<ObjectInventory>,
  findings: ReadonlyArray<Finding> = [],
): Inventory => ({ source: "test", location: "/tmp/export", objects, findings, unclassified: [] });
