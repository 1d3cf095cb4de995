import { describe, expect, it } from "@effect/vitest";

import { automationsFromSchema } from "../../src/runner/AutomationItem.js";

describe("AutomationItem", () => {
  describe("automationsFromSchema", () => {
    it("lists a lead label as a label", () => {
      const items = automationsFromSchema([{ _tag: "EnsureLabel", kind: "lead", name: "New" }]);
      expect(items).toEqual([{ type: "label", name: "New", where: "leads" }]);
    });

    it("lists the options of a multi-option field as tags", () => {
      const items = automationsFromSchema([
        { _tag: "EnsureField", kind: "person", name: "Tags", type: "set", options: ["VIP"] },
      ]);
      expect(items).toEqual([{ type: "tag", name: "VIP", where: "person field Tags" }]);
    });
  });
});
