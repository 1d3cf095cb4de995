import { describe, expect, it } from "@effect/vitest";

import { fieldDifferences } from "../../src/runner/FieldDifferences.js";

const readBack = (custom: Record<string, unknown>, fields: Record<string, unknown> = {}) => ({
  kind: "person",
  id: "7",
  fields: fields as never,
  custom: custom as never,
  links: {},
});

describe("FieldDifferences", () => {
  describe("fieldDifferences", () => {
    it("ignores the order of option lists", () => {
      const expected = { fields: {}, custom: { Tags: ["vip", "hot", "cold"] }, links: {} };
      expect(fieldDifferences(expected, readBack({ Tags: ["cold", "vip", "hot"] }))).toEqual([]);
    });

    it("reports a missing option", () => {
      const expected = { fields: {}, custom: { Tags: ["vip", "hot"] }, links: {} };
      expect(fieldDifferences(expected, readBack({ Tags: ["hot"] }))).toEqual([
        { field: "custom.Tags", expected: ["vip", "hot"], actual: ["hot"] },
      ]);
    });

    it("keeps the order of object lists", () => {
      const emails = [
        { value: "a@example.test", primary: true },
        { value: "b@example.test", primary: false },
      ];
      const expected = { fields: { emails }, custom: {}, links: {} };
      const swapped = readBack({}, { emails: [emails[1], emails[0]] });
      expect(fieldDifferences(expected, swapped)).toHaveLength(1);
    });

    it("treats empty and missing as equal", () => {
      const expected = { fields: { job_title: "" }, custom: { Source: null }, links: {} };
      expect(fieldDifferences(expected, readBack({}))).toEqual([]);
    });
  });
});
