/**
 * Custom field values. Encoding turns a vocabulary value (an option label, `{ value, currency }`,
 * a `HH:MM` time) into what API v1 or v2 expects for the field's type. Decoding turns what the API
 * returns back into the vocabulary, so read-back values compare with what was written.
 *
 * | type | vocabulary | v2 (`custom_fields`) | v1 (root keys) |
 * | --- | --- | --- | --- |
 * | varchar, text, phone, varchar_auto | string | string | string |
 * | address | string | `{ value }` | string |
 * | double | number | number | number |
 * | monetary | `{ value, currency }` | `{ value, currency }` | `key: value, key_currency` |
 * | enum | option label | option id as a number | option id as a string |
 * | set | option labels | array of numeric ids | comma-joined ids |
 * | date | `YYYY-MM-DD` | same | same |
 * | time | `HH:MM` (UTC) | `{ value: "HH:MM:SS", timezone_name: "UTC" }` | `HH:MM:SS` |
 */
import type { DestinationField, FieldValue } from "@ferry/core";

import type { ApiVersion } from "./TokenCosts.js";

/** Encoded entries (key and value), or a reason the value cannot be encoded. */
export type Encoded =
  | { readonly _tag: "Encoded"; readonly entries: ReadonlyArray<readonly [string, unknown]> }
  | { readonly _tag: "Invalid"; readonly message: string };

const encoded = (...entries: ReadonlyArray<readonly [string, unknown]>): Encoded => ({
  _tag: "Encoded",
  entries,
});

const invalid = (field: DestinationField, expected: string, value: FieldValue): Encoded => ({
  _tag: "Invalid",
  message: `custom field "${field.name}" (${field.type}) expects ${expected}, got ${JSON.stringify(value)}`,
});

const optionId = (field: DestinationField, label: string): string | undefined =>
  field.options.find((option) => option.label === label)?.id ??
  field.options.find((option) => option.label.toLowerCase() === label.toLowerCase())?.id;

const missingOption = (field: DestinationField, label: string): Encoded => ({
  _tag: "Invalid",
  message: `custom field "${field.name}" has no option "${label}"; add it with applySchema`,
});

const encodeEnum = (field: DestinationField, value: FieldValue, version: ApiVersion): Encoded => {
  if (typeof value !== "string") return invalid(field, "an option label", value);
  const id = optionId(field, value);
  if (id === undefined) return missingOption(field, value);
  return encoded([field.key, version === "v2" ? Number(id) : id]);
};

const encodeSet = (field: DestinationField, value: FieldValue, version: ApiVersion): Encoded => {
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
    return invalid(field, "an array of option labels", value);
  }
  const ids: Array<string> = [];
  for (const label of value as ReadonlyArray<string>) {
    const id = optionId(field, label);
    if (id === undefined) return missingOption(field, label);
    if (!ids.includes(id)) ids.push(id);
  }
  return encoded([field.key, version === "v2" ? ids.map(Number) : ids.join(",")]);
};

const encodeMonetary = (
  field: DestinationField,
  value: FieldValue,
  version: ApiVersion,
): Encoded => {
  const money = value as { value?: unknown; currency?: unknown } | null;
  if (
    typeof money !== "object" ||
    money === null ||
    typeof money.value !== "number" ||
    typeof money.currency !== "string"
  ) {
    return invalid(field, "{ value: number, currency: string }", value);
  }
  if (version === "v2")
    return encoded([field.key, { value: money.value, currency: money.currency }]);
  return encoded([field.key, money.value], [`${field.key}_currency`, money.currency]);
};

const encodeTime = (field: DestinationField, value: FieldValue, version: ApiVersion): Encoded => {
  if (typeof value !== "string" || !/^\d{2}:\d{2}(:\d{2})?$/.test(value)) {
    return invalid(field, "a time HH:MM", value);
  }
  const seconds = value.length === 5 ? `${value}:00` : value;
  return encoded([
    field.key,
    version === "v2" ? { value: seconds, timezone_name: "UTC" } : seconds,
  ]);
};

/**
 * Encodes one custom field value for an API version. A `null` value encodes to nothing: unset
 * values are left out of the payload, never sent as null.
 */
export const encodeCustomValue = (
  field: DestinationField,
  value: FieldValue,
  version: ApiVersion,
): Encoded => {
  if (value === null) return encoded();

  switch (field.type) {
    case "varchar":
    case "varchar_auto":
    case "text":
    case "phone":
      return typeof value === "string"
        ? encoded([field.key, value])
        : invalid(field, "a string", value);
    case "address":
      if (typeof value !== "string") return invalid(field, "a string", value);
      return encoded([field.key, version === "v2" ? { value } : value]);
    case "double":
      return typeof value === "number" && Number.isFinite(value)
        ? encoded([field.key, value])
        : invalid(field, "a number", value);
    case "date":
      return typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)
        ? encoded([field.key, value])
        : invalid(field, "a date YYYY-MM-DD", value);
    case "monetary":
      return encodeMonetary(field, value, version);
    case "enum":
      return encodeEnum(field, value, version);
    case "set":
      return encodeSet(field, value, version);
    case "time":
      return encodeTime(field, value, version);
    default:
      return {
        _tag: "Invalid",
        message: `custom field "${field.name}" has type ${field.type}, which Ferry does not write`,
      };
  }
};

const labelOf = (field: DestinationField, id: string): string =>
  field.options.find((option) => option.id === id)?.label ?? id;

/** Splits an option value (a number, `"1,2"` or `[1, 2]`) into id strings. */
export const optionIds = (raw: unknown): ReadonlyArray<string> => {
  if (Array.isArray(raw)) return raw.map((item) => String(item));
  if (typeof raw === "number") return [String(raw)];
  if (typeof raw === "string")
    return raw
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean);
  return [];
};

const unwrapValue = (raw: unknown): unknown =>
  typeof raw === "object" && raw !== null && !Array.isArray(raw) && "value" in raw
    ? (raw as { value: unknown }).value
    : raw;

/**
 * Decodes a custom field value read from the API into the vocabulary, or returns undefined when
 * it is unset. Option ids become labels. A set becomes its labels in the field's option order,
 * whether it came as a comma string or an array. Money becomes `{ value, currency }` and a time
 * `HH:MM`.
 *
 * @param currency the v1 `<key>_currency` sibling, for monetary fields read from v1
 */
export const decodeCustomValue = (
  field: DestinationField,
  raw: unknown,
  currency?: unknown,
): FieldValue | undefined => {
  if (raw === null || raw === undefined || raw === "") return undefined;

  switch (field.type) {
    case "enum": {
      const [id] = optionIds(raw);
      return id === undefined ? undefined : labelOf(field, id);
    }
    case "set": {
      const ids = new Set(optionIds(raw));
      const known = field.options.filter((option) => ids.has(option.id)).map((o) => o.label);
      const unknown = [...ids].filter((id) => !field.options.some((option) => option.id === id));
      return [...known, ...unknown];
    }
    case "monetary": {
      const money = raw as { value?: unknown; currency?: unknown };
      const amount = typeof raw === "object" ? money.value : raw;
      const code = typeof raw === "object" ? money.currency : currency;
      return { value: Number(amount), currency: String(code ?? "") };
    }
    case "double":
      return Number(unwrapValue(raw));
    case "time": {
      const text = String(unwrapValue(raw));
      return text.slice(0, 5);
    }
    default: {
      const value = unwrapValue(raw);
      return value === null || value === undefined ? undefined : (value as FieldValue);
    }
  }
};
