import type { DestinationField } from "@ferry/core";
import { describe, expect, it } from "vitest";

import { decodeCustomValue, encodeCustomValue, optionIds } from "../src/FieldValues.js";

const field = (type: string, options: Array<[string, string]> = []): DestinationField => ({
  key: "abc123",
  name: "Field",
  type,
  isCustom: true,
  isWritable: true,
  options: options.map(([id, label]) => ({ id, label })),
});

const colors = field("set", [
  ["7", "Red"],
  ["8", "Green"],
  ["9", "Blue"],
]);
const size = field("enum", [
  ["3", "Small"],
  ["4", "Large"],
]);

describe("FieldValues", () => {
  describe("encodeCustomValue", () => {
    it.each([
      ["varchar", "Ana", "v2", [["abc123", "Ana"]]],
      ["text", "long", "v1", [["abc123", "long"]]],
      ["phone", "+33612345678", "v2", [["abc123", "+33612345678"]]],
      ["address", "1 Main St", "v2", [["abc123", { value: "1 Main St" }]]],
      ["address", "1 Main St", "v1", [["abc123", "1 Main St"]]],
      ["double", 2.5, "v2", [["abc123", 2.5]]],
      ["date", "2024-03-04", "v1", [["abc123", "2024-03-04"]]],
      ["time", "09:30", "v2", [["abc123", { value: "09:30:00", timezone_name: "UTC" }]]],
      ["time", "09:30", "v1", [["abc123", "09:30:00"]]],
      [
        "monetary",
        { value: 500, currency: "EUR" },
        "v2",
        [["abc123", { value: 500, currency: "EUR" }]],
      ],
      [
        "monetary",
        { value: 500, currency: "EUR" },
        "v1",
        [
          ["abc123", 500],
          ["abc123_currency", "EUR"],
        ],
      ],
    ] as const)("encodes %s %j for %s", (type, value, version, entries) => {
      expect(encodeCustomValue(field(type), value, version)).toEqual({ _tag: "Encoded", entries });
    });

    it("encodes an option as a number in v2 and a string in v1", () => {
      expect(encodeCustomValue(size, "Large", "v2")).toEqual({
        _tag: "Encoded",
        entries: [["abc123", 4]],
      });
      expect(encodeCustomValue(size, "Large", "v1")).toEqual({
        _tag: "Encoded",
        entries: [["abc123", "4"]],
      });
    });

    it("encodes a set as an array in v2 and comma-joined in v1", () => {
      expect(encodeCustomValue(colors, ["Blue", "Red"], "v2")).toEqual({
        _tag: "Encoded",
        entries: [["abc123", [9, 7]]],
      });
      expect(encodeCustomValue(colors, ["Blue", "Red"], "v1")).toEqual({
        _tag: "Encoded",
        entries: [["abc123", "9,7"]],
      });
    });

    it("encodes null to nothing", () => {
      expect(encodeCustomValue(size, null, "v2")).toEqual({ _tag: "Encoded", entries: [] });
    });

    it("rejects an unknown option with its name", () => {
      const result = encodeCustomValue(size, "Huge", "v2");
      expect(result).toEqual({
        _tag: "Invalid",
        message: 'custom field "Field" has no option "Huge"; add it with applySchema',
      });
    });

    it("rejects a value of the wrong type", () => {
      expect(encodeCustomValue(field("double"), "12", "v2")._tag).toBe("Invalid");
      expect(encodeCustomValue(field("date"), "04/03/2024", "v2")._tag).toBe("Invalid");
      expect(encodeCustomValue(field("monetary"), 12, "v2")._tag).toBe("Invalid");
    });
  });

  describe("decodeCustomValue", () => {
    it("reads a comma string and an array as the same set", () => {
      expect(decodeCustomValue(colors, "9,7")).toEqual(["Red", "Blue"]);
      expect(decodeCustomValue(colors, [7, 9])).toEqual(["Red", "Blue"]);
    });

    it("reads an option id of either type as its label", () => {
      expect(decodeCustomValue(size, 4)).toBe("Large");
      expect(decodeCustomValue(size, "4")).toBe("Large");
    });

    it("reads money from v2 and from v1 with its currency", () => {
      const money = field("monetary");
      expect(decodeCustomValue(money, { value: 500, currency: "EUR" })).toEqual({
        value: 500,
        currency: "EUR",
      });
      expect(decodeCustomValue(money, 500, "EUR")).toEqual({ value: 500, currency: "EUR" });
    });

    it("reads a time as HH:MM", () => {
      expect(decodeCustomValue(field("time"), { value: "09:30:00", timezone_name: "UTC" })).toBe(
        "09:30",
      );
      expect(decodeCustomValue(field("time"), "09:30:00")).toBe("09:30");
    });

    it("reads an address object as its value", () => {
      expect(decodeCustomValue(field("address"), { value: "1 Main St" })).toBe("1 Main St");
    });

    it("reads empty values as unset", () => {
      expect(decodeCustomValue(size, null)).toBeUndefined();
      expect(decodeCustomValue(field("varchar"), "")).toBeUndefined();
    });
  });

  describe("optionIds", () => {
    it("splits every option form into id strings", () => {
      expect(optionIds("1, 2")).toEqual(["1", "2"]);
      expect(optionIds([1, 2])).toEqual(["1", "2"]);
      expect(optionIds(3)).toEqual(["3"]);
      expect(optionIds(null)).toEqual([]);
    });
  });
});
