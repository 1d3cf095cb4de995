import { describe, expect, it } from "@effect/vitest";

import { matchHeader, normalizeHeader, tokenSimilarity } from "../../src/proposer/matchHeader.js";

describe("matchHeader", () => {
  describe("normalizeHeader", () => {
    it.each([
      ["E-mail do Responsável", "e mail do responsavel"],
      ["firstName", "first name"],
      ["  Téléphone_portable ", "telephone portable"],
    ])("normalizes %j", (header, expected) => {
      expect(normalizeHeader(header)).toBe(expected);
    });
  });

  describe("tokenSimilarity", () => {
    it("scores shared words", () => {
      expect(tokenSimilarity("lead source", "source")).toBeCloseTo(2 / 3);
      expect(tokenSimilarity("a", "b")).toBe(0);
    });
  });

  describe("matchHeader", () => {
    it.each([
      ["Correo electrónico", "contact", "email", 0.95],
      ["E-mail do responsável", "lead", "owner_email", 0.95],
      ["Work phone 2", "contact", "phone", 0.8],
      ["Lead Source", "lead", "source", 0.95],
    ])("matches %j in %s", (header, kind, concept, score) => {
      const match = matchHeader(header, kind);
      expect(match?.concept.concept).toBe(concept);
      expect(match?.score).toBe(score);
    });

    it("applies lead-only concepts to leads only", () => {
      expect(matchHeader("Stage", "lead")?.concept.concept).toBe("stage");
      expect(matchHeader("Stage", "contact")?.concept.concept).not.toBe("stage");
    });
  });
});
