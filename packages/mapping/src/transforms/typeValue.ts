/**
 * Types one source value for one field mapping: the normalizer the mapping's transform names,
 * run with the settings of the value's source file.
 */
import type { FieldValue } from "@ferry/core";

import { fail, type Normalized, succeed } from "../normalize/Normalized.js";
import { normalizeDate } from "../normalize/normalizeDate.js";
import { normalizeEmail } from "../normalize/normalizeEmail.js";
import { normalizePhone } from "../normalize/normalizePhone.js";
import { parseBoolean } from "../normalize/parseBoolean.js";
import { parseMoney } from "../normalize/parseMoney.js";
import type { FieldMapping, SourceFileSettings } from "../Plan.js";
import type { TransformContext } from "./TransformContext.js";

/** Reads a plain number with the locale's separators. */
export const parseNumber = (raw: string, locale: string): Normalized<number> => {
  const money = parseMoney(raw, locale, "XXX");
  if (!money.ok) return fail("invalid-number", money.message.replace("an amount", "a number"));
  return succeed(money.value.value);
};

const optionValue = (
  raw: string,
  find: (value: string) => string | undefined,
  what: string,
): Normalized<FieldValue> => {
  const option = find(raw);
  if (option === undefined) {
    return fail(
      `unmapped-${what}`,
      `"${raw}" has no ${what} option in the plan; add it to the plan's ${what} values`,
    );
  }
  return succeed(option);
};

const typeDate = (
  raw: string,
  settings: SourceFileSettings,
  part: "date" | "timestamp",
): Normalized<FieldValue> => {
  const date = normalizeDate(raw, settings.dateOrder, settings.timeZone);
  return date.ok ? succeed(date.value[part]) : date;
};

/**
 * Types a raw value by the mapping's transform. Money becomes `{ value, currency }`; the caller
 * shapes it for its target.
 */
export const typeValue = (
  mapping: FieldMapping,
  raw: string,
  context: TransformContext,
): Normalized<FieldValue> => {
  const settings = context.settings(mapping.object);
  switch (mapping.transform) {
    case "email":
      return normalizeEmail(raw);
    case "phone":
      return normalizePhone(raw, settings.defaultPhoneCountry);
    case "date":
      return typeDate(raw, settings, "date");
    case "datetime":
      return typeDate(raw, settings, "timestamp");
    case "money": {
      const money = parseMoney(raw, settings.numberLocale, settings.defaultCurrency);
      return money.ok ? succeed({ ...money.value }) : money;
    }
    case "currency":
      return /^[A-Za-z]{3}$/.test(raw.trim())
        ? succeed(raw.trim().toUpperCase())
        : fail("invalid-currency", `"${raw}" is not an ISO 4217 currency code such as EUR or BRL`);
    case "number":
      return parseNumber(raw, settings.numberLocale);
    case "boolean":
      return parseBoolean(raw);
    case "lead-source":
      return optionValue(raw, context.leadSource, "lead source");
    default:
      return succeed(raw.trim());
  }
};
