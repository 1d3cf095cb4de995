import { describe, expect, it } from "@effect/vitest";

import { splitLead } from "../../src/transforms/leadSplit.js";
import { makeTransformContext } from "../../src/transforms/TransformContext.js";
import { samplePlan } from "../support/samplePlan.js";

const context = makeTransformContext({
  ...samplePlan,
  stages: [...samplePlan.stages, { value: "Esfriou", confidence: 0, reason: "test", review: true }],
});

describe("leadSplit", () => {
  describe("splitLead", () => {
    it.each([
      ["Novo", false, { _tag: "Lead", stage: "Novo", label: "Novo" }],
      [" novo ", false, { _tag: "Lead", stage: "novo", label: "Novo" }],
      [
        "Proposta",
        false,
        {
          _tag: "Deal",
          stage: "Proposta",
          status: "open",
          pipeline: "Vendas",
          pipelineStage: "Proposta",
          probability: 60,
        },
      ],
      [
        "Perdido",
        false,
        {
          _tag: "Deal",
          stage: "Perdido",
          status: "lost",
          pipeline: "Vendas",
          pipelineStage: "Negociação",
          probability: 80,
        },
      ],
      ["Ganho", false, { _tag: "Customer", stage: "Ganho" }],
      ["Novo", true, { _tag: "Customer", stage: "Novo" }],
      ["Proposta", true, { _tag: "Customer", stage: "Proposta" }],
    ] as const)("splits %j (invoice: %s)", (stage, hasInvoice, expected) => {
      expect(splitLead(stage, hasInvoice, context)).toEqual(expected);
    });

    it("leaves a stage without an outcome unmapped", () => {
      const outcome = splitLead("Esfriou", false, context);
      expect(outcome._tag).toBe("Unmapped");
      const message = outcome._tag === "Unmapped" ? outcome.message : "";
      expect(message).toContain('set its "to"');
    });

    it("leaves a stage the plan does not list unmapped", () => {
      expect(splitLead("Arquivado", false, context)._tag).toBe("Unmapped");
    });

    it("keeps open stages as leads when invoices do not make persons", () => {
      const plan = {
        ...samplePlan,
        leadSplit: { ...samplePlan.leadSplit, invoiceMakesPerson: false },
      };
      expect(splitLead("Novo", true, makeTransformContext(plan))._tag).toBe("Lead");
    });
  });
});
