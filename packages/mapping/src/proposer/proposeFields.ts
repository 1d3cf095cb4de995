/**
 * Field mappings of one inventory object: each column is matched by its header (synonyms across
 * CRMs and languages, normalized names, token similarity) and confirmed or weakened by its
 * values' inferred type. A column whose best match is below the mapping threshold is left
 * unmapped and marked for review.
 */
import type { ColumnProfile, ObjectInventory } from "@ferry/core";

import type { FieldMapping } from "../Plan.js";
import { ambiguousNames, type ColumnConcept, columnConcepts } from "./headerSynonyms.js";
import { type HeaderMatch, matchHeader, normalizeHeader } from "./matchHeader.js";

/** Below this confidence a column is not mapped. */
export const mappingThreshold = 0.6;
/** At or above this confidence a mapping counts as high confidence. */
export const highConfidence = 0.8;

// Value types that identify a concept on their own, with the confidence they give.
const valueConcepts: Readonly<Record<string, readonly [string, number]>> = {
  email: ["email", 0.7],
  phone: ["phone", 0.7],
  url: ["website", 0.6],
};
const strongTypes = new Set(["email", "phone", "date", "datetime", "money", "url"]);
// Concepts more than one column may map to.
const repeatable = new Set(["email", "phone", "attachment", "website"]);

/** Columns that the Flash Lead transforms read by their canonical names. */
const transformKinds: Readonly<Record<string, string>> = {
  invoice: "the invoice transform",
  activity: "the activity and stage history transforms",
  message_thread: "the message thread transform",
  team_member: "the owner resolution",
};

/**
 * Name of the person custom field that keeps the id of the lead a contact belongs to. A
 * Pipedrive person links to one organization and to no lead or deal, so the id is kept as text.
 */
export const contactLeadField = "Flash Lead lead id";

/** The mapping of a contact's `lead_id` column, or undefined for any other column. */
const contactLeadMapping = (kind: string, column: ColumnProfile): FieldMapping | undefined =>
  kind !== "contact" || column.name !== "lead_id" || column.inferredType === "empty"
    ? undefined
    : {
        object: kind,
        column: column.name,
        target: { kind: "person", custom: contactLeadField, type: "varchar" },
        transform: "text",
        confidence: 0.95,
        reason:
          "the lead the contact belongs to; a Pipedrive person links to no lead or deal, so its person keeps the lead id",
      };

const round = (value: number): number => Math.round(value * 100) / 100;
const byName = (name: string) => columnConcepts.find((c) => c.concept === name);

/** A scored candidate concept for one column. */
interface Candidate {
  readonly column: ColumnProfile;
  readonly concept: ColumnConcept | undefined;
  readonly confidence: number;
  readonly reason: string;
}

/** Adjusts a header match by the column's inferred type. */
const withValues = (column: ColumnProfile, match: HeaderMatch): Candidate => {
  const type = column.inferredType;
  const agrees = match.concept.types.includes(type);
  const contradicts = !agrees && strongTypes.has(type);
  let score = match.score;
  if (contradicts) score -= 0.35;
  else if (agrees) score = Math.min(0.99, score + 0.03);
  const confidence = round(score);
  const values = agrees
    ? `values look like ${type}`
    : contradicts
      ? `but values look like ${type}`
      : `values are ${type}`;
  return { column, concept: match.concept, confidence, reason: `${match.how}; ${values}` };
};

/** Scores one column by its header and, failing that, by its values. */
const candidate = (column: ColumnProfile, kind: string): Candidate => {
  const matches = [matchHeader(column.header, kind), matchHeader(column.name, kind)];
  const best = matches
    .filter((match): match is HeaderMatch => match !== undefined)
    .map((match) => withValues(column, match))
    .sort((a, b) => b.confidence - a.confidence)[0];
  if (best !== undefined && best.confidence >= mappingThreshold) return best;

  const byValue = valueConcepts[column.inferredType];
  const concept = byValue === undefined ? undefined : byName(byValue[0]);
  if (byValue !== undefined && concept !== undefined && (concept.kinds?.includes(kind) ?? true)) {
    // A URL column of unknown meaning keeps its header as the name of its own field.
    const own =
      column.inferredType === "url"
        ? {
            ...concept,
            targets: [{ kind: "person", custom: column.header, type: "varchar" as const }],
          }
        : concept;
    return {
      column,
      concept: own,
      confidence: byValue[1],
      reason: `header not recognized; values look like ${column.inferredType}`,
    };
  }
  return (
    best ?? {
      column,
      concept: undefined,
      confidence: 0,
      reason: "no header synonym or value pattern matched",
    }
  );
};

