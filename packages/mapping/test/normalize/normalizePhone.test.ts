import { describe, expect, it } from "@effect/vitest";

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
  });
});
