import { describe, expect, it } from "vitest";

import { Catalog } from "../src/Catalog.js";
import { normalizeRecord, normalizeTimestamp } from "../src/ReadBack.js";

const catalog = new Catalog({
  users: [{ id: "3", name: "Ana", email: "ana@example.test", isActive: true, isAdmin: false }],
  pipelines: [{ id: "1", name: "Sales", stages: [{ id: "8", name: "Won", order: 1 }] }],
  fields: {
    deal: [
      {
        key: "m",
        name: "Ferry source id",
        type: "varchar",
        isCustom: true,
        isWritable: true,
        options: [],
      },
      {
        key: "t",
        name: "Tags",
        type: "set",
        isCustom: true,
        isWritable: true,
        options: [
          { id: "1", label: "A" },
          { id: "2", label: "B" },
        ],
      },
    ],
  },
  labels: [{ id: "u1", name: "Hot", kind: "lead" }],
  activityTypes: [],
  limits: {},
});

describe("ReadBack", () => {
  describe("normalizeTimestamp", () => {
    it.each([
      ["2024-03-04 09:30:00", "2024-03-04T09:30:00Z"],
      ["2024-03-04T09:30:00.000Z", "2024-03-04T09:30:00Z"],
      ["2024-03-04T10:30:00+01:00", "2024-03-04T09:30:00Z"],
    ])("normalizes %s", (input, output) => {
      expect(normalizeTimestamp(input)).toBe(output);
    });

    it("leaves out empty values", () => {
      expect(normalizeTimestamp(null)).toBeUndefined();
      expect(normalizeTimestamp("")).toBeUndefined();
    });
  });

  describe("normalizeRecord", () => {
    it("reads a v2 deal's names, custom set and marker", () => {
      const record = normalizeRecord(
        "deal",
        {
          id: 5,
          title: "T",
          owner_id: 3,
          stage_id: 8,
          person_id: 9,
          org_id: null,
          custom_fields: { m: "src:1", t: [2, 1] },
          update_time: "2024-01-01T00:00:00Z",
        },
        catalog,
      );
      expect(record).toEqual({
        kind: "deal",
        id: "5",
        ref: { kind: "src", sourceId: "1" },
        fields: { title: "T", owner: "ana@example.test", pipeline: "Sales", stage: "Won" },
        custom: { Tags: ["A", "B"] },
        links: { person_id: "9" },
        updatedAt: "2024-01-01T00:00:00Z",
      });
    });

    it("reads a v1 lead's root custom fields the same way", () => {
      const record = normalizeRecord(
        "lead",
        {
          id: "uuid",
          title: "L",
          label_ids: ["u1"],
          value: { amount: 3, currency: "EUR" },
          visible_to: "3",
          t: "1,2",
          m: "src:2",
          person_id: 4,
        },
        catalog,
      );
      expect(record.custom).toEqual({ Tags: ["A", "B"] });
      expect(record.fields).toEqual({
        title: "L",
        labels: ["Hot"],
        value: 3,
        currency: "EUR",
        visible_to: 3,
      });
      expect(record.ref).toEqual({ kind: "src", sourceId: "2" });
    });
  });
});
