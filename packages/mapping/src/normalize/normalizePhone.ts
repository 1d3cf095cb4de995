/**
 * Phone numbers to E.164 with libphonenumber-js. A number without a country prefix is read with
 * the plan's default phone country.
 */
import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js";

import { fail, type Normalized, succeed } from "./Normalized.js";

/**
 * Normalizes a phone number to E.164.
 *
 * @example
 * ```ts
 * normalizePhone("(11) 91234-5678", "BR"); // { ok: true, value: "+5511912345678" }
 * normalizePhone("12", "BR"); // { ok: false, reason: "invalid-phone", ... }
 * ```
 */
export const normalizePhone = (raw: string, defaultCountry?: string): Normalized<string> => {
  const value = raw.trim();
  if (value === "") return fail("empty", "the phone number is empty");

  // A leading 00 is the international call prefix in most countries.
  const international = value.startsWith("00") ? `+${value.slice(2)}` : value;
  const country = defaultCountry?.toUpperCase() as CountryCode | undefined;
  const parsed = parsePhoneNumberFromString(international, country);

  if (parsed === undefined || !parsed.isValid()) {
    const hint =
      defaultCountry === undefined
        ? "add a country prefix or set defaultPhoneCountry in the plan"
        : `it is not a valid number for ${defaultCountry} and has no other country prefix`;
    return fail("invalid-phone", `"${raw}" is not a valid phone number: ${hint}`);
  }
  return succeed(parsed.number);
};
