import { describe, expect, it } from "@effect/vitest";

import { planInvoice } from "../../src/transforms/planInvoice.js";
import { makeTransformContext } from "../../src/transforms/TransformContext.js";
import { sourceRecord } from "../support/MemoryStaging.js";
import { samplePlan } from "../support/samplePlan.js";

const context = makeTransformContext(samplePlan);
const links = {
  person: { kind: "lead", sourceId: "L1" },
  org: undefined,
  owner: "bia@example.test",
};
const invoice = (fields: Record<string, string>) =>
  sourceRecord("invoice", 2, { id: "I1", ...fields });

describe("planInvoice", () => {
  describe("planInvoice", () => {
    it.each([
      ["pago", { status: "won", won_time: "2024-02-10T03:00:00Z" }],
      ["Cancelado", { status: "lost" }],
      ["aberto", { status: "open" }],
    ])("maps status %j", (status, expected) => {
      const { deal } = planInvoice(
        invoice({ number: "7", status, paid_date: "10/02/2024" }),
        links,
        context,
      );
      expect(deal.fields).toMatchObject(expected);
      if (expected.status !== "won") expect(deal.fields.won_time).toBeUndefined();
    });

    it("reads the amount with the locale and the invoice's currency", () => {
      const { deal, problems } = planInvoice(
        invoice({ number: "7", amount: "1.234,56", currency: "usd" }),
        links,
        context,
      );
      expect(deal.fields).toMatchObject({
        value: 1234.56,
        currency: "USD",
        owner: "bia@example.test",
      });
      expect(deal.custom["Invoice amount"]).toEqual({ value: 1234.56, currency: "USD" });
      expect(problems).toEqual([]);
    });

    it("rejects values it cannot read and keeps the deal", () => {
      const { deal, problems } = planInvoice(
        invoice({ number: "", amount: "1,234.56", currency: "N/A", issue_date: "31/02/2024" }),
        links,
        context,
      );
      expect(deal.fields.title).toBe("Invoice I1");
      expect(problems.map((p) => p._tag === "Rejection" && p.column)).toEqual([
        "currency",
        "amount",
        "issue_date",
      ]);
    });

    it("records a lost invoice's unknown loss date", () => {
      const { deal, problems } = planInvoice(
        invoice({ number: "7", status: "Cancelado" }),
        links,
        context,
      );
      expect(deal.fields.status).toBe("lost");
      expect(deal.fields.lost_time).toBeUndefined();
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({
        _tag: "LossyStep",
        code: "lost-time-unknown",
        field: "status",
        value: "Cancelado",
      });
      expect(problems[0]?.message).toContain('invoice 7 has the status "Cancelado"');
    });

    it("records a won invoice without a paid date", () => {
      const { deal, problems } = planInvoice(
        invoice({ number: "7", status: "pago", paid_date: "" }),
        links,
        context,
      );
      expect(deal.fields.status).toBe("won");
      expect(deal.fields.won_time).toBeUndefined();
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ _tag: "LossyStep", code: "won-time-unknown" });
      expect(problems[0]?.message).toContain("Fill in the paid date");
    });

    it("records no loss for a dated win or an open invoice", () => {
      for (const fields of [{ status: "pago", paid_date: "10/02/2024" }, { status: "aberto" }]) {
        const { problems } = planInvoice(invoice({ number: "7", ...fields }), links, context);
        expect(problems).toEqual([]);
      }
    });

    it("keeps the due date as the expected close date", () => {
      const { deal } = planInvoice(
        invoice({ number: "7", due_date: "28/02/2024" }),
        links,
        context,
      );
      expect(deal.fields.expected_close_date).toBe("2024-02-28");
      expect(deal.links).toEqual({ person_id: links.person });
    });
  });
});
