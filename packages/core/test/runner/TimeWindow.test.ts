import { describe, expect, it } from "@effect/vitest";

import { isInsideWindow, msUntilWindowOpens, type TimeWindow } from "../../src/index.js";

const at = (iso: string) => Date.parse(iso);

describe("TimeWindow", () => {
  describe("isInsideWindow", () => {
    const nights: TimeWindow = { start: "19:00", end: "07:00", timeZone: "America/Sao_Paulo" };

    it.each([
      ["2026-03-04T22:30:00Z", true],
      ["2026-03-04T09:59:00Z", true],
      ["2026-03-04T10:00:00Z", false],
      ["2026-03-04T15:00:00Z", false],
    ])("tells whether %s is inside a window over midnight", (instant, inside) => {
      expect(isInsideWindow(nights, at(instant))).toBe(inside);
    });

    it("keeps to the days of the week", () => {
      const weekend: TimeWindow = { start: "00:00", end: "00:00", timeZone: "UTC", days: [0, 6] };
      expect(isInsideWindow(weekend, at("2026-03-07T12:00:00Z"))).toBe(true);
      expect(isInsideWindow(weekend, at("2026-03-09T12:00:00Z"))).toBe(false);
    });
  });

  describe("msUntilWindowOpens", () => {
    it("returns the wait until the next opening", () => {
      const evenings: TimeWindow = { start: "18:00", end: "22:00", timeZone: "Europe/Berlin" };
      // 16:00 in Berlin (UTC+1 in March) is two hours before the window opens.
      expect(msUntilWindowOpens(evenings, at("2026-03-04T15:00:00Z"))).toBe(2 * 3_600_000);
      expect(msUntilWindowOpens(evenings, at("2026-03-04T17:30:00Z"))).toBe(0);
    });

    it("throws for a window that never opens", () => {
      const never: TimeWindow = { start: "01:00", end: "02:00", timeZone: "UTC", days: [] };
      expect(() => msUntilWindowOpens(never, at("2026-03-04T00:00:00Z"))).toThrow(/never opens/);
    });
  });
});
