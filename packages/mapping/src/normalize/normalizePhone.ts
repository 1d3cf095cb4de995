/**
 * Phone numbers to E.164 with libphonenumber-js. A number without a country prefix is read with
 * the plan's default phone country.
 */
import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js";

import { fail, type Normalized, succeed } from "./Normalized.js";

/**
 * A number in scientific notation, such as `9,99748E+11`: a spreadsheet's rendering of a long
 * number, whose last digits are gone.
 */
const scientific = /^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$/;

/**
 * Normalizes a phone number to E.164.
 *
 * @example
 * ```ts
 * normalizePhone("(11) 91234-5678", "BR"); // { ok: true, value: "+5511912345678" }
 * normalizePhone("12", "BR"); // { ok: false, reason: "invalid-phone", ... }
 * normalizePhone("9,99748E+11", "GB"); // { ok: false, reason: "digits-lost", ... }
 * ```
 */
export const normalizePhone = (raw: string, defaultCountry?: string): Normalized<string> => {
  const value = raw.trim();
  if (value === "") return fail("empty", "the phone number is empty");
  if (scientific.test(value)) {
    return fail(
      "digits-lost",
      `"${raw}" is a number in scientific notation whose digits are lost, so it is not a phone number; take the number from the original system and correct it in the export`,
    );
  }

  // A leading 00 is the international call prefix in most countries.
  const international = value.startsWith("00") ? `+${value.slice(2)}` : value;
  const country = defaultCountry?.toUpperCase() as CountryCode | undefined;
  const parsed = parsePhoneNumberFromString(international, country);

  if (parsed === undefined || !parsed.isValid()) {
    const hint =
      defaultCountry === undefined
        ? "add a country prefix or set defaultPhoneCountry in the plan"
        : `it is not a valid number for ${defaultCountry} and has no other country prefix; correct it in the export, or write it with its country prefix (such as +44) when it belongs to another country`;
    return fail("invalid-phone", `"${raw}" is not a valid phone number: ${hint}`);
  }
  return succeed(parsed.number);
};
