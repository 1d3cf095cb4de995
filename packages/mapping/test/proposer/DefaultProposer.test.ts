import { describe, expect, it } from "@effect/vitest";
import type { DestinationSchema, Inventory } from "@ferry/core";
import { Effect } from "effect";

import type { FieldMapping } from "../../src/Plan.js";
import { defaultProposer } from "../../src/proposer/DefaultProposer.js";
import { highConfidence } from "../../src/proposer/proposeFields.js";
import { column, inventory, object } from "../support/inventory.js";

const describeMapping = (mapping: FieldMapping): string => {
  if (mapping.review === true) return "review";
  const target = mapping.target;
  if (target === undefined) return mapping.transform;
  return "field" in target
    ? `${mapping.transform}:${target.kind}.${target.field}`
    : `${mapping.transform}:${target.kind}.custom(${target.custom})`;
};

/** Each column's mappings, as "transform:kind.field" strings joined by " + ". */
const mappingsOf = (inv: Inventory, kind: string, destination?: DestinationSchema) => {
  const { plan } = Effect.runSync(
    defaultProposer.propose({
      inventory: inv,
      ...(destination === undefined ? {} : { destination }),
    }),
  );
  const result: Record<string, string> = {};
  for (const mapping of plan.fields.filter((f) => f.object === kind)) {
    const text = describeMapping(mapping);
    result[mapping.column] =
      result[mapping.column] === undefined ? text : `${result[mapping.column]} + ${text}`;
  }
  return { result, plan };
};

const flashLead = inventory(
  [
    object(
      "lead",
      [
        column("ID", "id", { name: "id" }),
        column("Nome", "string", { name: "full_name" }),
        column("E-mail", "email", { name: "email" }),
        column("Telefone", "phone", { name: "phone", samples: ["+55 11 91234-5678"] }),
        column("Empresa", "string", { name: "company" }),
        column("Etapa", "picklist", {
          name: "stage",
          distinct: [
            "Novo",
            "Qualificado",
            "Proposta",
            "Negociação",
            "Ganho",
            "Perdido",
            "Esfriou",
          ],
        }),
        column("Origem", "picklist", { name: "source", distinct: ["Facebook", "Indicação"] }),
        column("Tags", "list", { name: "tags", distinct: ["vip; expo", "vip"] }),
        column("Responsável", "email", {
          name: "owner_email",
          distinct: ["Bia@Example.test", "caio@example.test"],
        }),
        column("Valor", "money", { name: "value", samples: ["R$ 1.000,50"] }),
        column("Criado em", "datetime", { name: "created_at", format: "day-first, with time" }),
        column("Alterado em", "datetime", { name: "updated_at", format: "year-first, with time" }),
        column("Observações", "text", { name: "notes" }),
        column("Cor favorita", "string"),
      ],
      ";",
    ),
    object("invoice", [
      column("Número", "string", { name: "number" }),
      column("Descrição", "text", { name: "description" }),
      column("Anexo", "string", { name: "attachment" }),
      column("Campo extra", "string"),
    ]),
  ],
  [
    {
      code: "owner-inactive",
      severity: "info",
      message: "",
      kind: "lead",
      details: [{ value: "caio@example.test", count: 3 }],
    },
    {
      code: "owner-inactive",
      severity: "info",
      message: "",
      kind: "contact",
      details: [{ value: "bia@example.test", count: 1 }],
    },
  ],
);

const hubspot = inventory([
  object("contact", [
    column("Record ID", "id"),
    column("First Name", "string"),
    column("Last Name", "string"),
    column("Email", "email"),
    column("Phone Number", "phone", { samples: ["(415) 555-2671"] }),
    column("Mobile Phone Number", "phone"),
    column("Company Name", "string"),
    column("Job Title", "string"),
    column("Contact owner", "email"),
    column("Create Date", "datetime", { format: "month-first" }),
    column("Favorite Color", "picklist", { distinct: ["red", "blue"] }),
    column("Secondary inbox", "email"),
    column("Empty column", "empty"),
  ]),
]);

const zohoSpanish = inventory([
  object("lead", [
    column("Nombre", "string"),
    column("Apellidos", "string"),
    column("Correo electrónico", "email"),
    column("Teléfono móvil", "phone", { samples: ["+34 612 34 56 78"] }),
    column("Empresa", "string"),
    column("Estado del lead", "picklist", {
      distinct: ["Nuevo", "Contactado", "Cualificado", "Perdido"],
    }),
    column("Fuente de lead", "picklist", { distinct: ["Web", "Feria"] }),
    column("Propietario de Lead", "email"),
    column("Ciudad", "string"),
    column("Fecha de creación", "date", { format: "day-first" }),
  ]),
]);

const french = inventory([
  object("contact", [
    column("Prénom", "string"),
    column("Nom", "string"),
    column("Courriel", "email"),
    column("Téléphone portable", "phone", { samples: ["06 12 34 56 78"] }),
    column("Société", "string"),
    column("Fonction", "string"),
    column("Montant", "money", { samples: ["1 234,50 €"] }),
    column("Pays", "string"),
    column("Remarques", "text"),
  ]),
]);

