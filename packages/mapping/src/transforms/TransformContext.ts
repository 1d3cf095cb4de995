/**
 * The plan indexed once for every transform: the settings of each source file, the field
 * mappings by object, the value maps, and the file lookup on disk.
 */
import { statSync } from "node:fs";

import type { SourceRecord } from "@ferry/core";

import type { FieldMapping, MappingPlan, SourceFileSettings, StageMapping } from "../Plan.js";
import { type OwnerResolution, resolveOwner } from "./resolveOwner.js";

/** Whether the path is a regular file (after links): a folder is never an attachment. */
const isRegularFile = (path: string): boolean => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/** Options of a transform run that are not part of the plan. */
export interface TransformOptions {
  /** Absolute path of the export folder; attachments are resolved inside it. */
  readonly exportFolder?: string;
  /** Tells whether a file exists; defaults to the file system. */
  readonly fileExists?: (path: string) => boolean;
  /** E-mails of the destination's users, lowercased; owners are checked against them. */
  readonly users?: ReadonlySet<string>;
}

/** The plan, indexed for the transforms. */
export interface TransformContext {
  readonly plan: MappingPlan;
  readonly exportFolder: string;
  readonly fileExists: (path: string) => boolean;
  /** Settings of the object's file, or the first file's when the object has none. */
  readonly settings: (object: string) => SourceFileSettings;
  /** Mappings of the object that are migrated: they have a target and are not marked for review. */
  readonly mappings: (object: string) => ReadonlyArray<FieldMapping>;
  /** The column of the object with this transform, if one is mapped. */
  readonly column: (object: string, transform: FieldMapping["transform"]) => string | undefined;
  readonly stage: (value: string) => StageMapping | undefined;
  readonly leadSource: (value: string) => string | undefined;
  readonly tag: (value: string) => string | undefined;
  /** Resolves the owner column of a record. */
  readonly owner: (record: SourceRecord) => OwnerResolution;
  /** Resolves an owner e-mail under the plan's owners and the destination's users. */
  readonly ownerOf: (email: string | undefined) => OwnerResolution;
  /** Destination kinds the plan routes a source object to, empty when it has no route. */
  readonly routeKinds: (object: string) => ReadonlySet<string>;
  /**
   * Returns the header cell of a column as the file wrote it, such as `Phone` for `phone`.
   * When the header is not known, it returns the column name itself.
   */
  readonly header: (file: string, column: string) => string;
}

/** Gives a context the header cells of the staged files, by file and column name. */
export const withColumnHeaders = (
  context: TransformContext,
  headers: ReadonlyMap<string, ReadonlyMap<string, string>>,
): TransformContext => ({
  ...context,
  header: (file, column) => {
    const header = headers.get(file)?.get(column)?.trim();
    return header === undefined || header === "" ? column : header;
  },
});

const fallbackSettings: SourceFileSettings = {
  object: "",
  path: "",
  encoding: "utf-8",
  delimiter: ",",
  dateOrder: "year-first",
  timeZone: "UTC",
  numberLocale: "en-US",
  defaultCurrency: "USD",
  defaultPhoneCountry: "US",
};

const key = (value: string): string => value.trim().toLowerCase();

const lookup = (entries: ReadonlyArray<{ value: string; option: string }>) => {
  const byValue = new Map(entries.map((entry) => [key(entry.value), entry.option]));
  return (value: string): string | undefined => byValue.get(key(value));
};

/** Indexes a plan for the transforms. */
export const makeTransformContext = (
  plan: MappingPlan,
  options: TransformOptions = {},
): TransformContext => {
  const stages = new Map(plan.stages.map((stage) => [key(stage.value), stage]));
  const migrated = plan.fields.filter(
    (field) => field.target !== undefined && field.review !== true,
  );
  const structural = plan.fields.filter((field) => field.review !== true);

  const column = (object: string, transform: FieldMapping["transform"]) =>
    structural.find((field) => field.object === object && field.transform === transform)?.column;
  const byObject = new Map<string, ReadonlyArray<FieldMapping>>();
  const mappings = (object: string) => {
    const known = byObject.get(object);
    if (known !== undefined) return known;
    const found = migrated.filter((field) => field.object === object);
    byObject.set(object, found);
    return found;
  };

  const routeKinds = new Map(plan.routes.map((route) => [route.from, new Set(route.to)]));
  const unrouted: ReadonlySet<string> = new Set();

  const ownerOf = (email: string | undefined) => resolveOwner(email, plan, options.users);

  return {
    plan,
    exportFolder: options.exportFolder ?? plan.location,
    fileExists: options.fileExists ?? isRegularFile,
    settings: (object) =>
      plan.files.find((file) => file.object === object) ?? plan.files[0] ?? fallbackSettings,
    mappings,
    column,
    stage: (value) => stages.get(key(value)),
    leadSource: lookup(plan.leadSources.values),
    tag: lookup(plan.tags.values),
    owner: (record) => ownerOf(record.fields[column(record.kind, "owner") ?? ""]),
    ownerOf,
    routeKinds: (object) => routeKinds.get(object) ?? unrouted,
    header: (_file, column) => column,
  };
};
