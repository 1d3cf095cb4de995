/**
 * The invented vocabulary of generated exports: file names, headers, team members, names,
 * stages, places and the stage-change sentences in five languages.
 */
import type { FlashLeadKind } from "../FlashLeadKind.js";

/** File name of each kind. */
export const fileNames: { readonly [K in FlashLeadKind]: string } = {
  team_member: "team_members.csv",
  lead: "leads.csv",
  contact: "contacts.csv",
  invoice: "invoices.csv",
  activity: "activity_log.csv",
  message_thread: "message_threads.csv",
};

/** Header row of each kind, in the English labels the source recognizes, plus one custom column. */
export const headers: { readonly [K in FlashLeadKind]: ReadonlyArray<string> } = {
  team_member: ["User ID", "Name", "Email", "Role", "Active"],
  lead: [
    "Lead ID",
    "First Name",
    "Last Name",
    "Email",
    "Phone",
    "Company",
    "Job Title",
    "Stage",
    "Source",
    "Tags",
    "Owner",
    "Value",
    "Currency",
    "City",
    "Country",
    "Facebook",
    "Notes",
    "Attachment",
    "Created At",
    "Updated At",
    "Budget Range",
  ],
  contact: [
    "Contact ID",
    "Lead ID",
    "First Name",
    "Last Name",
    "Email",
    "Phone",
    "Company",
    "Job Title",
    "Owner",
    "City",
    "Country",
    "Notes",
    "Created At",
  ],
  invoice: [
    "Invoice ID",
    "Invoice Number",
    "Lead ID",
    "Amount",
    "Currency",
    "Status",
    "Issue Date",
    "Due Date",
    "Paid Date",
    "Description",
    "Attachment",
  ],
  activity: ["Activity ID", "Lead ID", "Date", "Type", "Text", "Duration", "Subject", "Owner"],
  message_thread: [
    "Thread ID",
    "Lead ID",
    "Platform",
    "Conversation",
    "Started At",
    "Last Message At",
    "Message Count",
  ],
};

/** Team members: id, name, e-mail, role and whether active; the fourth is inactive. */
export const team = [
  ["U1", "Testa Exemplo", "testa.exemplo@example.test", "Admin", "yes"],
  ["U2", "Fictia Modelo", "fictia.modelo@example.test", "Sales", "yes"],
  ["U3", "Amostra Ficticio", "amostra.ficticio@example.test", "Sales", "yes"],
  ["U4", "Inventa Demo", "inventa.demo@example.test", "Sales", "no"],
] as const;
/** An owner that the leads name but the team members file does not list. */
export const ownerNotInTeam = "sem.equipe@example.test";

/** Invented first names. */
export const firstNames = [
  "Testa",
  "Fictia",
  "Amostra",
  "Exempla",
  "Modela",
  "Demonstra",
  "Simula",
  "Inventa",
  "Prova",
  "Ensaia",
];
/** Invented last names. */
export const lastNames = [
  "Exemplo",
  "Modelo",
  "Ficticio",
  "Amostra",
  "Demo",
  "Teste",
  "Simulado",
  "Imaginario",
];
/** Pipeline stages, in order. */
export const stages = ["New", "Contacted", "Qualified", "Proposal", "Won", "Lost"];
/** Lead sources. */
export const sources = ["Facebook", "Instagram", "Website", "Referral", "WhatsApp"];
/** Tags. */
export const tagWords = ["vip", "follow-up", "cold", "hot", "event"];
/** Invented cities with their countries. */
export const cities: ReadonlyArray<[string, string]> = [
  ["Exemplópolis", "Brazil"],
  ["Villa Modelo", "Spain"],
  ["Fictionville", "France"],
  ["Musterstadt", "Germany"],
];
/** Social platforms of message threads. */
export const platforms = ["Facebook Messenger", "Instagram", "WhatsApp"];
/** Values of the custom column `Budget Range`. */
export const budgets = ["< 1k", "1k-5k", "5k-20k", "> 20k"];

/** Stage-change sentences in English, French, Spanish, Portuguese and German. */
export const stageSentences: ReadonlyArray<(from: string, to: string) => string> = [
  (from, to) => `Stage changed from ${from} to ${to}`,
  (from, to) => `Étape changée de ${from} à ${to}`,
  (from, to) => `Etapa cambiada de ${from} a ${to}`,
  (from, to) => `Etapa alterada de ${from} para ${to}`,
  (from, to) => `Phase geändert von ${from} zu ${to}`,
];
