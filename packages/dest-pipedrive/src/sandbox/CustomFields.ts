/**
 * Custom field values in both API formats. Values are stored in the v2 format: option ids as
 * numbers, sets as arrays, monetary as `{ value, currency }`. v2 requests carry them in a
 * `custom_fields` object, checked strictly. v1 requests and responses (leads) carry them as
 * root-level keys, with comma-joined set ids and suffixed subfields such as `<key>_currency`.
 */
import type { Account } from "./Account.js";
import { validationError } from "./ApiError.js";
import type { CustomValues, FieldEntity, FieldRecord } from "./Store.js";
import { isDate } from "./Time.js";
import { check, type Rule } from "./Validation.js";

const textTypes = new Set(["varchar", "varchar_auto", "text", "phone"]);
const addressParts = [
  "route",
  "street_number",
  "subpremise",
  "sublocality",
  "locality",
  "admin_area_level_1",
  "admin_area_level_2",
  "country",
  "postal_code",
  "formatted_address",
] as const;

const optionIds = (field: FieldRecord): Set<number> =>
  new Set((field.options ?? []).map((option) => option.id));

/** Checks one v2 custom field value and returns it as stored. */
const checkV2Value = (
  account: Account,
  field: FieldRecord,
  value: unknown,
  path: string,
): unknown => {
  if (value === null) return null;
  const type = field.field_type;

  if (textTypes.has(type)) {
    check({ type: "string", maxLength: type === "text" ? 65_535 : 255 }, value, path);
    return value;
  }
  switch (type) {
    case "double":
      check({ type: "number" }, value, path);
      return value;
    case "monetary":
      check(
        {
          type: "object",
          properties: { value: { type: "number" }, currency: { type: "string" } },
          required: ["value"],
        },
        value,
        path,
      );
      return { currency: null, ...(value as object) };
    case "enum": {
      check({ type: "integer" }, value, path);
      if (!optionIds(field).has(value as number)) {
        throw validationError(
          path,
          `Option id ${value} does not exist for the field "${field.field_name}"`,
        );
      }
      return value;
    }
    case "set": {
      if (Array.isArray(value) && value.length === 0) {
        throw validationError(
          path,
          "Expected non-empty 'array' as value for multi options custom field",
        );
      }
      check({ type: "array", items: { type: "integer" } }, value, path);
      const known = optionIds(field);
      for (const id of value as Array<number>) {
        if (!known.has(id)) {
          throw validationError(
            path,
            `Option id ${id} does not exist for the field "${field.field_name}"`,
          );
        }
      }
      return [...new Set(value as Array<number>)];
    }
    case "user":
    case "org":
    case "people": {
      check({ type: "integer" }, value, path);
      checkReference(account, type, value as number, path);
      return value;
    }
    case "date":
      check({ type: "string", format: "date" }, value, path);
      return value;
    case "daterange":
      check(
        {
          type: "object",
          properties: {
            value: { type: "string", format: "date" },
            until: { type: "string", format: "date" },
          },
          required: ["value", "until"],
        },
        value,
        path,
      );
      return value;
    case "time":
    case "timerange": {
      const properties: Record<string, Rule> = {
        value: { type: "string" },
        timezone_name: { type: "string" },
        timezone_id: { type: "integer" },
        ...(type === "timerange" ? { until: { type: "string" } } : {}),
      };
      check(
        {
          type: "object",
          properties,
          required: type === "timerange" ? ["value", "until"] : ["value"],
        },
        value,
        path,
      );
      return { timezone_name: null, ...(value as object) };
    }
    case "address": {
      const properties = Object.fromEntries(
        ["value", ...addressParts].map((part) => [
          part,
          { type: "string", nullable: true } as const,
        ]),
      );
      check({ type: "object", properties, required: ["value"] }, value, path);
      const filled: Record<string, unknown> = {};
      for (const part of ["value", ...addressParts])
        filled[part] = (value as Record<string, unknown>)[part] ?? null;
      return filled;
    }
    default:
      return value;
  }
};

const checkReference = (account: Account, type: string, id: number, path: string): void => {
  const collections = account.store.collections;
  const found =
    type === "user"
      ? collections.users.has(id)
      : type === "org"
        ? collections.organizations.get(id)?.is_deleted === false
        : collections.persons.get(id)?.is_deleted === false;
  if (!found)
    throw validationError(
      path,
      `${type === "user" ? "User" : type === "org" ? "Organization" : "Person"} ${id} does not exist`,
    );
};

/**
 * Checks a v2 `custom_fields` object against an entity's custom fields and returns the values to
 * store. Unknown keys, wrong types, `[]` for a set and option ids that do not exist are 400s.
 */
