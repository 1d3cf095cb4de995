/**
 * Strict validation of v2 request bodies and query strings, the way Pipedrive's v2 API checks
 * them: no type coercion (a number sent as a string is invalid), booleans are true or false only,
 * and unknown parameters are rejected. Every failure is a 400 `Validation failed: <path>: <reason>`.
 */
import { validationError } from "./ApiError.js";
import { isDate, parseRfc3339 } from "./Time.js";

/** A rule for one value. */
export type Rule =
  | {
      readonly type: "string";
      readonly nullable?: boolean;
      readonly oneOf?: ReadonlyArray<string>;
      readonly maxLength?: number;
      readonly format?: "date" | "date-time" | "hh:mm" | "uuid";
      readonly nonEmpty?: boolean;
    }
  | {
      readonly type: "integer";
      readonly nullable?: boolean;
      readonly oneOf?: ReadonlyArray<number>;
      readonly min?: number;
      readonly max?: number;
    }
  | {
      readonly type: "number";
      readonly nullable?: boolean;
      readonly min?: number;
      readonly max?: number;
    }
  | { readonly type: "boolean"; readonly nullable?: boolean }
  | {
      readonly type: "array";
      readonly items: Rule;
      readonly nullable?: boolean;
      readonly minItems?: number;
    }
  | {
      readonly type: "object";
      readonly properties: Readonly<Record<string, Rule>>;
      readonly required?: ReadonlyArray<string>;
      readonly nullable?: boolean;
      /** Allows keys that `properties` does not list. */
      readonly open?: boolean;
    }
  | { readonly type: "any" };

/** Returns the JSON type name of a value, as validation messages print it. */
const typeName = (value: unknown): string => {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
};

const expected = (path: string, type: string, value: unknown): Error =>
  validationError(
    path,
    `Expected '${type}' as value, got ${typeName(value)} ${JSON.stringify(value)}`,
  );

const join = (path: string, key: string): string => (path === "" ? key : `${path}.${key}`);

/** Checks a value against a rule and throws the 400 of its first violation. */
export const check = (rule: Rule, value: unknown, path: string): void => {
  if (rule.type === "any") return;
  if (value === null) {
    if (rule.nullable === true) return;
    throw validationError(path, `Expected '${rule.type}' as value, got null`);
  }

  switch (rule.type) {
    case "string": {
      if (typeof value !== "string") throw expected(path, "string", value);
      if (rule.nonEmpty === true && value.trim() === "")
        throw validationError(path, "Value must not be empty");
      if (rule.maxLength !== undefined && value.length > rule.maxLength) {
        throw validationError(path, `Value is longer than ${rule.maxLength} characters`);
      }
      if (rule.oneOf !== undefined && !rule.oneOf.includes(value)) {
        throw validationError(
          path,
          `Value must be one of ${rule.oneOf.join(", ")}, got "${value}"`,
        );
      }
      checkFormat(rule.format, value, path);
      return;
    }
    case "integer": {
      if (typeof value !== "number" || !Number.isInteger(value))
        throw expected(path, "integer", value);
      checkNumber(rule, value, path);
      if (rule.oneOf !== undefined && !rule.oneOf.includes(value)) {
        throw validationError(path, `Value must be one of ${rule.oneOf.join(", ")}, got ${value}`);
      }
      return;
    }
    case "number": {
      if (typeof value !== "number" || !Number.isFinite(value))
        throw expected(path, "number", value);
      checkNumber(rule, value, path);
      return;
    }
    case "boolean": {
      if (typeof value !== "boolean") throw expected(path, "boolean", value);
      return;
    }
    case "array": {
      if (!Array.isArray(value)) throw expected(path, "array", value);
      if (rule.minItems !== undefined && value.length < rule.minItems) {
        throw validationError(path, `Expected at least ${rule.minItems} items`);
      }
      for (const [index, item] of value.entries()) check(rule.items, item, `${path}[${index}]`);
      return;
    }
    case "object": {
      if (typeof value !== "object" || Array.isArray(value)) throw expected(path, "object", value);
      checkObject(rule, value as Record<string, unknown>, path);
      return;
    }
  }
};

const checkNumber = (rule: { min?: number; max?: number }, value: number, path: string): void => {
  if (rule.min !== undefined && value < rule.min)
    throw validationError(path, `Value must be at least ${rule.min}`);
  if (rule.max !== undefined && value > rule.max)
    throw validationError(path, `Value must be at most ${rule.max}`);
};

const checkFormat = (format: string | undefined, value: string, path: string): void => {
  if (format === "date" && !isDate(value)) {
    throw validationError(path, `Expected a date in YYYY-MM-DD format, got "${value}"`);
  }
  if (format === "date-time" && parseRfc3339(value) === undefined) {
    throw validationError(path, `Expected an RFC 3339 date-time, got "${value}"`);
  }
  if (format === "hh:mm" && !/^([01]\d|2[0-3]):[0-5]\d$/.test(value)) {
    throw validationError(path, `Expected a time in HH:MM format, got "${value}"`);
  }
  if (
    format === "uuid" &&
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
  ) {
    throw validationError(path, `Expected a UUID, got "${value}"`);
  }
};

const checkObject = (
  rule: Extract<Rule, { type: "object" }>,
  value: Record<string, unknown>,
  path: string,
): void => {
  for (const key of rule.required ?? []) {
    if (value[key] === undefined) throw validationError(join(path, key), "Parameter is required");
  }
  for (const [key, item] of Object.entries(value)) {
    const property = rule.properties[key];
    if (property === undefined) {
      if (rule.open === true) continue;
      throw validationError(join(path, key), "Unknown parameter");
    }
    check(property, item, join(path, key));
  }
};

/** Rules for query parameters, which arrive as strings and are converted by their rule's type. */
export type QueryRules = Readonly<Record<string, Rule>>;

/** A query converted by its rules: integers and booleans as such, strings as they came. */
export type ParsedQuery = Record<string, string | number | boolean>;

/**
 * Converts and checks a v2 query string: unknown parameters, integers that are not digits and
 * booleans other than `true`/`false` are 400s.
 */
export const parseQuery = (query: URLSearchParams, rules: QueryRules): ParsedQuery => {
  const parsed: ParsedQuery = {};
  for (const [key, raw] of query) {
    const rule = rules[key];
    if (rule === undefined) throw validationError(key, "Unknown query parameter");
    parsed[key] = convertQueryValue(rule, raw, key);
  }
  return parsed;
};

const convertQueryValue = (rule: Rule, raw: string, key: string): string | number | boolean => {
  if (rule.type === "integer" || rule.type === "number") {
    const pattern = rule.type === "integer" ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/;
    if (!pattern.test(raw))
      throw validationError(key, `Expected '${rule.type}' as value, got "${raw}"`);
    const value = Number(raw);
    check(rule, value, key);
    return value;
  }
  if (rule.type === "boolean") {
    if (raw !== "true" && raw !== "false") {
      throw validationError(key, `Expected 'boolean' (true or false) as value, got "${raw}"`);
    }
    return raw === "true";
  }
  check(rule, raw, key);
  return raw;
};

/** Parses a comma-separated list of integer ids such as `ids=1,2,3`. */
export const parseIdList = (raw: string, key: string, max: number): Array<number> => {
  const ids = raw.split(",").map((part) => part.trim());
  if (ids.some((id) => !/^\d+$/.test(id))) {
    throw validationError(key, `Expected comma-separated integer ids, got "${raw}"`);
  }
  if (ids.length > max)
    throw validationError(key, `At most ${max} ids are allowed, got ${ids.length}`);
  return ids.map(Number);
};
