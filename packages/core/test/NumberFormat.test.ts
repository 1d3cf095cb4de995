import { describe, expect, it } from "@effect/vitest";

import { isEmailAddress, localeSeparators, readAmount, readMoney } from "../src/index.js";

describe("NumberFormat", () => {
  describe("readMoney", () => {
    it("reads amounts with the given separators only", () => {
      const dotDecimal = localeSeparators("en-US");
      const commaDecimal = localeSeparators("pt-BR");
      expect(readMoney("1,234.56", dotDecimal, "USD")).toEqual({ value: 1234.56, currency: "USD" });
      expect(readMoney("1.234,56", dotDecimal, "USD")).toBeUndefined();
      expect(readMoney("R$ 1.234,56", commaDecimal, "BRL")).toEqual({
        value: 1234.56,
        currency: "BRL",
      });
      expect(readMoney("(EUR 1,000.50)", dotDecimal, "USD")).toEqual({
        value: -1000.5,
        currency: "EUR",
      });
      expect(readMoney("8.4OO", dotDecimal, "USD")).toBeUndefined();
    });

    it("groups digits with any space where the locale groups with one", () => {
      const spaced = { group: "\u202f", decimal: "," };
      expect(readAmount("1 234,5", spaced)).toBe(1234.5);
      expect(readAmount("1\u00a0234", spaced)).toBe(1234);
      expect(readAmount("1.234", spaced)).toBeUndefined();
    });
  });

  describe("isEmailAddress", () => {
    it("accepts dotted domains in any case and rejects others", () => {
      expect(isEmailAddress(" Ana.Lima@Example.TEST ")).toBe(true);
      expect(isEmailAddress("testa.amostra.6@example")).toBe(false);
      expect(isEmailAddress("ana lima@example.test")).toBe(false);
    });
  });
});
