/**
 * Removes a secret, such as the API token, from text that came from outside. An API may echo a
 * request header back in an error message, and the message can carry it percent-encoded (once or
 * more), form-encoded, JSON- or HTML-escaped, in another letter case, or base64-encoded. The
 * pattern matches every character of the secret in each of these forms, mixed freely, so
 * `x%2BSECRET` and `x\u002BSECRET` are found as well as `x+SECRET`.
 */

/** Replacement text of a removed secret. */
export const redactedText = "[redacted]";

const escapeRegExp = (text: string): string => text.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");

const hex = (value: number, width: number): string =>
  value.toString(16).toUpperCase().padStart(width, "0");

const namedEntities: Readonly<Record<string, string>> = {
  "&": "amp",
  "<": "lt",
  ">": "gt",
  '"': "quot",
  "'": "apos",
};

const jsonEscapes: Readonly<Record<string, string>> = {
  '"': '\\\\"',
  "\\": "\\\\\\\\",
  "/": "\\\\/",
};

/** Builds the alternatives for one character in each encoding the file header lists. */
const characterForms = (character: string): string => {
  const forms = [escapeRegExp(character)];

  // Percent-encoding of each UTF-8 byte, where each `%25` in front encodes the byte once more.
  const bytes = [...Buffer.from(character, "utf8")];
  forms.push(bytes.map((byte) => `%(?:25)*${hex(byte, 2)}`).join(""));
  if (character === " ") forms.push("\\+");

  // JSON and JavaScript escapes of each UTF-16 code unit.
  const units = [...Array(character.length).keys()].map((index) => character.charCodeAt(index));
  forms.push(units.map((unit) => `\\\\u${hex(unit, 4)}`).join(""));
  const jsonEscape = jsonEscapes[character];
  if (jsonEscape !== undefined) forms.push(jsonEscape);

  // HTML character references.
  const codePoint = character.codePointAt(0) ?? 0;
  forms.push(`&#0*${codePoint};`, `&#x0*${codePoint.toString(16)};`);
  const named = namedEntities[character];
  if (named !== undefined) forms.push(`&${named};`);

  return `(?:${forms.join("|")})`;
};

/**
 * Builds a global, case-insensitive pattern that matches `secret` in every form the file header
 * lists. Returns undefined for an empty secret.
 */
export const secretPattern = (secret: string): RegExp | undefined => {
  if (secret === "") return undefined;
  const characters = [...secret].map(characterForms).join("");
  const base64 = Buffer.from(secret, "utf8").toString("base64");
  const base64Url = Buffer.from(secret, "utf8").toString("base64url");
  const whole = [characters, escapeRegExp(base64), escapeRegExp(base64Url)];
  return new RegExp(whole.join("|"), "gi");
};

/** Replaces every match of `pattern` in `text` with `[redacted]`. */
export const redactText = (text: string, pattern: RegExp | undefined): string =>
  pattern === undefined ? text : text.replace(pattern, redactedText);

/**
 * Copies a parsed JSON value with every match of `pattern` in its strings (keys included)
 * replaced with `[redacted]`. Numbers, booleans and null are returned as they are.
 */
export const redactValue = (value: unknown, pattern: RegExp | undefined): unknown => {
  if (pattern === undefined) return value;
  if (typeof value === "string") return redactText(value, pattern);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, pattern));
  if (typeof value !== "object" || value === null) return value;

  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      redactText(key, pattern),
      redactValue(item, pattern),
    ]),
  );
};