const german = inventory([
  object("lead", [
    column("Vorname", "string"),
    column("Nachname", "string"),
    column("E-Mail-Adresse", "email"),
    column("Telefon", "phone"),
    column("Firma", "string"),
    column("Phase", "picklist", {
      distinct: ["Neu", "Angebot", "Verhandlung", "Gewonnen", "Verloren"],
    }),
    column("Quelle", "picklist", { distinct: ["Messe"] }),
    column("Schlagworte", "list"),
    column("Betrag", "money", { samples: ["1.234,50 €"] }),
    column("Notizen", "text"),
    column("Anhang", "string"),
    column("Kontakt", "email"),
  ]),
]);

const camelCase = inventory([
  object("contact", [
    column("firstName", "string"),
    column("lastName", "string"),
    column("emailAddress", "email"),
    column("mobileNumber", "phone"),
    column("companyName", "string"),
    column("website", "url"),
    column("linkedinProfile", "url"),
    column("score", "number"),
  ]),
]);

const expectExactly = (actual: Record<string, string>, expected: Record<string, string>) => {
  for (const [name, mapping] of Object.entries(expected)) expect(actual[name], name).toBe(mapping);
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
};

describe("DefaultProposer", () => {
  describe("propose", () => {
    it("maps a Flash Lead export with Portuguese headers", () => {
      expectExactly(mappingsOf(flashLead, "lead").result, {
        id: "reference",
        full_name: "full-name:person.name",
        email: "email:person.emails",
        phone: "phone:person.phones",
        company: "text:organization.name",
        stage: "stage",
        source: "lead-source:person.custom(Lead Source) + lead-source:deal.custom(Lead Source)",
        tags: "tags:person.custom(Tags) + tags:deal.custom(Tags)",
        owner_email: "owner",
        value: "money:deal.value",
        created_at: "datetime:person.add_time",
        updated_at: "reference",
        notes: "note",
        "Cor favorita": "review",
      });
      expectExactly(mappingsOf(flashLead, "invoice").result, {
        number: "reference",
        description: "text:deal.custom(Invoice description)",
        attachment: "attachment",
        "Campo extra": "review",
      });
    });

    it("maps a HubSpot export with English headers", () => {
      expectExactly(mappingsOf(hubspot, "contact").result, {
        "Record ID": "reference",
        "First Name": "first-name:person.name",
        "Last Name": "last-name:person.name",
        Email: "email:person.emails",
        "Phone Number": "phone:person.phones",
        "Mobile Phone Number": "phone:person.phones",
        "Company Name": "text:organization.name",
        "Job Title": "text:person.job_title",
        "Contact owner": "owner",
        "Create Date": "datetime:person.add_time",
        "Favorite Color": "review",
        "Secondary inbox": "email:person.emails",
        "Empty column": "text",
      });
    });

    it("maps a Zoho export with Spanish headers", () => {
      expectExactly(mappingsOf(zohoSpanish, "lead").result, {
        Nombre: "first-name:person.name",
        Apellidos: "last-name:person.name",
        "Correo electrónico": "email:person.emails",
        "Teléfono móvil": "phone:person.phones",
        Empresa: "text:organization.name",
        "Estado del lead": "stage",
        "Fuente de lead":
          "lead-source:person.custom(Lead Source) + lead-source:deal.custom(Lead Source)",
        "Propietario de Lead": "owner",
        Ciudad: "text:person.custom(City)",
        "Fecha de creación": "datetime:person.add_time",
      });
    });

    it("maps a French export where Nom is the last name", () => {
      expectExactly(mappingsOf(french, "contact").result, {
        Prénom: "first-name:person.name",
        Nom: "last-name:person.name",
        Courriel: "email:person.emails",
        "Téléphone portable": "phone:person.phones",
        Société: "text:organization.name",
        Fonction: "text:person.job_title",
        Montant: "review",
        Pays: "text:person.custom(Country)",
        Remarques: "note",
      });
    });

    it("maps a German export", () => {
      expectExactly(mappingsOf(german, "lead").result, {
        Vorname: "first-name:person.name",
        Nachname: "last-name:person.name",
        "E-Mail-Adresse": "email:person.emails",
        Telefon: "phone:person.phones",
        Firma: "text:organization.name",
        Phase: "stage",
        Quelle: "lead-source:person.custom(Lead Source) + lead-source:deal.custom(Lead Source)",
        Schlagworte: "tags:person.custom(Tags) + tags:deal.custom(Tags)",
        Betrag: "money:deal.value",
        Notizen: "note",
        Anhang: "attachment",
        Kontakt: "email:person.emails",
      });
    });

    it("maps camelCase headers", () => {
      expectExactly(mappingsOf(camelCase, "contact").result, {
        firstName: "first-name:person.name",
        lastName: "last-name:person.name",
        emailAddress: "email:person.emails",
        mobileNumber: "phone:person.phones",
        companyName: "text:organization.name",
        website: "url:person.custom(Website)",
        linkedinProfile: "url:person.custom(linkedinProfile)",
        score: "review",
      });
    });

    it("keeps value-only guesses below high confidence", () => {
      const { plan } = mappingsOf(german, "lead");
      const kontakt = plan.fields.find((f) => f.column === "Kontakt");
      expect(kontakt?.confidence).toBeLessThan(highConfidence);
      expect(kontakt?.reason).toContain("header not recognized");
    });

    it("classifies stages and orders the pipeline", () => {
      const { plan } = mappingsOf(flashLead, "lead");
      const outcome = Object.fromEntries(plan.stages.map((s) => [s.value, s.to ?? "review"]));
      expect(outcome).toEqual({
        Novo: "lead",
        Qualificado: "deal",
        Proposta: "deal",
        Negociação: "deal",
        Ganho: "won",
        Perdido: "lost",
        Esfriou: "review",
      });
      expect(plan.pipelines[0]?.stages).toEqual([
        { name: "Qualificado", probability: 25 },
        { name: "Proposta", probability: 50 },
        { name: "Negociação", probability: 75 },
      ]);
      expect(plan.stages.find((s) => s.value === "Perdido")?.stage).toBe("Negociação");
    });

    it("takes stage order and probabilities from the export", () => {
      const inv = inventory(
        [object("lead", [column("Stage", "picklist", { name: "stage" })])],
        [
          {
            code: "stages",
            severity: "info",
            message: "",
            details: [
              { value: "Proposal", count: 4, order: 2, probability: 70 },
              { value: "Qualified", count: 9, order: 1, probability: 30 },
            ],
          },
        ],
      );
      const { plan } = mappingsOf(inv, "lead");
      expect(plan.pipelines[0]?.stages).toEqual([
        { name: "Qualified", probability: 30 },
        { name: "Proposal", probability: 70 },
      ]);
    });

    it("lists sources, split tags and owners", () => {
      const { plan } = mappingsOf(flashLead, "lead");
      expect(plan.leadSources.values).toEqual([
        { value: "Facebook", option: "Facebook" },
        { value: "Indicação", option: "Indicação" },
      ]);
      expect(plan.tags.values.map((t) => t.option)).toEqual(["vip", "expo"]);
      expect(plan.owners.map((o) => [o.email, o.action, o.active])).toEqual([
        ["bia@example.test", "queue", false],
        ["caio@example.test", "queue", false],
      ]);
    });

    it("infers the region from money samples", () => {
      const { plan } = mappingsOf(flashLead, "lead");
      expect(plan.files[0]).toMatchObject({
        delimiter: ";",
        dateOrder: "day-first",
        numberLocale: "pt-BR",
        defaultCurrency: "BRL",
        defaultPhoneCountry: "BR",
        timeZone: "America/Sao_Paulo",
      });
    });

    it("maps owners to destination users and warns about the field cap", () => {
      const destination: DestinationSchema = {
        users: [{ id: "1", name: "Bia", email: "bia@example.test", isActive: true, isAdmin: true }],
        pipelines: [],
        fields: {},
        labels: [],
        activityTypes: [],
        limits: { customFieldCap: 5, customFieldCount: 3 },
      };
      const { plan } = mappingsOf(flashLead, "lead", destination);
      expect(plan.owners[0]).toMatchObject({
        email: "bia@example.test",
        action: "user",
        name: "Bia",
      });
      const { warnings } = Effect.runSync(
        defaultProposer.propose({ inventory: flashLead, destination }),
      );
      expect(warnings.map((w) => w.code)).toContain("custom-field-cap");
    });

    it("keeps a contact's lead id on its person", () => {
      const contacts = inventory([
        object("contact", [
          column("Contact ID", "id", { name: "id" }),
          column("Lead ID", "id", { name: "lead_id" }),
          column("First Name", "string", { name: "first_name" }),
        ]),
      ]);
      const { result, plan } = mappingsOf(contacts, "contact");
      expect(result).toMatchObject({
        id: "reference",
        lead_id: "text:person.custom(Flash Lead lead id)",
      });
      const leadId = plan.fields.find((field) => field.column === "lead_id");
      expect(leadId?.target).toEqual({
        kind: "person",
        custom: "Flash Lead lead id",
        type: "varchar",
      });
    });

    it("asks for a default owner when records have none", () => {
      const ownerless = inventory(flashLead.objects, [
        {
          code: "missing-owner",
          severity: "warning",
          message: "11 lead records have no owner; choose a default owner",
          kind: "lead",
          count: 11,
        },
      ]);
      const { plan, warnings } = Effect.runSync(defaultProposer.propose({ inventory: ownerless }));
      const warning = warnings.find((w) => w.code === "missing-owner");
      expect(warning?.message).toContain("11 lead records have no owner; set defaultOwner");
      expect(plan.defaultOwner).toBeUndefined();
    });

    it("explains every choice", () => {
      for (const inv of [flashLead, hubspot, zohoSpanish, french, german, camelCase]) {
        const { plan } = Effect.runSync(defaultProposer.propose({ inventory: inv }));
        for (const field of plan.fields)
          expect(field.reason.length, field.column).toBeGreaterThan(10);
      }
    });
  });
});
