import { describe, expect, it } from "@effect/vitest";

import { fallbackRegion, proposeFileSettings } from "../../src/proposer/proposeFileSettings.js";
import { column, inventory, object } from "../support/inventory.js";

const activityLog = (...formats: ReadonlyArray<string>) =>
  inventory([
    object(
      "activity",
      formats.map((format, i) => column(`Date ${i}`, "datetime", { name: `date_${i}`, format })),
    ),
  ]);

const orderOf = (...formats: ReadonlyArray<string>) =>
  proposeFileSettings(activityLog(...formats), fallbackRegion, undefined).files[0]?.dateOrder;

describe("proposeFileSettings", () => {
  it("reads the order before the format's details", () => {
    expect(orderOf("day-first, with time")).toBe("day-first");
  });

  it("prefers a day or month order over ISO", () => {
    expect(orderOf("year-first, with time", "day-first, with time")).toBe("day-first");
    expect(orderOf("year-first", "month-first")).toBe("month-first");
  });

  it("keeps year-first when every column is ISO", () => {
    expect(orderOf("year-first, with time")).toBe("year-first");
  });

  it("falls back to the locale for an ambiguous column", () => {
    expect(orderOf("ambiguous, with time")).toBe("month-first");
  });
});
