import { describe, expect, it } from "@effect/vitest";

import { parseMoney } from "../../src/normalize/parseMoney.js";

describe("parseMoney", () => {
  describe("parseMoney", () => {
    it.each([
      ["R$ 1.000,50", "pt-BR", "BRL", 1000.5, "BRL"],
      ["1.234.567,89", "pt-BR", "BRL", 1234567.89, "BRL"],
      ["€1,234.50", "en-IE", "EUR", 1234.5, "EUR"],
      ["1 234,50 €", "fr-FR", "EUR", 1234.5, "EUR"],
      ["USD 99.90", "en-US", "BRL", 99.9, "USD"],
      ["99,90 EUR", "de-DE", "USD", 99.9, "EUR"],
      ["$ 12", "en-US", "CAD", 12, "CAD"],
      ["US$ 12", "en-US", "CAD", 12, "USD"],
      ["-R$ 10,00", "pt-BR", "BRL", -10, "BRL"],
      ["(1,000.00)", "en-US", "USD", -1000, "USD"],
      ["1500", "pt-BR", "BRL", 1500, "BRL"],
      ["£0.99", "en-GB", "GBP", 0.99, "GBP"],
    ])("parses %j in %s", (raw, locale, currency, value, expectedCurrency) => {
      expect(parseMoney(raw, locale, currency)).toEqual({
        ok: true,
        value: { value, currency: expectedCurrency },
      });
    });

    it.each([
      ["1,000.50", "pt-BR"],
      ["1.000,50", "en-US"],
      ["abc", "en-US"],
      ["12.34.56", "en-US"],
      ["", "en-US"],
    ])("rejects %j in %s", (raw, locale) => {
      expect(parseMoney(raw, locale, "USD").ok).toBe(false);
    });
  });
});
