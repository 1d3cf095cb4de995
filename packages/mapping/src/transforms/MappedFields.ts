/**
 * Applies a source object's field mappings to one record for one destination kind: typed
 * standard fields, custom fields by name, and a rejection or a lossy step for each value that
 * could not move as it was.
 */
import type {
  FieldValue,
  LossyStep,
  RecordRef,
  Rejection,
  SourceRecord,
  TransformOutput,
} from "@ferry/core";
import { makeLossy, makeRejection } from "../internal/outputs.js";
import type { Money } from "../normalize/parseMoney.js";
import type { FieldMapping } from "../Plan.js";
import { splitTags } from "./splitTags.js";
import type { TransformContext } from "./TransformContext.js";
import { typeValue } from "./typeValue.js";

/** Fields planned for one destination record, and what went wrong on the way. */
export interface MappedFields {
  readonly fields: Record<string, FieldValue>;
  readonly custom: Record<string, FieldValue>;
  readonly problems: Array<Rejection | LossyStep>;
}

// Transforms that structural modules handle (owner, stage, notes, files, joins, names).
const structural = new Set(["stage", "owner", "note", "attachment", "reference"]);
const nameParts = new Set(["first-name", "last-name", "full-name"]);

/**
 * The cell of a column as written, when the source read it as another value (an Excel
 * `="0612"` wrapper) or flagged it (a number in scientific notation whose digits are lost).
 */
const cellAsWritten = (
  record: SourceRecord,
  column: string,
): { readonly code: string; readonly value: string } | undefined => {
  for (const warning of record.warnings) {
    if (warning.column !== column || warning.value === undefined) continue;
    if (warning.code === "excel-wrapper" || warning.code === "digits-lost") {
      return { code: warning.code, value: warning.value };
    }
  }
  return undefined;
};

/**
 * Builds the rejection of one value that could not be typed. The column is named by its
 * header as the file wrote it, and the value is the cell as written. A value the source
 * flagged as a number in scientific notation is rejected as `digits-lost`, whatever its type.
 */
export const valueRejection = (
  record: SourceRecord,
  column: string,
  raw: string,
  code: string,
  message: string,
  context: TransformContext,
): Rejection => {
  const header = context.header(record.origin.file, column);
  const written = cellAsWritten(record, column);
  const base = {
    kind: record.kind,
    origin: record.origin,
    sourceId: record.sourceId,
    column: header,
    value: written?.value ?? raw,
  };
  if (written?.code === "digits-lost") {
    return makeRejection({
      ...base,
      code: "digits-lost",
      message: `${record.origin} column ${header}: "${written.value}" is a number in scientific notation whose digits are lost; take the value from the original system and correct it in the export`,
    });
  }
  const cell = written === undefined ? "" : ` (written ${written.value})`;
  return makeRejection({
    ...base,
    code,
    message: `${record.origin} column ${header}${cell}: ${message}`,
  });
};

/** Adds one contact entry (e-mail or phone) to a person's list; the first is primary. */
const addContact = (fields: Record<string, FieldValue>, key: string, value: string): void => {
  const list = (fields[key] as ReadonlyArray<{ value: string }> | undefined) ?? [];
  if (list.some((entry) => entry.value === value)) return;
  fields[key] = [...list, { value, label: "work", primary: list.length === 0 }];
};

/** Puts a typed value into a standard field, shaped for its key. */
const setStandard = (
  fields: Record<string, FieldValue>,
  field: string,
  value: FieldValue,
): void => {
  if (field === "emails" || field === "phones") {
    addContact(fields, field, String(value));
    return;
  }
  if (typeof value === "object" && value !== null && "currency" in value) {
    const money = value as unknown as Money;
    fields[field] = money.value;
    if (field === "value" && fields.currency === undefined) fields.currency = money.currency;
    return;
  }
  fields[field] = value;
};

/** Puts a typed value into a custom field, shaped for its type. */
const setCustom = (
  custom: Record<string, FieldValue>,
  name: string,
  type: string,
  value: FieldValue,
): void => {
  const isMoney = typeof value === "object" && value !== null && "currency" in value;
  if (isMoney && type !== "monetary") custom[name] = (value as unknown as Money).value;
  else if (typeof value === "boolean") custom[name] = value ? "Yes" : "No";
  else custom[name] = value;
};

/** Maps a tag list to its options, recording each tag the plan has no option for. */
const tagValues = (
  record: SourceRecord,
  mapping: FieldMapping,
  raw: string,
  context: TransformContext,
  problems: Array<Rejection | LossyStep>,
): ReadonlyArray<string> => {
  const options: Array<string> = [];
  for (const tag of splitTags(raw, context.plan.tags.separators)) {
    const option = context.tag(tag);
    const header = context.header(record.origin.file, mapping.column);
    if (option === undefined) problems.push(unmappedTag(record, header, tag));
    else if (!options.includes(option)) options.push(option);
  }
  return options;
};

