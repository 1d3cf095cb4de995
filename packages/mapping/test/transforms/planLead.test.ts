import { describe, expect, it } from "@effect/vitest";

import type { TransformOutput } from "@ferry/core";

import type { MappingPlan } from "../../src/Plan.js";
import { planLead } from "../../src/transforms/planLead.js";
import { RunState } from "../../src/transforms/RunState.js";
import { makeTransformContext } from "../../src/transforms/TransformContext.js";
import { sourceRecord } from "../support/MemoryStaging.js";
import { asPlanned } from "../support/narrow.js";
import { samplePlan } from "../support/samplePlan.js";

const context = makeTransformContext(samplePlan);
const lead = (fields: Record<string, string>) =>
  sourceRecord("lead", 2, { id: "L1", owner_email: "bia@example.test", ...fields });

/** The sample plan with the lead's source and tags mapped to the deal as well as the person. */
const bothKindsPlan: MappingPlan = {
  ...samplePlan,
  fields: [
    ...samplePlan.fields,
    {
      object: "lead",
      column: "source",
      transform: "lead-source",
      target: { kind: "deal", custom: "Lead Source", type: "enum" },
      confidence: 0.95,
      reason: "test",
    },
    {
      object: "lead",
      column: "tags",
      transform: "tags",
      target: { kind: "deal", custom: "Tags", type: "set" },
      confidence: 0.95,
      reason: "test",
    },
  ],
};
const bothKinds = makeTransformContext(bothKindsPlan);

const problemsOf = (outputs: ReadonlyArray<TransformOutput>) =>
  outputs.flatMap((o) =>
    o._tag === "Rejection"
      ? [`${o.code}:${o.column}:${o.value}`]
      : o._tag === "LossyStep"
        ? [`${o.code}:${o.field}:${o.value}`]
        : [],
  );
const plannedOf = (outputs: ReadonlyArray<TransformOutput>, kind: string) =>
  asPlanned(outputs.find((o) => o._tag === "PlannedRecord" && o.kind === kind));
const kinds = (fields: Record<string, string>, hasInvoice = false) =>
  planLead(lead(fields), hasInvoice, context, new RunState()).outputs.map((o) =>
    o._tag === "PlannedRecord" || o._tag === "QueuedRecord"
      ? `${o._tag}:${o.kind}`
      : `${o._tag}:${"code" in o ? o.code : ""}`,
  );

