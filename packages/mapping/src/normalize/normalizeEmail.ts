/**
 * E-mail addresses: trimmed, lowercased, and checked against the address shape that mail
 * systems accept in practice (one `@`, a dotted domain, no spaces), with `isEmailAddress` of
 * @ferry/core.
 */
import { isEmailAddress } from "@ferry/core";

import { fail, type Normalized, succeed } from "./Normalized.js";

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

  if (!isEmailAddress(value)) {
    return fail(
      "invalid-email",
      `"${raw}" is not a valid e-mail address; correct it in the export or map the column elsewhere`,
    );
  }
  return succeed(value);
};
