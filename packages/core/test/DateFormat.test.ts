import { describe, expect, it } from "@effect/vitest";

import {
  type DateOrder,
  inferDateFormat,
  isTimeZone,
  makeDateFormatInference,
  parseDateValue,
  rejectingDateOrders,
} from "../src/index.js";

describe("DateFormat", () => {
  describe("inferDateFormat", () => {
    const orders: ReadonlyArray<[string, ReadonlyArray<string>, string]> = [
      ["a day above 12 first", ["03/04/2024", "15/04/2024"], "day-first"],
      ["a day above 12 second", ["03/04/2024", "04/15/2024"], "month-first"],
      ["no value above 12", ["03/04/2024", "05/06/2024"], "ambiguous"],
      ["both orders shown", ["13/04/2024", "04/13/2024"], "ambiguous"],
      ["ISO dates only", ["2024-04-03", "2024-12-31T10:00:00Z"], "year-first"],
      ["ISO beside day-first", ["2024-04-03", "25.12.23"], "day-first"],
      ["dots and 2-digit years", ["01.02.24", "28.02.24"], "day-first"],
    ];

    it.each(orders)("decides the order from %s", (_, values, order) => {
      expect(inferDateFormat(values)?.order).toBe(order);
    });

    it("returns undefined for values that are not dates", () => {
      expect(inferDateFormat(["Acme", "Globex", ""])).toBeUndefined();
      expect(inferDateFormat([])).toBeUndefined();
    });

    it("reports time, zone and the first sample", () => {
      const format = inferDateFormat(["", "03/04/2024 10:00", "15/04/2024 9:30 PM +02:00"]);
      expect(format).toEqual({
        order: "day-first",
        hasTime: true,
        hasZone: true,
        sample: "03/04/2024 10:00",
      });
    });

    it("tolerates a minority of non-date values", () => {
      expect(inferDateFormat(["15/04/2024", "16/04/2024", "unknown"])?.order).toBe("day-first");
    });
  });

  describe("makeDateFormatInference", () => {
    it("matches inferDateFormat value by value", () => {
      const inference = makeDateFormatInference();
      expect(inference.result()).toBeUndefined();
      inference.add("03/04/2024");
      expect(inference.result()?.order).toBe("ambiguous");
      inference.add("15/04/2024");
      expect(inference.result()?.order).toBe("day-first");
    });
  });

  describe("parseDateValue", () => {
    const valid: ReadonlyArray<[string, DateOrder, string, string | undefined]> = [
      ["15/04/2024", "day-first", "2024-04-15", undefined],
      ["04/15/2024", "month-first", "2024-04-15", undefined],
      ["03-04-24", "day-first", "2024-04-03", undefined],
      ["03.04.1999", "month-first", "1999-03-04", undefined],
      ["24/04/03", "year-first", "2024-04-03", undefined],
      ["2024-04-03", "day-first", "2024-04-03", undefined],
      ["2024/4/3", "month-first", "2024-04-03", undefined],
      ["29/02/2024", "day-first", "2024-02-29", undefined],
      ["15/04/2024 14:30", "day-first", "2024-04-15", "14:30:00"],
      ["15/04/2024 14:30:05", "day-first", "2024-04-15", "14:30:05"],
      ["04/15/2024 2:30 PM", "month-first", "2024-04-15", "14:30:00"],
      ["04/15/2024 12:05 am", "month-first", "2024-04-15", "00:05:00"],
      ["04/15/2024, 12:05:09 p.m.", "month-first", "2024-04-15", "12:05:09"],
      ["2024-04-15T14:30:00.250Z", "day-first", "2024-04-15", "14:30:00"],
    ];

    it.each(valid)("parses %s read %s", (value, order, date, time) => {
      const parsed = parseDateValue(value, order);
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      expect(parsed.date).toBe(date);
      expect(parsed.time).toBe(time);
    });

    const invalid: ReadonlyArray<[string, DateOrder, string]> = [
      ["31/02/2024", "day-first", "impossible-date"],
      ["29/02/2023", "day-first", "impossible-date"],
      ["04/15/2024", "day-first", "impossible-date"],
      ["2024-13-01", "year-first", "impossible-date"],
      ["15/04/2024 24:00", "day-first", "impossible-date"],
      ["15/04/2024 13:00 PM", "day-first", "impossible-date"],
      ["15/04/2024 10:61", "day-first", "impossible-date"],
      ["15/04/2024", "year-first", "ambiguous"],
      ["soon", "day-first", "not-a-date"],
      ["15/04", "day-first", "not-a-date"],
      ["15/04/202", "day-first", "not-a-date"],
      ["15/04-2024", "day-first", "not-a-date"],
      ["", "day-first", "not-a-date"],
    ];

    it.each(invalid)("rejects %s read %s", (value, order, reason) => {
      const parsed = parseDateValue(value, order);
      expect(parsed.ok).toBe(false);
      if (parsed.ok) return;
      expect(parsed.reason).toBe(reason);
      expect(parsed.message).toContain(JSON.stringify(value));
    });

    it("rejects a value no order reads without advising an order", () => {
      const parsed = parseDateValue("31/31/2023", "year-first");
      expect(parsed.ok).toBe(false);
      if (parsed.ok) return;
      expect(parsed.reason).toBe("impossible-date");
      expect(parsed.message).toContain("not a calendar date in any order");
      expect(parsed.message).toContain("correct it in the export");
      expect(parsed.message).not.toContain("dateOrder");
    });

    it.each([
      ["15/04/2024", "year-first", "day-first"],
      ["04/15/2024", "day-first", "month-first"],
    ] as const)("advises the order that reads %s", (value, order, fitting) => {
      const parsed = parseDateValue(value, order);
      expect(parsed.ok).toBe(false);
      if (parsed.ok) return;
      expect(parsed.message).toContain(`a date only when read ${fitting}`);
      expect(parsed.message).toContain(`dateOrder) to ${fitting}`);
    });

    it("says what to do with a value that is no date", () => {
      const parsed = parseDateValue("someday", "day-first");
      expect(parsed.ok).toBe(false);
      if (parsed.ok) return;
      expect(parsed.message).toContain("correct it in the export");
    });

    const instants: ReadonlyArray<[string, string | undefined, string, number | undefined]> = [
      ["2024-04-15T14:30Z", undefined, "2024-04-15T14:30:00Z", 0],
      ["2024-04-15T14:30:00+02:00", undefined, "2024-04-15T12:30:00Z", 120],
      ["2024-04-15 14:30 -0330", undefined, "2024-04-15T18:00:00Z", -210],
      ["2024-04-15 14:30 UTC", "Europe/Paris", "2024-04-15T14:30:00Z", 0],
      ["2024-04-15 14:30", undefined, "2024-04-15T14:30:00Z", undefined],
      ["2024-04-15 14:30", "Europe/Paris", "2024-04-15T12:30:00Z", 120],
      ["2024-01-15 14:30", "Europe/Paris", "2024-01-15T13:30:00Z", 60],
      ["2024-07-01 08:00", "America/Sao_Paulo", "2024-07-01T11:00:00Z", -180],
      ["2024-03-31 03:30", "Europe/Paris", "2024-03-31T01:30:00Z", 120],
      ["2024-10-27 01:30", "Europe/Paris", "2024-10-26T23:30:00Z", 120],
      ["2024-01-01 00:30", "Asia/Kolkata", "2023-12-31T19:00:00Z", 330],
    ];

    it.each(instants)("converts %s in %s to UTC", (value, timeZone, iso, offset) => {
      const parsed = parseDateValue(value, "year-first", timeZone);
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      expect(parsed.iso).toBe(iso);
      expect(parsed.offsetMinutes).toBe(offset);
    });

    // Wall-clock time of an instant in a zone, as "YYYY-MM-DD HH:MM:SS", straight from Intl.
    const formats = new Map<string, Intl.DateTimeFormat>();
    const wallClock = (timeZone: string, instant: number): string => {
      const format =
        formats.get(timeZone) ??
        new Intl.DateTimeFormat("en-US", {
          timeZone,
          hourCycle: "h23",
          year: "numeric",
          month: "2-digit",
          day: "2-digit",
          hour: "2-digit",
          minute: "2-digit",
          second: "2-digit",
        });
      formats.set(timeZone, format);
      const part = (type: string, parts: Intl.DateTimeFormatPart[]) =>
        parts.find((p) => p.type === type)?.value ?? "";
      const parts = format.formatToParts(new Date(instant));
      const date = `${part("year", parts)}-${part("month", parts)}-${part("day", parts)}`;
      return `${date} ${part("hour", parts)}:${part("minute", parts)}:${part("second", parts)}`;
    };

    // Zones with daylight-saving changes on both sides of UTC, half-hour and 45-minute
    // offsets, a 30-minute change (Lord Howe) and a change at midnight (Havana).
    const zones = [
      "Europe/Paris",
      "America/New_York",
      "America/Havana",
      "Australia/Lord_Howe",
      "Asia/Kathmandu",
      "America/St_Johns",
    ];

    // Offset in minutes of a zone at an instant, from the wall clock Intl shows.
    const referenceOffset = (timeZone: string, instant: number): number =>
      (Date.parse(`${wallClock(timeZone, instant).replace(" ", "T")}Z`) - instant) / 60_000;

    // Checks that the instant parsed from the wall-clock time of `instant` shows the same wall
    // clock. A wall-clock time repeated by a change maps to one of its two instants, so the
    // check is the round trip, not the instant itself.
    const roundTrip = (timeZone: string, instant: number): string | undefined => {
      const local = wallClock(timeZone, instant);
      const parsed = parseDateValue(local, "year-first", timeZone);
      const back = parsed.ok ? wallClock(timeZone, Date.parse(parsed.iso)) : "invalid";
      return back === local ? undefined : `${local} -> ${parsed.ok ? parsed.iso : "invalid"}`;
    };

    it.each(zones)("round-trips wall-clock times of 2024 in %s", (timeZone) => {
      const hour = 3_600_000;
      const mismatches: Array<string> = [];
      let previous = referenceOffset(timeZone, Date.UTC(2024, 0, 1));
      let changes = 0;
      for (let instant = Date.UTC(2024, 0, 1); instant < Date.UTC(2025, 0, 1); instant += hour) {
        const mismatch = roundTrip(timeZone, instant);
        if (mismatch !== undefined) mismatches.push(mismatch);

        const offset = referenceOffset(timeZone, instant);
        if (offset === previous) continue;
        previous = offset;
        changes += 1;
        // Every 5 minutes of the day before and the day after the change.
        for (let near = instant - 24 * hour; near < instant + 24 * hour; near += 5 * 60_000) {
          const nearMismatch = roundTrip(timeZone, near);
          if (nearMismatch !== undefined) mismatches.push(nearMismatch);
        }
      }
      expect(mismatches).toEqual([]);
      expect(changes).toBe(timeZone === "Asia/Kathmandu" ? 0 : 2);
    });

    it("keeps a date without time as a calendar date", () => {
      expect(parseDateValue("15/04/2024", "day-first", "Asia/Tokyo")).toEqual({
        ok: true,
        date: "2024-04-15",
        iso: "2024-04-15",
      });
    });
  });

  describe("rejectingDateOrders", () => {
    const orders: ReadonlyArray<DateOrder> = ["day-first", "month-first", "year-first"];
    const values = [
      "2024-04-15",
      "2024-02-30",
      "2023-13-45 08:45:00",
      "2024-04-15T25:00:00Z",
      "15/04/2024",
      "04/15/2024 2:30 PM",
      "03/04/2024",
      "31/31/2023",
      "24-02-29",
      "29.02.23 13:00",
      "12/31/99 13:00 PM",
      "0000-02-29",
      "someday",
      "",
    ];

    it("agrees with parseDateValue under every order", () => {
      for (const value of values) {
        const rejecting = rejectingDateOrders(value);
        for (const order of orders) {
          const parsed = parseDateValue(value, order);
          expect(rejecting.has(order), `${value} ${order}`).toBe(!parsed.ok);
        }
      }
    });

    it("is what the inference returns for each value", () => {
      const inference = makeDateFormatInference();
      for (const value of values.filter((value) => value !== "")) {
        expect([...inference.add(value)], value).toEqual([...rejectingDateOrders(value)]);
      }
      expect(inference.add("  ").size).toBe(0);
    });
  });

  describe("isTimeZone", () => {
    it("accepts IANA names and rejects others", () => {
      expect(isTimeZone("Europe/Lisbon")).toBe(true);
      expect(isTimeZone("Mars/Olympus")).toBe(false);
    });
  });
});
