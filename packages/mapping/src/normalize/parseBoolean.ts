/**
 * Booleans written as words or marks in several languages.
 */
import { fail, type Normalized, succeed } from "./Normalized.js";

const truthy = new Set(
  [
    "true",
    "yes",
    "y",
    "1",
    "x",
    "on",
    "active",
    "sim",
    "si",
    "sí",
    "oui",
    "ja",
    "vero",
    "waar",
  ].map((word) => word.normalize("NFC")),
);
const falsy = new Set(
  ["false", "no", "n", "0", "off", "inactive", "não", "nao", "non", "nein", "falso", "onwaar"].map(
    (word) => word.normalize("NFC"),
  ),
);

/**
 * Parses a boolean from words such as `yes`, `sim`, `ja`, `1` or `inactive`.
 *
 * @example
 * ```ts
 * parseBoolean("Sim"); // { ok: true, value: true }
 * parseBoolean("maybe"); // { ok: false, reason: "invalid-boolean", ... }
 * ```
 */
export const parseBoolean = (raw: string): Normalized<boolean> => {
  const value = raw.trim().toLowerCase().normalize("NFC");
  if (truthy.has(value)) return succeed(true);
  if (falsy.has(value)) return succeed(false);
  return fail(
    "invalid-boolean",
    `"${raw}" is not a yes/no value; use yes, no, true, false, 1 or 0`,
  );
};
