/**
 * E-mail addresses: trimmed, lowercased, and checked against the address shape that mail
 * systems accept in practice (one `@`, a dotted domain, no spaces).
 */
import { fail, type Normalized, succeed } from "./Normalized.js";

// Local part: the atext characters of RFC 5322 and dots. Domain: labels of letters, digits and
// hyphens, with a top-level label of at least two letters.
const emailPattern =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/;

/**
 * Normalizes an e-mail address.
 *
 * @example
 * ```ts
 * normalizeEmail("  Ana.Lima@Example.TEST "); // { ok: true, value: "ana.lima@example.test" }
 * normalizeEmail("ana@"); // { ok: false, reason: "invalid-email", ... }
 * ```
 */
export const normalizeEmail = (raw: string): Normalized<string> => {
  const value = raw.trim().toLowerCase();
  if (value === "") return fail("empty", "the e-mail address is empty");

  if (!emailPattern.test(value)) {
    return fail(
      "invalid-email",
      `"${raw}" is not a valid e-mail address; correct it in the export or map the column elsewhere`,
    );
  }
  return succeed(value);
};
