import { describe, expect, it } from "@effect/vitest";

import {
  canonicalColumnFor,
  canonicalColumns,
  flashLeadKinds,
  normalizeLabel,
} from "../src/index.js";

describe("HeaderAliases", () => {
  describe("normalizeLabel", () => {
    it("drops accents, case and punctuation", () => {
      expect(normalizeLabel("  Téléphone_Mobile ")).toBe("telephone mobile");
      expect(normalizeLabel("E-Mail")).toBe("e mail");
    });
  });

  describe("canonicalColumnFor", () => {
    const cases: ReadonlyArray<[string, string, string | undefined]> = [
      ["lead", "E-mail", "email"],
      ["lead", "Prénom", "first_name"],
      ["lead", "Nachname", "last_name"],
      ["lead", "Teléfono", "phone"],
      ["lead", "Responsável", "owner_email"],
      ["lead", "Status", "stage"],
      ["invoice", "Status", "status"],
      ["team_member", "Status", "active"],
      ["activity", "Date", "timestamp"],
      ["invoice", "Date", "issue_date"],
      ["contact", "Lead ID", "lead_id"],
      ["lead", "Lead ID", "id"],
      ["message_thread", "Conversa", "thread"],
      ["lead", "Budget Range", undefined],
    ];

    it.each(cases)("maps %s header %j", (kind, header, column) => {
      expect(canonicalColumnFor(kind as (typeof flashLeadKinds)[number], header)).toBe(column);
    });

    it("recognizes every canonical name as written", () => {
      for (const kind of flashLeadKinds) {
        for (const column of canonicalColumns[kind]) {
          expect(canonicalColumnFor(kind, column), `${kind}.${column}`).toBe(column);
        }
      }
    });
  });
});
