/**
 * Stage names classified by keywords in several languages: open or unqualified (a Pipedrive
 * lead), a pipeline stage (a deal), won, or lost. Each pipeline keyword carries a rank, so the
 * proposed pipeline lists its stages in sales order when the export gives no order.
 */
import type { StageOutcome } from "../Plan.js";
import { normalizeHeader } from "./matchHeader.js";

/** A stage's class, with its rank among pipeline stages and the keyword that decided it. */
export interface StageClass {
  readonly to: StageOutcome;
  readonly rank: number;
  readonly keyword: string;
}

const keywords: ReadonlyArray<readonly [StageOutcome, number, ReadonlyArray<string>]> = [
  [
    "won",
    0,
    [
      "won",
      "closed won",
      "ganho",
      "ganha",
      "fechado ganho",
      "ganado",
      "cerrado ganado",
      "gagne",
      "gewonnen",
      "vinto",
      "gewonnen",
      "convertido",
      "converted",
    ],
  ],
  ["customer", 0, ["customer", "cliente", "client", "kunde", "klant"]],
  [
    "lost",
    0,
    [
      "lost",
      "closed lost",
      "perdido",
      "perdida",
      "perdu",
      "verloren",
      "perso",
      "disqualified",
      "desqualificado",
      "descalificado",
      "disqualifie",
      "disqualifiziert",
    ],
  ],
  [
    "lead",
    0,
    [
      "new",
      "novo",
      "nova",
      "nuevo",
      "nouveau",
      "neu",
      "nuovo",
      "nieuw",
      "open",
      "aberto",
      "abierto",
      "unqualified",
      "nao qualificado",
      "no calificado",
      "lead",
      "prospect",
      "prospeccao",
      "prospecto",
      "incoming",
      "entrada",
      "cold",
      "frio",
    ],
  ],
  [
    "deal",
    1,
    [
      "contacted",
      "contactado",
      "contatado",
      "contato feito",
      "em contato",
      "contacte",
      "kontaktiert",
      "attempted",
    ],
  ],
  [
    "deal",
    2,
    [
      "qualified",
      "qualificado",
      "cualificado",
      "calificado",
      "qualifie",
      "qualifiziert",
      "qualificato",
      "gekwalificeerd",
    ],
  ],
  [
    "deal",
    3,
    ["meeting", "demo", "reuniao", "reunion", "rendez vous", "termin", "visita", "presentation"],
  ],
  [
    "deal",
    4,
    [
      "proposal",
      "proposta",
      "propuesta",
      "proposition",
      "angebot",
      "offerta",
      "offerte",
      "quote",
      "orcamento",
      "cotizacion",
      "devis",
    ],
  ],
  [
    "deal",
    5,
    [
      "negotiation",
      "negociacao",
      "negociacion",
      "negociation",
      "verhandlung",
      "trattativa",
      "onderhandeling",
    ],
  ],
  [
    "deal",
    6,
    ["contract", "contrato", "contrat", "vertrag", "contratto", "closing", "fechamento", "cierre"],
  ],
];

/**
 * Classifies a stage name, or returns undefined when no keyword matches.
 *
 * @example
 * ```ts
 * classifyStage("Proposta enviada"); // { to: "deal", rank: 4, keyword: "proposta" }
 * classifyStage("Fechado - Ganho"); // { to: "won", rank: 0, keyword: "fechado ganho" }
 * ```
 */
export const classifyStage = (name: string): StageClass | undefined => {
  const normalized = normalizeHeader(name);
  const tokens = ` ${normalized} `;
  // The longest keyword wins, so "closed lost" beats "closed" and "nao qualificado" beats "qualificado".
  let best: StageClass | undefined;
  for (const [to, rank, list] of keywords) {
    for (const keyword of list) {
      const matches = tokens.includes(` ${keyword} `);
      if (matches && (best === undefined || keyword.length > best.keyword.length)) {
        best = { to, rank, keyword };
      }
    }
  }
  return best;
};
