import { describe, expect, it } from "@effect/vitest";

import { resolveOwner } from "../../src/transforms/resolveOwner.js";
import { samplePlan } from "../support/samplePlan.js";

describe("resolveOwner", () => {
  describe("resolveOwner", () => {
    it.each([
      [" Bia@Example.test ", { _tag: "Owner", email: "bia@example.test" }],
      ["caio@example.test", { _tag: "Owner", email: "bia@example.test" }],
      ["eva@example.test", { _tag: "Owner", email: "eva@example.test" }],
      ["", { _tag: "NoOwner" }],
      [undefined, { _tag: "NoOwner" }],
    ])("resolves %j", (raw, expected) => {
      expect(resolveOwner(raw, samplePlan)).toEqual(expected);
    });

    it.each(["dora@example.test", "nobody@example.test"])("holds %s", (raw) => {
      expect(resolveOwner(raw, samplePlan)._tag).toBe("Hold");
    });

    it("leaves an unknown owner out when the plan does not queue them", () => {
      const plan = { ...samplePlan, queue: { ...samplePlan.queue, ownersWithoutUser: false } };
      expect(resolveOwner("nobody@example.test", plan)).toEqual({ _tag: "NoOwner" });
    });

    it("holds an owner whose user the destination lacks", () => {
      const users = new Set(["eva@example.test"]);
      expect(resolveOwner("bia@example.test", samplePlan, users)._tag).toBe("Hold");
      expect(resolveOwner("caio@example.test", samplePlan, users)._tag).toBe("Hold");
      expect(resolveOwner("eva@example.test", samplePlan, users)._tag).toBe("Owner");
    });
  });
});
