/**
 * Stable JSON and the content hash of a planned record. Keys are sorted at every depth, so two
 * records with the same values in a different key order hash the same.
 */
import { createHash } from "node:crypto";

/** Serializes a JSON value with object keys sorted at every depth. */
export const stableJson = (value: unknown): string => {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;

  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(",")}}`;
};

/** Returns the SHA-256 of the stable JSON of a value, as 64 hex digits. */
export const contentHash = (value: unknown): string =>
  createHash("sha256").update(stableJson(value)).digest("hex");

/** Tells whether two JSON values are equal, ignoring object key order. */
export const jsonEqual = (a: unknown, b: unknown): boolean => stableJson(a) === stableJson(b);
