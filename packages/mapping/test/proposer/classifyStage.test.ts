import { describe, expect, it } from "@effect/vitest";

import { classifyStage } from "../../src/proposer/classifyStage.js";

describe("classifyStage", () => {
  describe("classifyStage", () => {
    it.each([
      ["Novo", "lead"],
      ["Unqualified", "lead"],
      ["Não qualificado", "lead"],
      ["Qualificado", "deal"],
      ["Proposta enviada", "deal"],
      ["Negociación", "deal"],
      ["Closed Won", "won"],
      ["Fechado - Ganho", "won"],
      ["Cliente", "customer"],
      ["Closed Lost", "lost"],
      ["Verloren", "lost"],
      ["Disqualified", "lost"],
    ])("classifies %j as %s", (name, to) => {
      expect(classifyStage(name)?.to).toBe(to);
    });

    it("ranks pipeline stages in sales order", () => {
      const ranks = ["Qualified", "Demo", "Proposal", "Negotiation", "Contract"].map(
        (n) => classifyStage(n)?.rank,
      );
      expect(ranks).toEqual([2, 3, 4, 5, 6]);
    });

    it("returns nothing for a name without a keyword", () => {
      expect(classifyStage("Esfriou")).toBeUndefined();
    });
  });
});
