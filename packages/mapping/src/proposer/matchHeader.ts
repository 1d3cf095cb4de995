/**
 * Header matching: a header is normalized (accents, case, punctuation and camelCase removed),
 * then compared with each concept's synonyms, exactly, by containment of a synonym's words, or
 * by token similarity (Dice coefficient of word sets).
 */
import { type ColumnConcept, columnConcepts } from "./headerSynonyms.js";

/**
 * Normalizes a header into lowercase words without accents.
 *
 * @example
 * ```ts
 * normalizeHeader("E-mail do Responsável"); // "e mail do responsavel"
 * normalizeHeader("firstName"); // "first name"
 * ```
 */
export const normalizeHeader = (header: string): string =>
  header
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();

const words = (text: string): ReadonlyArray<string> => text.split(" ").filter((w) => w !== "");

/** Dice coefficient of two word sets, from 0 to 1. */
export const tokenSimilarity = (a: string, b: string): number => {
  const left = new Set(words(a));
  const right = new Set(words(b));
  if (left.size === 0 || right.size === 0) return 0;
  const shared = [...left].filter((word) => right.has(word)).length;
  return (2 * shared) / (left.size + right.size);
};

/** A concept a header matched, with its score and an explanation. */
export interface HeaderMatch {
  readonly concept: ColumnConcept;
  /** From 0 to 1. */
  readonly score: number;
  /** Explanation of the match, for the mapping's reason. */
  readonly how: string;
}

/** Scores a normalized header against one synonym. */
const scoreSynonym = (header: string, synonym: string): { score: number; how: string } => {
  // Spaces are ignored too, so "e mail adresse", "email adresse" and "emailadresse" match.
  if (header === synonym || header.replaceAll(" ", "") === synonym.replaceAll(" ", "")) {
    return { score: 0.95, how: `header "${header}" is a synonym` };
  }
  const headerWords = words(header);
  const synonymWords = words(synonym);
  const contained = synonymWords.every((word) => headerWords.includes(word));
  if (contained && synonymWords.length >= 1 && headerWords.length <= synonymWords.length + 2) {
    return { score: 0.8, how: `header "${header}" contains the synonym "${synonym}"` };
  }
  const similarity = tokenSimilarity(header, synonym);
  return {
    score: similarity * 0.75,
    how: `header "${header}" resembles "${synonym}" (${similarity.toFixed(2)})`,
  };
};

/**
 * Finds the best concept for a header among the concepts of a source kind.
 *
 * @example
 * ```ts
 * matchHeader("Correo electrónico", "contact")?.concept.concept; // "email"
 * ```
 */
export const matchHeader = (header: string, kind: string): HeaderMatch | undefined => {
  const normalized = normalizeHeader(header);
  let best: HeaderMatch | undefined;
  for (const concept of columnConcepts) {
    if (concept.kinds !== undefined && !concept.kinds.includes(kind)) continue;
    for (const synonym of concept.synonyms) {
      const { score, how } = scoreSynonym(normalized, synonym);
      if (best === undefined || score > best.score) best = { concept, score, how };
    }
  }
  return best === undefined || best.score === 0 ? undefined : best;
};
