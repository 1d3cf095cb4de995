import { describe, expect, it } from "@effect/vitest";

import { orderKinds } from "../src/index.js";

describe("Destination", () => {
  describe("orderKinds", () => {
    it("puts dependencies first", () => {
      const order = orderKinds([
        { kind: "note", dependsOn: ["deal", "person"] },
        { kind: "deal", dependsOn: ["person", "organization"] },
        { kind: "person", dependsOn: ["organization"] },
        { kind: "organization", dependsOn: [] },
      ]);
      expect(order).toEqual(["organization", "person", "deal", "note"]);
    });

    it("keeps declared order between independent kinds", () => {
      const order = orderKinds([
        { kind: "user", dependsOn: [] },
        { kind: "label", dependsOn: [] },
      ]);
      expect(order).toEqual(["user", "label"]);
    });

    it("rejects a cycle", () => {
      expect(() =>
        orderKinds([
          { kind: "a", dependsOn: ["b"] },
          { kind: "b", dependsOn: ["a"] },
        ]),
      ).toThrow("cycle: a -> b -> a");
    });

    it("rejects an undeclared dependency", () => {
      expect(() => orderKinds([{ kind: "a", dependsOn: ["ghost"] }])).toThrow(
        'Kind "ghost" is a dependency of "a"',
      );
    });
  });
});
