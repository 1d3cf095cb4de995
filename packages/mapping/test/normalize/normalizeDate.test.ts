import { describe, expect, it } from "@effect/vitest";

import { normalizeDate } from "../../src/normalize/normalizeDate.js";

describe("normalizeDate", () => {
  describe("normalizeDate", () => {
    it.each([
      ["04/03/2024", "day-first", "UTC", { date: "2024-03-04", timestamp: "2024-03-04T00:00:00Z" }],
      [
        "03/04/2024",
        "month-first",
        "UTC",
        { date: "2024-03-04", timestamp: "2024-03-04T00:00:00Z" },
      ],
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

    it.each([
      ["31/02/2024", "day-first", "impossible-date"],
      ["31/31/2023", "year-first", "impossible-date"],
      ["15/04/2024", "year-first", "ambiguous-date"],
      ["someday", "day-first", "invalid-date"],
    ] as const)("codes %j %s as the source does", (raw, order, code) => {
      const result = normalizeDate(raw, order, "UTC");
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.reason).toBe(code);
      expect(result.message).toContain("correct it in the export");
    });
  });
});
