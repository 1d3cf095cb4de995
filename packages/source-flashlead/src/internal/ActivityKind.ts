/**
 * Activity log classification: the kind of each activity, from its type or its text, and the
 * stages of a stage transition, from its columns or its text.
 *
 * Types and texts are recognized in English, French, Spanish, Portuguese and German. A type that
 * names no known kind and a text that is no stage change give `other`, which the mapping keeps
 * as a generic note.
 */
import { normalizeLabel } from "../HeaderAliases.js";

/** The kinds an activity is classified into. */
export type ActivityKind =
  | "stage_transition"
  | "call"
  | "email"
  | "meeting"
  | "note"
  | "message"
  | "other";

const typeKeywords: ReadonlyArray<[ActivityKind, ReadonlyArray<string>]> = [
  [
    "stage_transition",
    [
      "stage",
      "stage change",
      "stage changed",
      "status change",
      "pipeline",
      "etape",
      "changement d etape",
      "etapa",
      "cambio de etapa",
      "mudanca de etapa",
      "fase",
      "phase",
      "phasenwechsel",
      "stufe",
    ],
  ],
  [
    "call",
    [
      "call",
      "phone call",
      "phone",
      "appel",
      "appel telephonique",
      "llamada",
      "ligacao",
      "chamada",
      "anruf",
      "telefonat",
    ],
  ],
  ["email", ["email", "e mail", "mail", "courriel", "correo", "correo electronico"]],
  [
    "meeting",
    [
      "meeting",
      "appointment",
      "visit",
      "reunion",
      "rendez vous",
      "rdv",
      "cita",
      "reuniao",
      "visita",
      "besprechung",
      "termin",
      "treffen",
    ],
  ],
  ["note", ["note", "comment", "nota", "comentario", "notiz", "kommentar", "remarque"]],
  [
    "message",
    [
      "message",
      "sms",
      "whatsapp",
      "messenger",
      "instagram",
      "facebook",
      "chat",
      "dm",
      "mensaje",
      "mensagem",
      "nachricht",
    ],
  ],
];

const typeLookup = new Map<string, ActivityKind>(
  typeKeywords.flatMap(([kind, words]) =>
    words.map((word): [string, ActivityKind] => [word, kind]),
  ),
);

/** Stage-change sentences: a stage keyword, then the from-stage and the to-stage. */
const stagePatterns: ReadonlyArray<RegExp> = [
  /\b(?:stage|status)\b.*?\bfrom\s+(.+?)\s+to\s+(.+?)\.?$/i,
  /^moved\s+from\s+(.+?)\s+to\s+(.+?)\.?$/i,
  /(?:[ée]tape|statut|phase)\b.*?\bde\s+(.+?)\s+(?:à|a|vers)\s+(.+?)\.?$/i,
  /(?:etapa|estado|fase)\b.*?\bde\s+(.+?)\s+a\s+(.+?)\.?$/i,
  /(?:etapa|est[áa]gio|fase|status)\b.*?\bde\s+(.+?)\s+para\s+(.+?)\.?$/i,
  /(?:phase|stufe|status)\b.*?\bvon\s+(.+?)\s+(?:zu|nach|auf)\s+(.+?)(?:\s+ge[äa]ndert)?\.?$/i,
  /^(.+?)\s*(?:→|->|=>)\s*(.+?)$/,
];

const unquote = (stage: string): string => stage.trim().replace(/^["'«“‘]\s*|\s*["'»”’]$/g, "");

/** Returns the from-stage and to-stage a text describes, or undefined. */
export const parseStageChange = (text: string): { from: string; to: string } | undefined => {
  const line = text.trim();
  for (const pattern of stagePatterns) {
    const match = pattern.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) {
      return { from: unquote(match[1]), to: unquote(match[2]) };
    }
  }
  return undefined;
};

/** Classifies an activity from its type, falling back to its text for stage changes. */
export const classifyActivity = (type: string, text: string): ActivityKind => {
  const normalized = normalizeLabel(type);
  const direct = typeLookup.get(normalized);
  if (direct !== undefined) return direct;

  for (const word of normalized.split(" ")) {
    const kind = typeLookup.get(word);
    if (kind !== undefined) return kind;
  }
  return parseStageChange(text) === undefined ? "other" : "stage_transition";
};
