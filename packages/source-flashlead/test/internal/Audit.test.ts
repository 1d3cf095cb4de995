import { describe, expect, it } from "@effect/vitest";
import { Origin, type SourceRecord } from "@ferry/core";

import { Audit, normalizeEmail, normalizePhone } from "../../src/internal/Audit.js";

const record = (kind: string, sourceId: string, fields: Record<string, string>): SourceRecord => ({
  _tag: "SourceRecord",
  kind,
  sourceId,
  fields,
  origin: new Origin({ file: `${kind}.csv`, line: 2 }),
  warnings: [],
});

describe("Audit", () => {
  describe("normalizePhone", () => {
    it.each([
      ["+999 000 0001", "9990000001"],
      ["00999 000 0001", "9990000001"],
      ["(999) 000-0001", "9990000001"],
      ["12345", undefined],
      ["5,58199E+12", undefined],
    ])("normalizes %j", (phone, normalized) => {
      expect(normalizePhone(phone)).toBe(normalized);
    });
  });

  describe("normalizeEmail", () => {
    it("trims and lowers the case", () => {
      expect(normalizeEmail(" Testa@Example.TEST ")).toBe("testa@example.test");
    });
  });

  describe("findings", () => {
    it("matches lead references against hashed lead ids", () => {
      const audit = new Audit();
      audit.record(record("lead", "h:0123456789abcdef", { first_name: "Testa" }));
      audit.record(record("invoice", "I1", { lead_id: "h:0123456789abcdef" }));
      audit.record(record("invoice", "I2", { lead_id: "L404" }));
      const unknown = audit.findings(true).find((f) => f.code === "unknown-lead");
      expect(unknown?.count).toBe(1);
      expect(unknown?.details).toEqual([expect.objectContaining({ value: "L404" })]);
      // L404 is no lead of the leads file, so it does not count as an invoiced lead.
      expect(audit.leadsWithInvoices).toBe(1);
    });

    it("reports duplicates in any case and phone format", () => {
      const audit = new Audit();
      audit.record(record("lead", "1", { email: "a@example.test", phone: "+999 000 0001" }));
      audit.record(record("lead", "2", { email: "A@Example.test ", phone: "00999 0000001" }));
      const codes = audit.findings(true).map((f) => [f.code, f.count]);
      expect(codes).toContainEqual(["duplicate-email", 1]);
      expect(codes).toContainEqual(["duplicate-phone", 1]);
    });
  });
});
