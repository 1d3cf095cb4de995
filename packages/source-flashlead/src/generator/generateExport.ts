/**
 * A seeded generator of Flash Lead Sales exports with invented people, for the sample export,
 * tests and benchmarks.
 *
 * Every name is made of invented words ("Testa Exemplo"), every e-mail ends in `@example.test`
 * (a domain reserved for testing by RFC 2606), and every phone is in a range reserved for
 * fiction (see `Phones.ts`). Lead `n` gets number `n` of the lead sequence and contact `n` number
 * `n` of the contact sequence. A person past the end of its sequence has no phone, so no number
 * of the sequences is written twice. With `messy`, the export also contains the problems real
 * exports have: a byte order mark and CRLF line endings in the leads file, placeholders, notes
 * with line breaks, repeated e-mails, phones in scientific notation and Excel `="…"` wrappers.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";

import type { FlashLeadKind } from "../FlashLeadKind.js";
import { CsvWriter, csvCell } from "./CsvWriter.js";
import { fictionalPhone } from "./Phones.js";
import { Random } from "./Random.js";
import {
  budgets,
  cities,
  fileNames,
  firstNames,
  headers,
  lastNames,
  ownerNotInTeam,
  platforms,
  sources,
  stageSentences,
  stages,
  tagWords,
  team,
} from "./Vocabulary.js";

/** Options of `generateExport`. */
export interface GenerateExportOptions {
  /** Folder to write into; it is created when missing. */
  readonly folder: string;
  /** Number of leads; the other objects scale with it. */
  readonly leads: number;
  /** Seed of the pseudo-random sequence. */
  readonly seed: number;
  /**
   * Whether to add the problems of real exports.
   * @default false
   */
  readonly messy?: boolean;
  /**
   * Kinds to write.
   * @default every kind
   */
  readonly kinds?: ReadonlyArray<FlashLeadKind>;
}

/** The files `generateExport` wrote: the file name and data rows of each kind. */
export type GeneratedExport = {
  readonly [K in FlashLeadKind]?: { readonly file: string; readonly rows: number };
};

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");
const base = Date.UTC(2023, 0, 2, 8, 0, 0);
const dayMs = 86_400_000;
const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const isoDateTime = (ms: number): string =>
  new Date(ms).toISOString().slice(0, 19).replace("T", " ");
/** Day-first `DD/MM/YYYY HH:MM`, the activity log's format. */
const dayFirst = (ms: number): string => {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};

/** The state shared by the writers of one export. */
interface Context {
  readonly random: Random;
  readonly messy: boolean;
  readonly writers: { [K in FlashLeadKind]?: CsvWriter };
  readonly emails: Array<string>;
  counters: {
    contact: number;
    invoice: number;
    activity: number;
    thread: number;
    wrapper: number;
  };
}

const row = async (context: Context, kind: FlashLeadKind, cells: ReadonlyArray<string>) => {
  await context.writers[kind]?.row(cells.map(csvCell));
};

/** Picks an owner: mostly active members, some inactive, some missing from the team or empty. */
const ownerOf = (random: Random, messy: boolean): string => {
  const draw = random.next();
  if (draw < 0.03) return ownerNotInTeam;
  if (messy && draw < 0.06) return "";
  if (draw < 0.12) return team[3][2];
  return random.pick(team.slice(0, 3))[2];
};

const messyCell = (context: Context, value: string, placeholder: string, rate: number): string =>
  context.messy && context.random.chance(rate) ? placeholder : value;

/**
 * An Excel `="…"` wrapper around a number of Ofcom's drama mobile range 07700 900000-900999.
 * libphonenumber-js 1.13 rejects that range as invalid, so these stay rejected phones. The
 * wrappers take the range's numbers in turn, so discovery finds no duplicate phone among the
 * first 1,000 of them.
 */
const wrappedPhone = (context: Context): string => {
  const digits = pad(context.counters.wrapper % 1000, 3);
  context.counters.wrapper += 1;
  return context.random.chance(0.5) ? `="07700 900${digits}"` : `="07700900${digits}"`;
};

