/**
 * Cell cleaning: placeholders that mean "no value", and the artifacts spreadsheet programs leave
 * in exported cells.
 *
 * A placeholder becomes the empty string and is counted. A `="0612"` wrapper, which Excel users
 * write to keep leading zeros, is unwrapped. A number in scientific notation (`5,58199E+12`)
 * is kept exactly as written and flagged, because the digits it stood for are gone and no
 * conversion can bring them back.
 */

/** Placeholders that count as empty, compared trimmed and in lower case. */
export const placeholders: ReadonlySet<string> = new Set([
  "n/a",
  "#n/a",
  "na/na",
  "null",
  "nil",
  "undefined",
  "-",
  "--",
  "---",
  "not found",
  "(blank)",
  "(empty)",
  "#value!",
  "#ref!",
  "#name?",
  "#div/0!",
  "#null!",
  "#num!",
]);

/** The outcome of cleaning one cell. */
export type CleanCell =
  | { readonly kind: "value"; readonly value: string }
  | { readonly kind: "placeholder"; readonly raw: string }
  | { readonly kind: "unwrapped"; readonly value: string; readonly raw: string }
  | { readonly kind: "digits-lost"; readonly value: string };

/**
 * First characters after which `cleanCell` may change or flag a cell, by ASCII code: the first
 * letters of the placeholders in both cases, `=` of a formula wrapper, and the signs and digits
 * a number in scientific notation starts with.
 */
const mayNeedCleaning = (() => {
  const table = new Uint8Array(128);
  const mark = (character: string) => {
    table[character.toLowerCase().charCodeAt(0)] = 1;
    table[character.toUpperCase().charCodeAt(0)] = 1;
  };
  for (const placeholder of placeholders) mark(placeholder.charAt(0));
  for (const character of "=+-0123456789") mark(character);
  return table;
})();

/**
 * Tells from its first character that `cleanCell` keeps a cell as written, as it does for most
 * cells, so the caller can skip it. A cell that starts with white space or a character outside
 * printable ASCII is never called plain, because trimming may change what follows.
 */
export const isPlainCell = (raw: string): boolean => {
  if (raw.length === 0) return true;
  const first = raw.charCodeAt(0);
  return first > 0x20 && first < 0x7f && mayNeedCleaning[first] === 0;
};

const formulaWrapper = /^="(.*)"$/s;
const scientific = /^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$/;

/**
 * Cleans one cell, which keeps its surrounding spaces unless it is a placeholder or a wrapper.
 *
 * @example
 * ```ts
 * cleanCell("#N/A"); // { kind: "placeholder", raw: "#N/A" }
 * cleanCell('="0612"'); // { kind: "unwrapped", value: "0612", raw: '="0612"' }
 * cleanCell("5,58199E+12"); // { kind: "digits-lost", value: "5,58199E+12" }
 * ```
 */
export const cleanCell = (raw: string): CleanCell => {
  const trimmed = raw.trim();
  if (trimmed === "") return { kind: "value", value: "" };
  if (trimmed.length <= 9 && placeholders.has(trimmed.toLowerCase())) {
    return { kind: "placeholder", raw };
  }

  const wrapped = trimmed.startsWith("=") ? formulaWrapper.exec(trimmed) : null;
  if (wrapped !== null) return { kind: "unwrapped", value: wrapped[1] ?? "", raw };

  const mayBeScientific = trimmed.includes("E") || trimmed.includes("e");
  if (mayBeScientific && scientific.test(trimmed)) return { kind: "digits-lost", value: raw };
  return { kind: "value", value: raw };
};
