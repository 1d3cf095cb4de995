import { describe, expect, it } from "@effect/vitest";

import { normalizeDate } from "../../src/normalize/normalizeDate.js";
import { normalizeEmail } from "../../src/normalize/normalizeEmail.js";
import { normalizePhone } from "../../src/normalize/normalizePhone.js";
import { parseBoolean } from "../../src/normalize/parseBoolean.js";
import { parseMoney } from "../../src/normalize/parseMoney.js";

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

describe("normalizeDate", () => {
  it.each([
    ["04/03/2024", "day-first", "UTC", { date: "2024-03-04", timestamp: "2024-03-04T00:00:00Z" }],
    ["03/04/2024", "month-first", "UTC", { date: "2024-03-04", timestamp: "2024-03-04T00:00:00Z" }],
    [
      "04/03/2024 09:30",
      "day-first",
      "UTC",
      { date: "2024-03-04", time: "09:30", timestamp: "2024-03-04T09:30:00Z" },
    ],
    [
      "2024-03-04 09:30",
      "day-first",
      "America/Sao_Paulo",
      { date: "2024-03-04", time: "12:30", timestamp: "2024-03-04T12:30:00Z" },
    ],
  ] as const)("parses %j %s in %s", (raw, order, zone, expected) => {
    expect(normalizeDate(raw, order, zone)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ["31/02/2024", "day-first", "UTC"],
    ["yesterday", "day-first", "UTC"],
    ["04/03/2024", "day-first", "Mars/Olympus"],
  ] as const)("rejects %j %s in %s", (raw, order, zone) => {
    expect(normalizeDate(raw, order, zone).ok).toBe(false);
  });
});

describe("parseBoolean", () => {
  it.each([
    ["Yes", true],
    ["sim", true],
    ["JA", true],
    ["1", true],
    ["não", false],
    ["inactive", false],
    ["0", false],
    ["Nein", false],
  ])("parses %j", (raw, expected) => {
    expect(parseBoolean(raw)).toEqual({ ok: true, value: expected });
  });

  it("rejects words it does not know", () => {
    expect(parseBoolean("maybe").ok).toBe(false);
  });
});