/** The phone of lead `n`, or one of the messy cases: lost digits, an Excel wrapper, `N/A`. */
const leadPhone = (context: Context, n: number): string => {
  const { random, messy } = context;
  if (messy && random.chance(0.01)) return `9,99${random.int(100, 999)}E+11`;
  if (messy && random.chance(0.01)) return wrappedPhone(context);
  return messyCell(context, fictionalPhone("lead", n) ?? "", "N/A", 0.03);
};

const noteOf = (context: Context, first: string): string => {
  const { random, messy } = context;
  if (!random.chance(0.4)) return "";
  const text = `Met ${first} at the ${random.pick(["fair", "webinar", "shop"])}.`;
  return messy && random.chance(0.15) ? `${text}\r\nWants a call back next week.` : text;
};

const writeLead = async (context: Context, n: number): Promise<ReadonlyArray<string>> => {
  const { random } = context;
  const id = `L${pad(n, 6)}`;
  const first = random.pick(firstNames);
  const last = random.pick(lastNames);
  const reuse = context.messy && context.emails.length > 0 && random.chance(0.02);
  const email = reuse
    ? random.pick(context.emails)
    : `${first}.${last}.${n}@example.test`.toLowerCase();
  if (!reuse && context.emails.length < 1000) context.emails.push(email);

  const created = base + random.int(0, 500) * dayMs + random.int(0, 600) * 60_000;
  const history = stages.slice(0, random.int(1, stages.length - 1));
  if (random.chance(0.15)) history.push("Lost");
  const [city, country] = random.pick(cities);
  const tags = tagWords.filter(() => random.chance(0.2)).join(", ");

  await row(context, "lead", [
    id,
    first,
    last,
    email,
    leadPhone(context, n),
    messyCell(
      context,
      `${random.pick(lastNames)} ${random.pick(["Ltda", "Testes", "Demo Co"])}`,
      "#N/A",
      0.02,
    ),
    messyCell(context, random.pick(["Owner", "Buyer", "Manager"]), "null", 0.02),
    history[history.length - 1] ?? "New",
    random.pick(sources),
    tags,
    ownerOf(random, context.messy),
    `${random.int(1, 200) * 50}`,
    random.pick(["EUR", "BRL"]),
    messyCell(context, city, "-", 0.02),
    country,
    random.chance(0.3) ? `https://facebook.example.test/${first.toLowerCase()}.${n}` : "",
    noteOf(context, first),
    random.chance(0.05) ? `brochure-${n}.pdf` : "",
    isoDateTime(created),
    isoDateTime(created + random.int(1, 90) * dayMs),
    random.pick(budgets),
  ]);
  return [id, first, last, String(created), ...history];
};

const writeActivities = async (context: Context, lead: ReadonlyArray<string>) => {
  const { random } = context;
  const [id = "", first = "", , createdText = "0", ...history] = lead;
  let at = Number(createdText);
  const next = async (type: string, text: string, duration = "", subject = "") => {
    at += random.int(1, 9) * dayMs + random.int(0, 480) * 60_000;
    context.counters.activity += 1;
    await row(context, "activity", [
      `A${pad(context.counters.activity, 7)}`,
      id,
      dayFirst(at),
      type,
      text,
      duration,
      subject,
      random.pick(team)[2],
    ]);
  };

  for (let step = 1; step < history.length; step += 1) {
    const sentence = random.chance(0.75) ? stageSentences[0] : random.pick(stageSentences);
    await next("Stage change", sentence?.(history[step - 1] ?? "", history[step] ?? "") ?? "");
    if (random.chance(0.5))
      await next(
        "Call",
        `Called ${first} about the offer`,
        `${random.int(2, 40)}`,
        "Follow-up call",
      );
    if (random.chance(0.4))
      await next("Email", `Sent the price list to ${first}`, "", "Price list");
    if (random.chance(0.2)) await next("Meeting", `Demo with ${first}`, "60", "Product demo");
  }
  if (random.chance(0.2)) await next("Note", `${first} prefers WhatsApp`);
  if (random.chance(0.05)) await next("Tarefa", `Send the contract to ${first}`);
};

