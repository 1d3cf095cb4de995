import { describe, expect, it } from "@effect/vitest";

import { fictionalPhone, fictionalPhoneCount } from "@ferry/source-flashlead/generator";

import { normalizePhone } from "../../src/normalize/normalizePhone.js";

describe("normalizePhone", () => {
  describe("normalizePhone", () => {
    it.each([
      ["(11) 91234-5678", "BR", "+5511912345678"],
      ["+55 11 91234-5678", "US", "+5511912345678"],
      ["0055 11 91234 5678", "FR", "+5511912345678"],
      ["06 12 34 56 78", "FR", "+33612345678"],
      ["(415) 555-2671", "US", "+14155552671"],
      ["030 1234567", "DE", "+49301234567"],
    ])("normalizes %j in %s", (raw, country, expected) => {
      expect(normalizePhone(raw, country)).toEqual({ ok: true, value: expected });
    });

    it.each([
      ["12", "BR"],
      ["not a phone", "US"],
      ["91234-5678", undefined],
    ])("rejects %j in %s", (raw, country) => {
      expect(normalizePhone(raw, country).ok).toBe(false);
    });

    it("rejects scientific notation as digits lost", () => {
      const result = normalizePhone("9,99748E+11", "GB");
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.reason).toBe("digits-lost");
      expect(result.message).toContain('"9,99748E+11" is a number in scientific notation');
      expect(result.message).toContain("take the number from the original system");
    });

    it.each([
      ["12", "BR"],
      ["12", undefined],
    ])("says what to do with %j in %s", (raw, country) => {
      const result = normalizePhone(raw, country);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.reason).toBe("invalid-phone");
      expect(result.message).toMatch(/correct it in the export|add a country prefix/);
    });
  });

  describe("phones of generated exports", () => {
    const phones = (["lead", "contact"] as const).flatMap((sequence) =>
      Array.from(
        { length: fictionalPhoneCount[sequence] },
        (_, index) => fictionalPhone(sequence, index + 1) ?? "",
      ),
    );

    it.each([
      ["GB", "GB"],
      ["US", "US"],
      ["no default country", undefined],
    ])("normalizes every one with %s", (_, country) => {
      const normalized = phones.map((phone) => normalizePhone(phone, country));
      const values = normalized.flatMap((result) => (result.ok ? [result.value] : []));
      expect(phones.filter((_, index) => normalized[index]?.ok !== true)).toEqual([]);
      expect(new Set(values).size).toBe(phones.length);
    });

    it.each([
      ["07700900000", "GB"],
      ["07700 900999", "GB"],
      ["07700900000", "US"],
    ])("rejects the Excel-wrapped %j in %s", (raw, country) => {
      expect(normalizePhone(raw, country).ok).toBe(false);
    });
  });
});
