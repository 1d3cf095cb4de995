/**
 * The content hash of a plan: SHA-256 of its canonical JSON (keys sorted) without the approval
 * block, so confirming a plan does not change its hash and any other edit does.
 */
import { createHash } from "node:crypto";

import { Schema } from "effect";

import { MappingPlan } from "./Plan.js";

/** Orders keys by UTF-16 code units, which does not depend on the locale. */
const compareKeys = (a: string, b: string): number => {
  if (a === b) return 0;
  return a < b ? -1 : 1;
};

const canonical = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== "object") return value;

  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, inner]) => inner !== undefined)
    .sort(([a], [b]) => compareKeys(a, b));
  return Object.fromEntries(entries.map(([key, inner]) => [key, canonical(inner)]));
};

/**
 * Computes the plan's content hash as `sha256:<hex>`.
 *
 * @example
 * ```ts
 * planHash(plan) === planHash({ ...plan, approval: undefined }); // true
 * ```
 */
export const planHash = (plan: MappingPlan): string => {
  const { approval: _approval, ...content } = Schema.encodeSync(MappingPlan)(plan);
  const json = JSON.stringify(canonical(content));
  return `sha256:${createHash("sha256").update(json).digest("hex")}`;
};