const writeRelated = async (context: Context, lead: ReadonlyArray<string>) => {
  const { random } = context;
  const [id = "", first = "", last = "", createdText = "0"] = lead;
  const created = Number(createdText);

  if (random.chance(0.5)) {
    context.counters.contact += 1;
    const n = context.counters.contact;
    const name = random.pick(firstNames);
    await row(context, "contact", [
      `C${pad(n, 6)}`,
      id,
      name,
      last,
      `${name}.${last}.c${n}@example.test`.toLowerCase(),
      fictionalPhone("contact", n) ?? "",
      `${last} Testes`,
      random.pick(["Assistant", "Partner"]),
      random.pick(team)[2],
      random.pick(cities)[0],
      "Brazil",
      "",
      isoDateTime(created + dayMs),
    ]);
  }

  const invoices = random.chance(0.3) ? random.int(1, 2) : 0;
  for (let k = 0; k < invoices; k += 1) {
    context.counters.invoice += 1;
    const n = context.counters.invoice;
    const issued = created + random.int(5, 60) * dayMs;
    const status = random.pick(["paid", "open", "overdue"]);
    await row(context, "invoice", [
      `I${pad(n, 6)}`,
      `INV-${pad(n, 6)}`,
      id,
      `${random.int(100, 9000)}.${pad(random.int(0, 99))}`,
      "EUR",
      status,
      isoDate(issued),
      isoDate(issued + 30 * dayMs),
      status === "paid" ? isoDate(issued + random.int(1, 30) * dayMs) : "",
      `Services for ${first} ${last}`,
      random.chance(0.2) ? `invoice-${n}.pdf` : "",
    ]);
  }

  if (random.chance(0.2)) {
    context.counters.thread += 1;
    const n = context.counters.thread;
    const count = random.int(2, 5);
    const lines = Array.from(
      { length: count },
      (_, k) =>
        `[${dayFirst(created + k * 3_600_000)}] ${k % 2 === 0 ? first : "Testa Exemplo"}: ${k % 2 === 0 ? "Olá, is it still available?" : "Yes, shall I send the details?"}`,
    );
    await row(context, "message_thread", [
      `M${pad(n, 6)}`,
      id,
      random.pick(platforms),
      lines.join("\n"),
      isoDateTime(created),
      isoDateTime(created + (count - 1) * 3_600_000),
      String(count),
    ]);
  }
};

/**
 * Writes an export folder: team members, leads and, for each lead, its contacts, invoices,
 * activities and message threads.
 *
 * @example
 * ```ts
 * await generateExport({ folder: "./sample-export", leads: 300, seed: 42, messy: true });
 * ```
 */
export const generateExport = async (options: GenerateExportOptions): Promise<GeneratedExport> => {
  await mkdir(options.folder, { recursive: true });
  const messy = options.messy ?? false;
  const kinds = options.kinds ?? (Object.keys(fileNames) as Array<FlashLeadKind>);
  const context: Context = {
    random: new Random(options.seed),
    messy,
    writers: {},
    emails: [],
    counters: { contact: 0, invoice: 0, activity: 0, thread: 0, wrapper: 0 },
  };

  for (const kind of kinds) {
    const isLeads = kind === "lead" && messy;
    const writer = await CsvWriter.open(join(options.folder, fileNames[kind]), {
      bom: isLeads,
      newline: isLeads ? "\r\n" : "\n",
    });
    context.writers[kind] = writer;
    await writer.row(headers[kind].map(csvCell));
  }

  for (const member of team) await row(context, "team_member", member);
  for (let n = 1; n <= options.leads; n += 1) {
    const lead = await writeLead(context, n);
    await writeActivities(context, lead);
    await writeRelated(context, lead);
  }

  const result: { [K in FlashLeadKind]?: { file: string; rows: number } } = {};
  for (const kind of kinds) {
    const writer = context.writers[kind];
    if (writer === undefined) continue;
    await writer.close();
    result[kind] = { file: fileNames[kind], rows: writer.rows - 1 };
  }
  return result;
};
