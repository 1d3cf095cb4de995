import { describe, expect, it } from "@effect/vitest";

import { classifyActivity, parseStageChange } from "../../src/index.js";

describe("ActivityKind", () => {
  describe("parseStageChange", () => {
    const cases: ReadonlyArray<[string, string, string]> = [
      ["Stage changed from New to Qualified", "New", "Qualified"],
      ['Stage moved from "Proposal" to "Won".', "Proposal", "Won"],
      ["Moved from Contacted to Lost", "Contacted", "Lost"],
      ["Étape changée de Nouveau à Qualifié", "Nouveau", "Qualifié"],
      ["Etapa cambiada de Nuevo a Calificado", "Nuevo", "Calificado"],
      ["Etapa alterada de Novo para Qualificado", "Novo", "Qualificado"],
      ["Phase geändert von Neu zu Qualifiziert", "Neu", "Qualifiziert"],
      ["New → Qualified", "New", "Qualified"],
    ];

    it.each(cases)("reads %s", (text, from, to) => {
      expect(parseStageChange(text)).toEqual({ from, to });
    });

    it("returns undefined for other texts", () => {
      expect(parseStageChange("Called about the offer")).toBeUndefined();
    });
  });

  describe("classifyActivity", () => {
    const cases: ReadonlyArray<[string, string, string]> = [
      ["Stage change", "", "stage_transition"],
      ["Changement d'étape", "", "stage_transition"],
      ["Call", "", "call"],
      ["Appel", "", "call"],
      ["Ligação", "", "call"],
      ["Anruf", "", "call"],
      ["E-mail", "", "email"],
      ["Courriel", "", "email"],
      ["Meeting", "", "meeting"],
      ["Réunion", "", "meeting"],
      ["Note", "", "note"],
      ["WhatsApp", "", "message"],
      ["", "Stage changed from New to Won", "stage_transition"],
      ["Tarefa", "Send the contract", "other"],
      ["", "", "other"],
    ];

    it.each(cases)("classifies type %j with text %j", (type, text, kind) => {
      expect(classifyActivity(type, text)).toBe(kind);
    });
  });
});
