import { describe, expect, it } from "@effect/vitest";
import type { DestinationSchema } from "@ferry/core";

import { checkPlan, missingCustomFields } from "../src/PlanWarning.js";
import { samplePlan } from "./support/samplePlan.js";

const schema = (cap: number | undefined, existing: number): DestinationSchema => ({
  users: [],
  pipelines: [],
  fields: {
    person: [
      { key: "abc", name: "City", type: "varchar", isCustom: true, isWritable: true, options: [] },
    ],
  },
  labels: [],
  activityTypes: [],
  limits: { ...(cap === undefined ? {} : { customFieldCap: cap }), customFieldCount: existing },
});

describe("PlanWarning", () => {
  describe("missingCustomFields", () => {
    it("leaves out fields the account has", () => {
      const names = missingCustomFields(samplePlan, schema(30, 0)).map(
        (f) => `${f.kind}:${f.name}`,
      );
      expect(names).not.toContain("person:City");
      expect(names).toContain("person:Tags");
    });
  });

  describe("checkPlan", () => {
    it("warns when the plan passes the custom field cap", () => {
      const added = missingCustomFields(samplePlan, schema(30, 0)).length;
      const codes = (cap: number, existing: number) =>
        checkPlan(samplePlan, schema(cap, existing)).map((w) => w.code);
      expect(codes(30, 30 - added)).not.toContain("custom-field-cap");
      expect(codes(30, 31 - added)).toContain("custom-field-cap");
    });

    it("warns about owners held in the queue", () => {
      const warning = checkPlan(samplePlan, schema(undefined, 0)).find(
        (w) => w.code === "owners-queued",
      );
      expect(warning?.message).toContain("dora@example.test");
    });
  });
});