export const parseV2CustomFields = (
  account: Account,
  entity: FieldEntity,
  input: unknown,
): CustomValues => {
  check({ type: "object", properties: {}, open: true }, input, "custom_fields");
  const values: CustomValues = {};
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    const field = account.field(entity, key);
    if (field === undefined || !field.is_custom_field) {
      throw validationError(`custom_fields.${key}`, `Unknown custom field key for ${entity}`);
    }
    values[key] = checkV2Value(account, field, value, `custom_fields.${key}`);
  }
  return values;
};

/** Encodes stored values as a v2 `custom_fields` object: every live custom field, null when unset. */
export const encodeV2CustomFields = (
  account: Account,
  entity: FieldEntity,
  values: CustomValues,
): CustomValues => {
  const encoded: CustomValues = {};
  for (const field of account.customFields(entity))
    encoded[field.field_code] = values[field.field_code] ?? null;
  return encoded;
};

/** Reads a v1 number that may arrive as a number or a numeric string. */
const v1Number = (value: unknown, path: string): number => {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  throw validationError(path, `Expected a number, got ${JSON.stringify(value)}`);
};

const v1OptionId = (field: FieldRecord, value: unknown, path: string): number => {
  const id = v1Number(value, path);
  if (!optionIds(field).has(id)) {
    throw validationError(
      path,
      `Option id ${id} does not exist for the field "${field.field_name}"`,
    );
  }
  return id;
};

/** Converts one v1 value (with its suffixed subfields from `body`) to the stored form. */
const fromV1Value = (field: FieldRecord, body: Record<string, unknown>, path: string): unknown => {
  const key = field.field_code;
  const value = body[key];
  if (value === null || value === "") return null;

  switch (field.field_type) {
    case "double":
      return v1Number(value, path);
    case "monetary":
      return {
        value: v1Number(value, path),
        currency: (body[`${key}_currency`] as string | undefined) ?? null,
      };
    case "enum":
      return v1OptionId(field, value, path);
    case "set": {
      const parts = Array.isArray(value) ? value : String(value).split(",");
      return parts.map((part) =>
        v1OptionId(field, typeof part === "string" ? part.trim() : part, path),
      );
    }
    case "user":
    case "org":
    case "people":
      return v1Number(value, path);
    case "date":
      if (typeof value !== "string" || !isDate(value))
        throw validationError(path, `Expected a date in YYYY-MM-DD format`);
      return value;
    case "daterange":
      return { value, until: body[`${key}_until`] ?? null };
    case "time":
      return { value, timezone_name: body[`${key}_timezone_name`] ?? null };
    case "timerange":
      return {
        value,
        until: body[`${key}_until`] ?? null,
        timezone_name: body[`${key}_timezone_name`] ?? null,
      };
    case "address": {
      const address: Record<string, unknown> = { value };
      for (const part of addressParts) address[part] = body[`${key}_${part}`] ?? null;
      return address;
    }
    default:
      return String(value);
  }
};

/**
 * Reads the root-level v1 custom field keys of a body (leads use the deal fields). Returns the
 * stored values of the keys present; an option id that does not exist is a 400.
 */
export const parseV1CustomFields = (
  account: Account,
  entity: FieldEntity,
  body: Record<string, unknown>,
): CustomValues => {
  const values: CustomValues = {};
  for (const field of account.customFields(entity)) {
    if (!(field.field_code in body)) continue;
    values[field.field_code] = fromV1Value(field, body, field.field_code);
  }
  return values;
};

/** Tells whether a root-level v1 key is a custom field key or one of its suffixed subfields. */
export const isV1CustomKey = (account: Account, entity: FieldEntity, key: string): boolean =>
  account
    .customFields(entity)
    .some((field) => key === field.field_code || key.startsWith(`${field.field_code}_`));

/** Encodes stored values as v1 root-level keys; unset fields are left out, as v1 leads do. */
export const encodeV1CustomFields = (
  account: Account,
  entity: FieldEntity,
  values: CustomValues,
): Record<string, unknown> => {
  const encoded: Record<string, unknown> = {};
  for (const field of account.customFields(entity)) {
    const key = field.field_code;
    const value = values[key];
    if (value === undefined || value === null) continue;
    const object = value as Record<string, unknown>;

    switch (field.field_type) {
      case "monetary":
        encoded[key] = object.value;
        encoded[`${key}_currency`] = object.currency;
        break;
      case "enum":
        encoded[key] = String(value);
        break;
      case "set":
        encoded[key] = (value as Array<number>).join(",");
        break;
      case "daterange":
      case "timerange":
      case "time":
        encoded[key] = object.value;
        if ("until" in object) encoded[`${key}_until`] = object.until;
        if ("timezone_name" in object) encoded[`${key}_timezone_name`] = object.timezone_name;
        break;
      case "address":
        encoded[key] = object.value;
        for (const part of addressParts) encoded[`${key}_${part}`] = object[part] ?? null;
        break;
      default:
        encoded[key] = value;
    }
  }
  return encoded;
};
