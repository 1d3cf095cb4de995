import { describe, expect, it } from "@effect/vitest";
import { Origin } from "@ferry/core";

import { organizationKey, planOrganization } from "../../src/transforms/planOrganization.js";
import { RunState } from "../../src/transforms/RunState.js";
import { samplePlan } from "../support/samplePlan.js";

const origin = new Origin({ file: "leads.csv", line: 2 });

describe("planOrganization", () => {
  describe("organizationKey", () => {
    it.each([
      ["Açaí Comércio Ltda.", "acai comercio"],
      ["ACAI COMERCIO", "acai comercio"],
      ["Globex, Inc.", "globex"],
      ["Müller & Söhne GmbH", "muller and sohne"],
      ["  Acme   Corp ", "acme"],
      ["Ltda", "ltda"],
      ["", ""],
    ])("normalizes %j", (name, key) => {
      expect(organizationKey(name)).toBe(key);
    });
  });

  describe("planOrganization", () => {
    it("plans an organization once per normalized name", () => {
      const state = new RunState();
      const first = planOrganization("Acme Ltda", origin, samplePlan, state, "bia@example.test");
      const second = planOrganization("ACME", origin, samplePlan, state, undefined);
      expect(first?.record?.fields).toEqual({ name: "Acme Ltda", owner: "bia@example.test" });
      expect(second?.record).toBeUndefined();
      expect(second?.ref).toEqual(first?.ref);
    });

    it("plans nothing for an empty company", () => {
      expect(planOrganization("  ", origin, samplePlan, new RunState(), undefined)).toBeUndefined();
    });

    it("sets the plan's visibility", () => {
      const plan = { ...samplePlan, visibility: { organization: 7 as const } };
      const planned = planOrganization("Acme", origin, plan, new RunState(), undefined);
      expect(planned?.record?.fields.visible_to).toBe(7);
    });
  });
});