/** Resolves one-word name headers by the other name columns of the object. */
const resolveNames = (candidates: ReadonlyArray<Candidate>): ReadonlyArray<Candidate> => {
  const has = (concept: string) => candidates.some((c) => c.concept?.concept === concept);
  return candidates.map((c) => {
    if (c.concept?.concept !== "full_name" || !ambiguousNames.has(normalizeHeader(c.column.header)))
      return c;
    const other = has("last_name") ? "first_name" : has("first_name") ? "last_name" : undefined;
    const concept = other === undefined ? undefined : byName(other);
    if (other === undefined || concept === undefined) return c;
    const beside = other === "first_name" ? "last" : "first";
    return {
      ...c,
      concept,
      reason: `${c.reason}; beside a ${beside}-name column it is the ${other.replace("_", " ")}`,
    };
  });
};

/** Keeps the best column for concepts that take one column; the others go to review. */
const dedupeConcepts = (candidates: ReadonlyArray<Candidate>): ReadonlyArray<Candidate> =>
  candidates.map((c) => {
    const name = c.concept?.concept;
    if (name === undefined || repeatable.has(name) || c.confidence < mappingThreshold) return c;
    const better = candidates.find(
      (other) => other !== c && other.concept?.concept === name && other.confidence > c.confidence,
    );
    if (better === undefined) return c;
    return {
      ...c,
      confidence: round(Math.min(c.confidence, 0.5)),
      reason: `${c.reason}; column "${better.column.header}" matches ${name} better`,
    };
  });

/** Builds the mappings of one scored column. */
const toMappings = (kind: string, c: Candidate): ReadonlyArray<FieldMapping> => {
  const base = { object: kind, column: c.column.name, confidence: c.confidence };
  if (c.column.inferredType === "empty") {
    return [
      {
        ...base,
        transform: "text",
        confidence: 1,
        reason: "column is empty in every row; nothing to migrate",
      },
    ];
  }
  if (c.concept === undefined || c.confidence < mappingThreshold) {
    return [
      { ...base, transform: "text", reason: `${c.reason}; left unmapped for review`, review: true },
    ];
  }
  const why = c.concept.why === undefined ? "" : ` (${c.concept.why})`;
  const reason = `${c.concept.concept}: ${c.reason}${why}`;
  if (c.concept.targets.length === 0) return [{ ...base, transform: c.concept.transform, reason }];
  return c.concept.targets.map((target) => ({
    ...base,
    transform: c.concept?.transform ?? "text",
    target,
    reason,
  }));
};

/** Mappings of an object whose columns a Flash Lead transform reads by name. */
const transformColumns = (object: ObjectInventory, reader: string): ReadonlyArray<FieldMapping> =>
  object.columns.map((column): FieldMapping => {
    const base = { object: object.kind, column: column.name };
    if (column.name === "attachment") {
      return {
        ...base,
        transform: "attachment",
        confidence: 0.95,
        reason: "names files to attach to the record",
      };
    }
    if (object.kind === "invoice" && column.name === "description") {
      return {
        ...base,
        transform: "text",
        target: { kind: "deal", custom: "Invoice description", type: "text" },
        confidence: 0.9,
        reason: "invoice description kept on its deal",
      };
    }
    const known = column.recognized;
    return known
      ? { ...base, transform: "reference", confidence: 0.95, reason: `read by ${reader}` }
      : {
          ...base,
          transform: "text",
          confidence: 0,
          reason: `not a column ${reader} reads; left unmapped for review`,
          review: true,
        };
  });

/**
 * Proposes the field mappings of one inventory object.
 *
 * @example
 * ```ts
 * // a contact column with header "Correo electrónico" and email values
 * proposeFields(contacts)[0]; // { column: "Correo electrónico", transform: "email", target: { kind: "person", field: "emails" }, confidence: 0.98, ... }
 * ```
 */
export const proposeFields = (object: ObjectInventory): ReadonlyArray<FieldMapping> => {
  const reader = transformKinds[object.kind];
  if (reader !== undefined) return transformColumns(object, reader);

  const scored = dedupeConcepts(
    resolveNames(object.columns.map((column) => candidate(column, object.kind))),
  );
  return scored.flatMap(
    (c) => contactLeadMapping(object.kind, c.column) ?? toMappings(object.kind, c),
  );
};
