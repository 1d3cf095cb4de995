import { Cause, Effect, Exit, Option } from "effect";
import { describe, expect, it } from "vitest";

import { parsePlan, renderPlan } from "../src/PlanFile.js";
import { samplePlan } from "./support/samplePlan.js";

const outcome = (text: string) => {
  const exit = Effect.runSyncExit(parsePlan(text, "plan.yaml"));
  if (Exit.isSuccess(exit)) return "accepted";
  const failure = Cause.failureOption(exit.cause);
  return Option.isNone(failure) ? "defect" : failure.value;
};

const plan = renderPlan(samplePlan);
const locationLine = plan.split("\n").findIndex((line) => line.startsWith("location:")) + 1;

// Nine levels of nine aliases expand to 9^9 strings: the "billion laughs" alias bomb.
const letters = "abcdefghij";
const laughs = [
  "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]",
  ...[...letters.slice(1)].map(
    (name, i) => `${name}: &${name} [${Array(9).fill(`*${letters[i]}`).join(",")}]`,
  ),
];

describe("PlanFile", () => {
  describe("parsePlan", () => {
    it.each([
      '!!js/function "function () {}"',
      '!!js/undefined ""',
      "!<tag:yaml.org,2002:js/regexp> /x/",
      "!Ref something",
    ])("rejects the tag %s", (tag) => {
      const text = plan.replace(/^location: .*$/m, `location: ${tag}`);
      expect(outcome(text)).toMatchObject({
        _tag: "PlanError",
        reason: "invalid-yaml",
        line: locationLine,
      });
    });

    it("rejects an alias bomb", () => {
      const result = outcome(`${laughs.join("\n")}\n${plan}`);
      expect(result).toMatchObject({ _tag: "PlanError", reason: "invalid-yaml" });
      expect(String((result as { detail?: string }).detail)).toContain("alias");
    });

    it("rejects a plan over 5 MB before parsing", () => {
      const padding = `# ${"x".repeat(100)}\n`.repeat(60_000);
      const result = outcome(`${plan}${padding}`);
      expect(result).toMatchObject({ _tag: "PlanError", reason: "invalid-plan" });
      expect(String((result as { detail?: string }).detail)).toContain("more than the 5000000");
    });

    it("still accepts the plan itself", () => {
      expect(outcome(plan)).toBe("accepted");
    });
  });
});
