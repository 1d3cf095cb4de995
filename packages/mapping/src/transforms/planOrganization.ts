/**
 * Organizations resolved from a company name: matched by normalized name (case, accents,
 * punctuation and legal suffixes such as Ltda, Inc or GmbH ignored) and planned once per run.
 */
import type { Origin, PlannedRecord, RecordRef } from "@ferry/core";
import { makePlanned } from "../internal/outputs.js";
import type { MappingPlan } from "../Plan.js";
import type { RunState } from "./RunState.js";

const legalSuffixes = new Set([
  "inc",
  "llc",
  "ltd",
  "ltda",
  "gmbh",
  "ag",
  "sa",
  "sas",
  "sarl",
  "srl",
  "spa",
  "bv",
  "nv",
  "plc",
  "co",
  "corp",
  "corporation",
  "limited",
  "me",
  "eireli",
  "kg",
  "oy",
  "ab",
  "as",
  "pty",
]);

/**
 * Normalizes a company name into its matching key.
 *
 * @example
 * ```ts
 * organizationKey("Açaí Comércio Ltda."); // "acai comercio"
 * organizationKey("ACAI COMERCIO"); // "acai comercio"
 * ```
 */
export const organizationKey = (name: string): string => {
  const words = name
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== "");
  while (words.length > 1 && legalSuffixes.has(words[words.length - 1] ?? "")) words.pop();
  return words.join(" ");
};

/** The ref of the organization planned for a company name. */
export const organizationRef = (name: string): RecordRef => ({
  kind: "organization",
  sourceId: organizationKey(name),
});

/**
 * Plans the organization of a company name the first time the run meets it. Returns its ref
 * and the planned record; the record is absent when the organization was already planned, and
 * the result is undefined when the name is empty.
 */
export const planOrganization = (
  name: string,
  origin: Origin,
  plan: MappingPlan,
  state: RunState,
  owner: string | undefined,
): { ref: RecordRef; record?: PlannedRecord } | undefined => {
  const trimmed = name.trim();
  const ref = organizationRef(trimmed);
  if (ref.sourceId === "") return undefined;
  if (!state.addOrganization(ref.sourceId)) return { ref };

  const visibleTo = plan.visibility.organization;
  const record = makePlanned({
    kind: "organization",
    ref,
    origin,
    fields: {
      name: trimmed,
      ...(owner === undefined ? {} : { owner }),
      ...(visibleTo === undefined ? {} : { visible_to: visibleTo }),
    },
    custom: {},
    links: {},
  });
  return { ref, record };
};