describe("planLead", () => {
  describe("planLead", () => {
    it.each([
      [
        { full_name: "Ana", company: "Acme", stage: "Proposta" },
        false,
        ["PlannedRecord:organization", "PlannedRecord:person", "PlannedRecord:deal"],
      ],
      [{ full_name: "Ana", stage: "Novo" }, false, ["PlannedRecord:person", "PlannedRecord:lead"]],
      [{ full_name: "Ana", stage: "Ganho" }, false, ["PlannedRecord:person"]],
      [{ full_name: "Ana", stage: "Novo" }, true, ["PlannedRecord:person"]],
      [
        { full_name: "Ana", stage: "Esquecido" },
        false,
        ["PlannedRecord:person", "QueuedRecord:deal"],
      ],
      [{ stage: "Novo" }, false, ["Rejection:person-without-name"]],
      [
        { company: "Acme", stage: "Novo" },
        false,
        ["PlannedRecord:organization", "PlannedRecord:person", "PlannedRecord:lead"],
      ],
    ])("plans %j (invoice: %s)", (fields, hasInvoice, expected) => {
      expect(kinds(fields, hasInvoice)).toEqual(expected);
    });

    it("records deal columns of a customer", () => {
      const { outputs } = planLead(
        lead({ full_name: "Ana", stage: "Ganho", value: "R$ 10,00" }),
        false,
        context,
        new RunState(),
      );
      const lossy = outputs.find((o) => o._tag === "LossyStep");
      expect(lossy).toMatchObject({
        code: "deal-field-on-customer",
        field: "value",
        value: "R$ 10,00",
      });
    });

    it("records only deal columns no person field got", () => {
      const { outputs } = planLead(
        lead({
          full_name: "Ana",
          stage: "Ganho",
          value: "R$ 10,00",
          source: "Facebook",
          tags: "vip",
        }),
        false,
        bothKinds,
        new RunState(),
      );
      expect(problemsOf(outputs)).toEqual(["deal-field-on-customer:value:R$ 10,00"]);
      expect(plannedOf(outputs, "person").custom).toMatchObject({
        "Lead Source": "Facebook",
        Tags: ["VIP"],
      });
    });

    it("rejects an invalid value of a deal column", () => {
      const { outputs } = planLead(
        lead({ full_name: "Ana", stage: "Proposta", value: "8.4OO" }),
        false,
        context,
        new RunState(),
      );
      const rejection = outputs.find((o) => o._tag === "Rejection");
      expect(rejection).toMatchObject({ code: "invalid-money", column: "value", value: "8.4OO" });
      expect(rejection?.message).toContain("leads.csv:2 column value");
      expect(plannedOf(outputs, "deal").fields.value).toBeUndefined();
    });

    it("records a problem of a column on two kinds once", () => {
      const { outputs } = planLead(
        lead({ full_name: "Ana", stage: "Proposta", source: "Outdoor", tags: "vip, novo" }),
        false,
        bothKinds,
        new RunState(),
      );
      expect(problemsOf(outputs)).toEqual([
        "unmapped-lead source:source:Outdoor",
        "tag-not-in-plan:tags:novo",
      ]);
      expect(plannedOf(outputs, "deal").custom).toMatchObject({ Tags: ["VIP"] });
    });

    it("titles the deal of a duplicate person with its own name", () => {
      const state = new RunState();
      planLead(
        lead({ full_name: "Ana", email: "a@example.test", stage: "Novo" }),
        false,
        context,
        state,
      );
      const second = sourceRecord("lead", 3, {
        id: "L2",
        full_name: "Bea",
        email: "a@example.test",
        company: "Acme",
        stage: "Proposta",
        owner_email: "bia@example.test",
      });
      const { outputs } = planLead(second, false, context, state);
      expect(outputs.find((o) => o._tag === "QueuedRecord")?.kind).toBe("person");
      expect(plannedOf(outputs, "deal").fields.title).toBe("Bea (Acme)");
      expect(plannedOf(outputs, "deal").links.person_id).toEqual({ kind: "lead", sourceId: "L1" });
    });

    it("records a lead without an owner", () => {
      const { outputs } = planLead(
        lead({ full_name: "Ana", stage: "Novo", owner_email: "" }),
        false,
        context,
        new RunState(),
      );
      const step = outputs.find((o) => o._tag === "LossyStep");
      expect(step).toMatchObject({ code: "no-owner", field: "owner_email", value: "" });
      expect(step).toHaveProperty("message", expect.stringContaining("user of the API token"));
      expect(plannedOf(outputs, "lead").fields.owner).toBeUndefined();
    });

    it("gives a lead without an owner to the plan's default owner", () => {
      const withDefault = makeTransformContext({ ...samplePlan, defaultOwner: "Bia@Example.test" });
      const { outputs, hold } = planLead(
        lead({ full_name: "Ana", stage: "Novo", owner_email: " " }),
        false,
        withDefault,
        new RunState(),
      );
      expect(problemsOf(outputs)).toEqual([]);
      expect(hold).toBeUndefined();
      expect(plannedOf(outputs, "person").fields.owner).toBe("bia@example.test");
      expect(plannedOf(outputs, "lead").fields.owner).toBe("bia@example.test");
    });

    it("holds a lead whose default owner is not a user", () => {
      const withDefault = makeTransformContext(
        { ...samplePlan, defaultOwner: "gone@example.test" },
        { users: new Set(["bia@example.test"]) },
      );
      const { hold } = planLead(
        lead({ full_name: "Ana", stage: "Novo", owner_email: "" }),
        false,
        withDefault,
        new RunState(),
      );
      expect(hold?.email).toBe("gone@example.test");
      expect(hold?.message).toContain("defaultOwner gone@example.test is not a user");
    });

    it("keeps the original stage on the person and the deal", () => {
      const { outputs } = planLead(
        lead({ full_name: "Ana", stage: "Perdido" }),
        false,
        context,
        new RunState(),
      );
      const custom = outputs.flatMap((o) =>
        o._tag === "PlannedRecord" ? [o.custom.fls_original_stage__c] : [],
      );
      expect(custom).toEqual(["Perdido", "Perdido"]);
    });

    it("holds a lead whose owner has no user", () => {
      const planned = planLead(
        lead({ full_name: "Ana", stage: "Novo", owner_email: "dora@example.test" }),
        false,
        context,
        new RunState(),
      );
      expect(planned.hold?.email).toBe("dora@example.test");
    });
  });
});
