import { describe, expect, it } from "@effect/vitest";

import { planTeamMember } from "../../src/transforms/planTeamMember.js";
import { makeTransformContext } from "../../src/transforms/TransformContext.js";
import { sourceRecord } from "../support/MemoryStaging.js";
import { samplePlan } from "../support/samplePlan.js";

const context = makeTransformContext(samplePlan);
const member = (fields: Record<string, string>) =>
  sourceRecord("team_member", 2, { id: "M1", ...fields });

describe("planTeamMember", () => {
  describe("planTeamMember", () => {
    it.each([
      [{ email: " BIA@example.test ", active: "yes" }, []],
      [{ email: "caio@example.test", active: "no" }, []],
      [{ email: "eva@example.test", active: "não" }, []],
      [{ email: "", active: "yes" }, []],
    ])("plans nothing for %j", (fields, expected) => {
      expect(planTeamMember(member(fields), context)).toEqual(expected);
    });

    it.each(["dora@example.test", "Zeca@Example.test"])("queues %s without a user", (email) => {
      const [queued] = planTeamMember(member({ email, active: "yes" }), context);
      expect(queued).toMatchObject({
        _tag: "QueuedRecord",
        kind: "user",
        reason: "owner-without-user",
        value: email.toLowerCase(),
      });
    });

    it("records an added user whose activity differs", () => {
      const [lossy] = planTeamMember(member({ email: "eva@example.test", active: "yes" }), context);
      expect(lossy).toMatchObject({
        _tag: "LossyStep",
        code: "user-activity-differs",
        field: "active",
      });
    });
  });
});
