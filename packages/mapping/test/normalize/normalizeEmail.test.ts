import { describe, expect, it } from "@effect/vitest";

import { normalizeEmail } from "../../src/normalize/normalizeEmail.js";

describe("normalizeEmail", () => {
  describe("normalizeEmail", () => {
    it.each([
      ["  Ana.Lima@Example.TEST ", "ana.lima@example.test"],
      ["bia+news@mail.example.com", "bia+news@mail.example.com"],
    ])("normalizes %j", (raw, expected) => {
      expect(normalizeEmail(raw)).toEqual({ ok: true, value: expected });
    });

    it.each(["ana@", "ana lima@example.test", "@example.test", "ana@example", "ana@@x.test", ""])(
      "rejects %j",
      (raw) => {
        const result = normalizeEmail(raw);
        expect(result.ok).toBe(false);
      },
    );

    it("names the raw value in the message", () => {
      const result = normalizeEmail("ana@");
      expect(result.ok ? "" : result.message).toContain('"ana@"');
    });
  });
});