const unmappedTag = (record: SourceRecord, column: string, tag: string): LossyStep =>
  makeLossy({
    ref: refOf(record),
    origin: record.origin,
    field: column,
    code: "tag-not-in-plan",
    message: `tag "${tag}" has no option in the plan's tags values, so it was left out`,
    value: tag,
  });

/** The identity of a problem: its kind, column, code and value, whatever record kind found it. */
const problemKey = (problem: Rejection | LossyStep): string =>
  problem._tag === "Rejection"
    ? `Rejection\u0000${problem.column ?? ""}\u0000${problem.code}\u0000${problem.value ?? ""}`
    : `LossyStep\u0000${problem.field}\u0000${problem.code}\u0000${problem.value ?? ""}`;

/**
 * Returns the problems that `recorded` does not contain yet. A column mapped to fields of two
 * kinds (a lead's source on its person and its deal) is typed once per kind, and a value that
 * fails fails for both, so the second problem is left out.
 */
export const unrecordedProblems = (
  problems: ReadonlyArray<Rejection | LossyStep>,
  recorded: ReadonlyArray<TransformOutput>,
): ReadonlyArray<Rejection | LossyStep> => {
  const keys = new Set(
    recorded.flatMap((output) =>
      output._tag === "Rejection" || output._tag === "LossyStep" ? [problemKey(output)] : [],
    ),
  );
  return problems.filter((problem) => !keys.has(problemKey(problem)));
};

/** The ref of a source record. */
export const refOf = (record: SourceRecord): RecordRef => ({
  kind: record.kind,
  sourceId: record.sourceId,
});

/** Composes a person's name from the mapped name parts. */
const composeName = (parts: Map<string, string>): string | undefined => {
  const full = parts.get("full-name");
  if (full !== undefined && full !== "") return full;
  const joined = [parts.get("first-name"), parts.get("last-name")]
    .filter((part) => part !== undefined && part !== "")
    .join(" ");
  return joined === "" ? undefined : joined;
};

/**
 * Applies the object's mappings that target `kind` to a record.
 *
 * @example
 * ```ts
 * // lead row { email: " Ana@X.test ", value: "R$ 1.000,50" } with email → person.emails
 * mapFields(record, "person", context).fields; // { emails: [{ value: "ana@x.test", label: "work", primary: true }] }
 * ```
 */
export const mapFields = (
  record: SourceRecord,
  kind: string,
  context: TransformContext,
): MappedFields => {
  const mapped: MappedFields = { fields: {}, custom: {}, problems: [] };
  const names = new Map<string, string>();

  for (const mapping of context.mappings(record.kind)) {
    const target = mapping.target;
    const raw = record.fields[mapping.column] ?? "";
    if (target === undefined || target.kind !== kind || raw.trim() === "") continue;
    if (structural.has(mapping.transform)) continue;
    if (nameParts.has(mapping.transform)) {
      names.set(mapping.transform, raw.trim());
      continue;
    }
    applyOne(record, mapping, raw, context, mapped);
  }

  const name = composeName(names);
  if (name !== undefined)
    mapped.fields[kind === "person" || kind === "organization" ? "name" : "title"] = name;
  return mapped;
};

const applyOne = (
  record: SourceRecord,
  mapping: FieldMapping,
  raw: string,
  context: TransformContext,
  mapped: MappedFields,
): void => {
  const target = mapping.target;
  if (target === undefined) return;

  const typed =
    mapping.transform === "tags"
      ? ({ ok: true, value: tagValues(record, mapping, raw, context, mapped.problems) } as const)
      : typeValue(mapping, raw, context);
  if (!typed.ok) {
    const { reason, message } = typed;
    mapped.problems.push(valueRejection(record, mapping.column, raw, reason, message, context));
    return;
  }
  if (Array.isArray(typed.value) && typed.value.length === 0) return;

  if ("field" in target) {
    setStandard(mapped.fields, target.field, typed.value);
    return;
  }
  const value = shorten(record, mapping.column, target.type, typed.value, context, mapped.problems);
  setCustom(mapped.custom, target.custom, target.type, value);
};

/** Maximum length of Pipedrive `varchar` and `phone` custom field values, in characters. */
export const varcharLimit = 255;

/** Cuts a value that a `varchar` or `phone` field cannot hold, recording the loss. */
const shorten = (
  record: SourceRecord,
  column: string,
  type: string,
  value: FieldValue,
  context: TransformContext,
  problems: Array<Rejection | LossyStep>,
): FieldValue => {
  const limited = type === "varchar" || type === "phone";
  if (!limited || typeof value !== "string" || value.length <= varcharLimit) return value;
  const header = context.header(record.origin.file, column);
  problems.push(
    makeLossy({
      ref: refOf(record),
      origin: record.origin,
      field: header,
      code: "truncated",
      message: `${record.origin} column ${header}: ${value.length} characters cut to the ${varcharLimit} a ${type} field holds; map the column to a text field to keep it whole`,
      value,
    }),
  );
  return value.slice(0, varcharLimit);
};
