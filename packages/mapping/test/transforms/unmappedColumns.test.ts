import { describe, expect, it } from "@effect/vitest";

import type { FieldMapping } from "../../src/Plan.js";
import { droppedColumns, unmappedColumns } from "../../src/transforms/unmappedColumns.js";
import { sourceRecord } from "../support/MemoryStaging.js";
import { samplePlan } from "../support/samplePlan.js";

const review: FieldMapping = {
  object: "lead",
  column: "Budget Range",
  transform: "text",
  confidence: 0,
  reason: "test",
  review: true,
};
const plan = { ...samplePlan, fields: [...samplePlan.fields, review] };

describe("unmappedColumns", () => {
  describe("droppedColumns", () => {
    it("lists columns marked for review", () => {
      expect([...droppedColumns(plan)]).toEqual(["lead\u0000Budget Range"]);
    });
  });

  describe("unmappedColumns", () => {
    it("reports a dropped column once per run", () => {
      const dropped = droppedColumns(plan);
      const reported = new Set<string>();
      const first = sourceRecord("lead", 2, { id: "L1", "Budget Range": "" });
      const second = sourceRecord("lead", 3, { id: "L2", "Budget Range": "10-50k" });
      const third = sourceRecord("lead", 4, { id: "L3", "Budget Range": "50k+" });

      expect(unmappedColumns(first, dropped, reported)).toEqual([]);
      const [step] = unmappedColumns(second, dropped, reported);
      expect(step).toMatchObject({
        code: "column-not-migrated",
        field: "Budget Range",
        value: "10-50k",
      });
      expect(step?.message).toContain("leads.csv:3");
      expect(unmappedColumns(third, dropped, reported)).toEqual([]);
    });

    it("reports in field order per kind", () => {
      const dropped = new Set(["lead\u0000Notes B", "lead\u0000Notes A", "contact\u0000Notes A"]);
      const reported = new Set<string>();
      const lead = sourceRecord("lead", 2, { id: "L1", "Notes A": "a", "Notes B": "b" });
      const contact = sourceRecord("contact", 2, { id: "C1", "Notes A": " ", "Notes B": "b" });

      expect(unmappedColumns(contact, dropped, reported)).toEqual([]);
      const steps = unmappedColumns(lead, dropped, reported);
      expect(steps.map((step) => step.field)).toEqual(["Notes A", "Notes B"]);
      expect([...reported].sort()).toEqual(["lead\u0000Notes A", "lead\u0000Notes B"]);
      expect(unmappedColumns(lead, dropped, reported)).toEqual([]);
    });
  });
});
