import { describe, expect, it } from "@effect/vitest";

import { resolveOwner } from "../../src/transforms/resolveOwner.js";
import { samplePlan } from "../support/samplePlan.js";

describe("resolveOwner", () => {
  describe("resolveOwner", () => {
    it.each([
      [" Bia@Example.test ", { _tag: "Owner", email: "bia@example.test" }],
      ["caio@example.test", { _tag: "Owner", email: "bia@example.test" }],
      ["eva@example.test", { _tag: "Owner", email: "eva@example.test" }],
    ])("resolves %j", (raw, expected) => {
      expect(resolveOwner(raw, samplePlan)).toEqual(expected);
    });

    it.each(["", undefined])("resolves %j to no owner", (raw) => {
      const resolved = resolveOwner(raw, samplePlan);
      expect(resolved._tag).toBe("NoOwner");
      expect(resolved).toHaveProperty(
        "message",
        expect.stringContaining("the owner cell is empty and the plan sets no defaultOwner"),
      );
    });

    it.each(["", undefined])("resolves %j to the default owner", (raw) => {
      const plan = { ...samplePlan, defaultOwner: " Eva@Example.test " };
      expect(resolveOwner(raw, plan)).toEqual({ _tag: "Owner", email: "eva@example.test" });
    });

    it("holds records whose default owner the destination lacks", () => {
      const plan = { ...samplePlan, defaultOwner: "gone@example.test" };
      const resolved = resolveOwner("", plan, new Set(["bia@example.test"]));
      expect(resolved._tag).toBe("Hold");
      expect(resolved).toHaveProperty("email", "gone@example.test");
    });

    it.each(["dora@example.test", "nobody@example.test"])("holds %s", (raw) => {
      expect(resolveOwner(raw, samplePlan)._tag).toBe("Hold");
    });

    it("leaves an unknown owner out when the plan does not queue them", () => {
      const plan = { ...samplePlan, queue: { ...samplePlan.queue, ownersWithoutUser: false } };
      const resolved = resolveOwner("nobody@example.test", plan);
      expect(resolved._tag).toBe("NoOwner");
      expect(resolved).toHaveProperty(
        "message",
        expect.stringContaining("owner nobody@example.test is not in the plan's owners"),
      );
      const withDefault = { ...plan, defaultOwner: "bia@example.test" };
      expect(resolveOwner("nobody@example.test", withDefault)).toEqual({
        _tag: "Owner",
        email: "bia@example.test",
      });
    });

    it("holds an owner whose user the destination lacks", () => {
      const users = new Set(["eva@example.test"]);
      expect(resolveOwner("bia@example.test", samplePlan, users)._tag).toBe("Hold");
      expect(resolveOwner("caio@example.test", samplePlan, users)._tag).toBe("Hold");
      expect(resolveOwner("eva@example.test", samplePlan, users)._tag).toBe("Owner");
    });
  });
});
