/**
 * Plan files are parsed as data only. A plan that carries language tags, prototype keys, deep
 * nesting or megabytes of text fails with a `PlanError` that names the place, and nothing in it
 * runs: the tests check a global flag and a marker file that a tag would set if it ran.
 *
 * NOTE: an unknown tag on a field that takes a string (`location: !!js/function "…"`) is still
 * accepted as that string, and an alias bomb ends in a defect instead of a PlanError, so neither
 * case is pinned here yet.
 */
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "@effect/vitest";
import { Cause, Effect, Exit, Option } from "effect";

import { loadPlanFile, parsePlan, renderPlan } from "../src/PlanFile.js";
import { samplePlan } from "./support/samplePlan.js";

const folder = mkdtempSync(join(tmpdir(), "ferry-plan-security-"));
const marker = join(folder, "tag-ran");
const plan = renderPlan(samplePlan);

const lineOf = (text: string, needle: string): number =>
  text.split("\n").findIndex((line) => line.includes(needle)) + 1;

/** Parses the text and returns the PlanError, failing the test on success or on a defect. */
const planError = (text: string) => {
  const exit = Effect.runSyncExit(parsePlan(text, "plan.yaml"));
  if (Exit.isSuccess(exit)) throw new Error("the plan was accepted");
  const failure = Cause.failureOption(exit.cause);
  if (Option.isNone(failure))
    throw new Error(`parsePlan failed with a defect: ${Cause.pretty(exit.cause)}`);
  return failure.value;
};

const tagged: ReadonlyArray<{
  readonly name: string;
  readonly replace: string;
  readonly with: string;
}> = [
  {
    name: "a !!js/function tag",
    replace: "version: 1",
    with: 'version: !!js/function "function () { globalThis.ferryTagRan = true; return 1 }"',
  },
  {
    name: "a !!python/object/apply tag",
    replace: "location: /tmp/export",
    with: `location: !!python/object/apply:os.system ["touch ${marker}"]`,
  },
];

describe("PlanFile", () => {
  describe("parsePlan", () => {
    it.each(tagged)("rejects $name without running it", (entry) => {
      const text = plan.replace(entry.replace, entry.with);

      const error = planError(text);

      expect(error._tag).toBe("PlanError");
      expect(error.line).toBe(lineOf(text, entry.with));
      expect((globalThis as { ferryTagRan?: boolean }).ferryTagRan).toBeUndefined();
      expect(existsSync(marker)).toBe(false);
    });

    it("rejects a __proto__ key at the top", () => {
      const text = plan.replace(
        "location: /tmp/export",
        "location: /tmp/export\n__proto__:\n  polluted: yes",
      );

      const error = planError(text);

      expect(error.reason).toBe("invalid-plan");
      expect(error.path).toBe("__proto__");
      expect(error.line).toBe(lineOf(text, "polluted: yes"));
      expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    });

    it("rejects a nested __proto__ key", () => {
      const text = plan.replace("visibility:\n", "visibility:\n  __proto__:\n    polluted: yes\n");

      const error = planError(text);

      expect(error.reason).toBe("invalid-plan");
      expect(error.path).toBe("visibility.__proto__");
      expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    });

    it("rejects a repeated key", () => {
      const text = plan.replace("location: /tmp/export", "location: /tmp/export\nlocation: /etc");

      const error = planError(text);

      expect(error.reason).toBe("invalid-yaml");
      expect(error.line).toBe(lineOf(text, "location: /etc"));
    });

    it("resolves a small alias as data", () => {
      const text = plan
        .replace("  - name: Faturas", "  - name: &invoices Faturas")
        .replace("  pipeline: Faturas", "  pipeline: *invoices");

      const parsed = Effect.runSync(parsePlan(text, "plan.yaml"));

      expect(text).toContain("pipeline: *invoices");
      expect(parsed.invoices?.pipeline).toBe("Faturas");
    });

    it("rejects 20,000 nested sequences", () => {
      const error = planError(`version: ${"[".repeat(20_000)}${"]".repeat(20_000)}\n`);

      expect(error.reason).toBe("invalid-yaml");
      expect(error.line).toBe(1);
    });

    it("rejects 2,000 nested maps", () => {
      const text = Array.from({ length: 2_000 }, (_, depth) => `${" ".repeat(depth)}k:`).join("\n");

      const error = planError(text);

      expect(error._tag).toBe("PlanError");
      expect(error.line).toBeGreaterThan(0);
    });

    it.each([
      ["an empty text", ""],
      ["a bare scalar", "just a string"],
      ["a NUL byte", `${plan}\u0000`],
    ])("rejects %s", (_name, text) => {
      const error = planError(text);

      expect(error._tag).toBe("PlanError");
      expect(error.message).toContain("plan.yaml");
    });
  });

  describe("loadPlanFile", () => {
    it.effect("rejects a 20 MB plan file", () =>
      Effect.gen(function* () {
        const path = join(folder, "huge.yaml");
        const line = `  ${"x".repeat(98)}\n`;
        const text = plan.replace(
          "location: /tmp/export",
          `location: /tmp/export\nnotes: |\n${line.repeat(200_000)}`,
        );
        writeFileSync(path, text);

        const error = yield* Effect.flip(loadPlanFile(path));

        expect(text.length).toBeGreaterThan(20_000_000);
        expect(error.reason).toBe("invalid-plan");
        expect(error.detail).toContain("more than the 5000000 a plan file may have");
        expect(error.message).toContain(path);
      }),
    );
  });
});
