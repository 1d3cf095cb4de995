/**
 * A hand-written plan for a small Flash Lead export in Brazilian Portuguese, used across the
 * transform tests.
 */
import type { FieldMapping, MappingPlan } from "../../src/Plan.js";

const field = (
  object: string,
  column: string,
  transform: FieldMapping["transform"],
  target?: FieldMapping["target"],
): FieldMapping => ({
  object,
  column,
  transform,
  confidence: 0.95,
  reason: "test",
  ...(target === undefined ? {} : { target }),
});

const personFields = (object: string): ReadonlyArray<FieldMapping> => [
  field(object, "first_name", "first-name", { kind: "person", field: "name" }),
  field(object, "last_name", "last-name", { kind: "person", field: "name" }),
  field(object, "full_name", "full-name", { kind: "person", field: "name" }),
  field(object, "email", "email", { kind: "person", field: "emails" }),
  field(object, "phone", "phone", { kind: "person", field: "phones" }),
  field(object, "company", "text", { kind: "organization", field: "name" }),
  field(object, "job_title", "text", { kind: "person", field: "job_title" }),
  field(object, "owner_email", "owner", { kind: "person", field: "owner" }),
  field(object, "notes", "note"),
  field(object, "attachment", "attachment"),
  field(object, "created_at", "datetime", { kind: "person", field: "add_time" }),
  field(object, "city", "text", { kind: "person", custom: "City", type: "varchar" }),
];

/** The sample plan. */
export const samplePlan: MappingPlan = {
  version: 1,
  source: "flashlead",
  location: "/tmp/export",
  files: ["lead", "contact", "invoice", "activity", "message_thread", "team_member"].map(
    (object) => ({
      object,
      path: `${object}s.csv`,
      encoding: "utf-8",
      delimiter: ";",
      dateOrder: "day-first" as const,
      timeZone: "America/Sao_Paulo",
      numberLocale: "pt-BR",
      defaultCurrency: "BRL",
      defaultPhoneCountry: "BR",
    }),
  ),
  routes: [
    { from: "lead", to: ["organization", "person", "lead", "deal"] },
    { from: "contact", to: ["organization", "person"] },
    { from: "invoice", to: ["deal"] },
    { from: "activity", to: ["note", "activity"] },
    { from: "message_thread", to: ["note"] },
    { from: "team_member", to: [] },
  ],
  leadSplit: { invoiceMakesPerson: true, originalStageField: "fls_original_stage__c" },
  fields: [
    ...personFields("lead"),
    field("lead", "stage", "stage"),
    field("lead", "source", "lead-source", {
      kind: "person",
      custom: "Lead Source",
      type: "enum",
    }),
    field("lead", "tags", "tags", { kind: "person", custom: "Tags", type: "set" }),
    field("lead", "value", "money", { kind: "deal", field: "value" }),
    field("lead", "facebook_url", "url", { kind: "person", custom: "Facebook", type: "varchar" }),
    ...personFields("contact"),
  ],
  stages: [
    { value: "Novo", to: "lead", label: "Novo", confidence: 0.9, reason: "test" },
    {
      value: "Proposta",
      to: "deal",
      pipeline: "Vendas",
      stage: "Proposta",
      confidence: 0.9,
      reason: "test",
    },
    { value: "Ganho", to: "won", confidence: 0.9, reason: "test" },
    { value: "Perdido", to: "lost", pipeline: "Vendas", confidence: 0.9, reason: "test" },
  ],
  leadSources: {
    field: "Lead Source",
    values: [
      { value: "Facebook", option: "Facebook" },
      { value: "Indicação", option: "Indicação" },
    ],
  },
  tags: {
    field: "Tags",
    separators: [",", ";", "|"],
    values: [
      { value: "vip", option: "VIP" },
      { value: "expo", option: "Expo 2024" },
    ],
  },
  owners: [
    { email: "bia@example.test", action: "user", active: true, reason: "test" },
    {
      email: "caio@example.test",
      action: "map",
      user: "bia@example.test",
      active: true,
      reason: "test",
    },
    { email: "dora@example.test", action: "queue", active: true, reason: "test" },
    { email: "eva@example.test", name: "Eva Souza", action: "add", active: false, reason: "test" },
  ],
  pipelines: [
    {
      name: "Vendas",
      stages: [
        { name: "Qualificado", probability: 20 },
        { name: "Proposta", probability: 60 },
        { name: "Negociação", probability: 80 },
      ],
    },
    { name: "Faturas", stages: [{ name: "Emitida" }] },
  ],
  invoices: {
    pipeline: "Faturas",
    stage: "Emitida",
    wonStatuses: ["pago", "paid"],
    lostStatuses: ["cancelado"],
  },
  visibility: { person: 3 },
  dedupe: { keys: ["email", "phone"] },
  queue: { duplicates: true, ownersWithoutUser: true },
};
