import { describe, expect, it } from "@effect/vitest";

import { kindFromHeader, kindFromName } from "../../src/internal/FileClassifier.js";

describe("FileClassifier", () => {
  describe("kindFromName", () => {
    const cases: ReadonlyArray<[string, string | undefined]> = [
      ["leads.csv", "lead"],
      ["Leads_2024-05-01.CSV", "lead"],
      ["lead.csv", "lead"],
      ["FlashLead Export - Contacts (1).csv", "contact"],
      ["contatos.csv", "contact"],
      ["invoices-2024.csv", "invoice"],
      ["factures.csv", "invoice"],
      ["team_members.csv", "team_member"],
      ["Users.csv", "team_member"],
      ["activity_log.csv", "activity"],
      ["lead_activity_history.csv", "activity"],
      ["ActivityLog.csv", "activity"],
      ["message_threads.csv", "message_thread"],
      ["social-conversations.csv", "message_thread"],
      ["export1.csv", undefined],
    ];

    it.each(cases)("classifies %s", (name, kind) => {
      expect(kindFromName(name)).toBe(kind);
    });
  });

  describe("kindFromHeader", () => {
    const cases: ReadonlyArray<[ReadonlyArray<string>, string | undefined]> = [
      [["Prénom", "Nom", "E-mail", "Téléphone", "Étape"], "lead"],
      [["ID", "Lead ID", "Vorname", "Nachname", "E-Mail"], "contact"],
      [["Número", "ID del lead", "Importe", "Fecha de vencimiento"], "invoice"],
      [["Nome", "Email", "Papel", "Ativo"], "team_member"],
      [["Lead", "Fecha", "Tipo", "Texto"], "activity"],
      [["Lead ID", "Platform", "Conversation", "Message Count"], "message_thread"],
      [["alpha", "beta"], undefined],
    ];

    it.each(cases)("classifies %j", (header, kind) => {
      expect(kindFromHeader(header)).toBe(kind);
    });
  });
});
