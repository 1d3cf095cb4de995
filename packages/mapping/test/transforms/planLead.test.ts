import { describe, expect, it } from "@effect/vitest";

import { planLead } from "../../src/transforms/planLead.js";
import { RunState } from "../../src/transforms/RunState.js";
import { makeTransformContext } from "../../src/transforms/TransformContext.js";
import { sourceRecord } from "../support/MemoryStaging.js";
import { samplePlan } from "../support/samplePlan.js";

const context = makeTransformContext(samplePlan);
const lead = (fields: Record<string, string>) => sourceRecord("lead", 2, { id: "L1", ...fields });
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
