/**
 * Classification of the files of an export folder into object kinds, by file name first and by
 * header second.
 *
 * A name is split into words after dates, digits and decoration (`export`, `flash lead`, `copy`)
 * are removed, and each word is compared in the singular with the keywords of each kind. When
 * words of several kinds appear (`lead_activity_log.csv`), the more specific kind wins: activity,
 * then message thread, invoice, team member, contact and lead. A file whose name matches no kind
 * is classified by its header when enough of the header's labels belong to one kind.
 */
import { type FlashLeadKind, flashLeadKinds } from "../FlashLeadKind.js";
import { canonicalColumnFor, normalizeLabel } from "../HeaderAliases.js";

const nameKeywords: ReadonlyArray<[FlashLeadKind, ReadonlyArray<string>]> = [
  [
    "activity",
    [
      "activity",
      "activitie",
      "activite",
      "actividad",
      "atividade",
      "aktivitat",
      "aktivitaten",
      "history",
      "historique",
      "historial",
      "historico",
      "verlauf",
      "log",
      "journal",
      "timeline",
      "event",
    ],
  ],
  [
    "message_thread",
    [
      "message",
      "thread",
      "conversation",
      "chat",
      "inbox",
      "social",
      "mensaje",
      "mensagen",
      "mensagem",
      "nachricht",
      "nachrichten",
      "conversa",
      "conversacion",
    ],
  ],
  [
    "invoice",
    ["invoice", "facture", "factura", "fatura", "rechnung", "rechnungen", "billing", "bill"],
  ],
  [
    "team_member",
    [
      "team",
      "member",
      "user",
      "staff",
      "agent",
      "equipe",
      "equipo",
      "usuario",
      "utilisateur",
      "benutzer",
      "mitarbeiter",
    ],
  ],
  ["contact", ["contact", "contacto", "contato", "kontakt", "kontakte", "person", "people"]],
  [
    "lead",
    [
      "lead",
      "prospect",
      "prospecto",
      "opportunity",
      "deal",
      "client",
      "cliente",
      "customer",
      "kunde",
      "kunden",
    ],
  ],
];

const decoration = new Set([
  "export",
  "exported",
  "flash",
  "flashlead",
  "sale",
  "sales",
  "fls",
  "copy",
  "copie",
  "final",
  "all",
  "data",
  "file",
  "csv",
  "de",
  "of",
  "the",
  "and",
  "des",
  "du",
]);

/** Splits a file name into singular lower-case words, without dates, digits and decoration. */
const nameWords = (fileName: string): ReadonlyArray<string> =>
  normalizeLabel(fileName.replace(/\.[^.]+$/, "").replace(/([a-z])([A-Z])/g, "$1 $2"))
    .split(" ")
    .filter((word) => word !== "" && !/\d/.test(word) && !decoration.has(word))
    .map((word) => (word.length > 3 && word.endsWith("s") ? word.slice(0, -1) : word));

/** Returns the kind a file name stands for, or undefined. */
export const kindFromName = (fileName: string): FlashLeadKind | undefined => {
  const words = new Set(nameWords(fileName));
  for (const [kind, keywords] of nameKeywords) {
    if (keywords.some((keyword) => words.has(keyword))) return kind;
  }
  return undefined;
};

/** Columns that only one kind has, which count double when classifying by header. */
const distinctive: { readonly [K in FlashLeadKind]: ReadonlyArray<string> } = {
  lead: ["stage", "source", "tags", "value", "facebook_url"],
  contact: ["lead_id"],
  invoice: ["number", "amount", "due_date", "issue_date", "paid_date", "status"],
  team_member: ["role", "active"],
  activity: ["timestamp", "type", "text", "from_stage", "to_stage", "duration"],
  message_thread: ["thread", "platform", "message_count", "last_message_at"],
};

/**
 * Returns the kind a header row belongs to, or undefined when no kind explains at least three
 * labels (or two distinctive ones).
 */
export const kindFromHeader = (header: ReadonlyArray<string>): FlashLeadKind | undefined => {
  let best: { kind: FlashLeadKind; score: number } | undefined;

  for (const kind of flashLeadKinds) {
    let score = 0;
    for (const label of header) {
      const column = canonicalColumnFor(kind, label);
      if (column === undefined) continue;
      score += distinctive[kind].includes(column) ? 2 : 1;
    }
    if (score >= 3 && (best === undefined || score > best.score)) best = { kind, score };
  }

  return best?.kind;
};
