/**
 * Stable JSON and the content hash of a planned record. Keys are sorted at every depth, so two
 * records with the same values in a different key order hash the same.
 */
import * as crypto from "node:crypto";

/**
 * Serializes a JSON value with object keys sorted at every depth. Keys are sorted by UTF-16
 * code units (the default sort order), and keys whose value is `undefined` are left out. The
 * content hashes in existing ledgers depend on this exact output.
 */
export const stableJson = (value: unknown): string => {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";

  // Plain loops instead of entries/filter/sort/map chains, because every planned record is
  // hashed and the chains allocated several arrays per object.
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ",";
      out += stableJson(value[i]);
    }
    return `${out}]`;
  }

  const object = value as Record<string, unknown>;
  const keys = Object.keys(object).sort();
  let out = "{";
  let first = true;
  for (const key of keys) {
    const item = object[key];
    if (item === undefined) continue;
    if (!first) out += ",";
    out += `${JSON.stringify(key)}:${stableJson(item)}`;
    first = false;
  }
  return `${out}}`;
};

/**
 * Returns the SHA-256 of a text's UTF-8 bytes, as 64 hex digits. Every planned record is
 * hashed, so the one-shot `crypto.hash` of Node 20.12 and later is used where it exists: on
 * the benchmark machine it took 0.4 µs per short text against 1 µs for a `Hash` object.
 */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === "function"
    ? (text) => crypto.hash("sha256", text, "hex")
    : (text) => crypto.createHash("sha256").update(text).digest("hex");

/** Returns the SHA-256 of the stable JSON of a value, as 64 hex digits. */
export const contentHash = (value: unknown): string => sha256Hex(stableJson(value));

/** Tells whether two JSON values are equal, ignoring object key order. */
export const jsonEqual = (a: unknown, b: unknown): boolean => stableJson(a) === stableJson(b);
