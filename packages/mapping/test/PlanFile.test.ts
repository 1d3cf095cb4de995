import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "@effect/vitest";
import { Effect, Either } from "effect";

import { loadPlanFile, parsePlan, renderPlan, writePlanFile } from "../src/PlanFile.js";
import { samplePlan } from "./support/samplePlan.js";

const folder = () => mkdtempSync(join(tmpdir(), "ferry-plan-"));

const lineOf = (text: string, needle: string): number =>
  text.split("\n").findIndex((line) => line.includes(needle)) + 1;

const failure = (text: string) =>
  Effect.runSync(Effect.either(parsePlan(text, "plan.yaml"))).pipe(
    Either.match({ onLeft: (error) => error, onRight: () => undefined }),
  );

describe("PlanFile", () => {
  describe("writePlanFile", () => {
    it.effect("round-trips a plan through a file", () =>
      Effect.gen(function* () {
        const path = join(folder(), "plan.yaml");
        yield* writePlanFile(path, samplePlan);
        const loaded = yield* loadPlanFile(path);
        expect(loaded).toEqual(samplePlan);
        expect(readFileSync(path, "utf8")).toMatch(/^# Ferry mapping plan/);
      }),
    );

    it.effect("round-trips a default owner", () =>
      Effect.gen(function* () {
        const path = join(folder(), "plan.yaml");
        const plan = { ...samplePlan, defaultOwner: "bia@example.test" };
        yield* writePlanFile(path, plan);
        const loaded = yield* loadPlanFile(path);
        expect(loaded.defaultOwner).toBe("bia@example.test");
        expect(readFileSync(path, "utf8")).toContain("defaultOwner: bia@example.test");
      }),
    );

    it.effect("loads a plan edited by hand", () =>
      Effect.gen(function* () {
        const path = join(folder(), "plan.yaml");
        yield* writePlanFile(path, samplePlan);
        const edited = readFileSync(path, "utf8")
          .replace("action: queue", "action: add")
          .replace("timeZone: America/Sao_Paulo", "timeZone: Europe/Lisbon");
        writeFileSync(path, edited);

        const loaded = yield* loadPlanFile(path);
        expect(loaded.owners.find((o) => o.email === "dora@example.test")?.action).toBe("add");
        expect(loaded.files[0]?.timeZone).toBe("Europe/Lisbon");
      }),
    );
  });

  describe("parsePlan", () => {
    it("names the line and field of a bad value", () => {
      const text = renderPlan(samplePlan).replace("action: map", "action: borrow");
      const error = failure(text);
      expect(error?.reason).toBe("invalid-plan");
      expect(error?.path).toBe("owners[1].action");
      expect(error?.line).toBe(lineOf(text, "action: borrow"));
      expect(error?.message).toContain(`plan.yaml:${error?.line}:`);
      expect(error?.message).toContain("owners[1].action");
      expect(error?.detail).toBe('Expected "user" | "add" | "map" | "queue", actual "borrow"');
    });

    it("names a bad time zone", () => {
      const text = renderPlan(samplePlan).replace(
        "timeZone: America/Sao_Paulo",
        "timeZone: Mars/Base",
      );
      const error = failure(text);
      expect(error?.path).toBe("files[0].timeZone");
      expect(error?.line).toBe(lineOf(text, "Mars/Base"));
      expect(error?.detail).toContain("Mars/Base");
    });

    it("names the parent of a missing field", () => {
      const text = renderPlan(samplePlan).replace(/\n {4}numberLocale: pt-BR/, "");
      const error = failure(text);
      expect(error?.path).toBe("files[0].numberLocale");
      expect(error?.line).toBe(lineOf(text, "- object: lead"));
    });

    it("rejects a field the format does not have", () => {
      const text = renderPlan(samplePlan).replace("version: 1", "version: 1\nextra: true");
      const error = failure(text);
      expect(error?.path).toBe("extra");
      expect(error?.line).toBe(lineOf(text, "extra: true"));
    });

    it("reports broken YAML with its line and column", () => {
      const text = renderPlan(samplePlan).replace("routes:", "routes: [");
      const error = failure(text);
      expect(error?.reason).toBe("invalid-yaml");
      expect(error?.line).toBeGreaterThan(0);
      expect(error?.column).toBeGreaterThan(0);
    });

    it("rejects a lead route to part of its kinds", () => {
      const text = renderPlan(samplePlan).replace(
        /- from: lead\n(\s+)to:\n(?:\s+- \w+\n)+/,
        "- from: lead\n$1to:\n$1  - person\n",
      );
      const error = failure(text);
      expect(error?.reason).toBe("invalid-plan");
      expect(error?.path).toBe("routes[0].to");
      // The list under `to:` starts on the line after it.
      expect(error?.line).toBe(lineOf(text, "- from: lead") + 2);
      expect(error?.message).toContain(`plan.yaml:${error?.line}:`);
      expect(error?.detail).toBe(
        "lead can be routed to [organization, person, lead, deal] or [], not [person]",
      );
    });

    it("rejects an activity route to an unknown kind", () => {
      const text = renderPlan(samplePlan).replace(
        /- from: activity\n(\s+)to:\n\s+- note\n/,
        "- from: activity\n$1to:\n$1  - deal\n",
      );
      const error = failure(text);
      expect(error?.path).toBe("routes[3].to");
      expect(error?.detail).toBe(
        "activity can be routed to any of [note, activity], or [] to migrate none, not [deal, activity]",
      );
    });

    it("accepts an activity route to no kind", () => {
      const plan = {
        ...samplePlan,
        routes: samplePlan.routes.map((route) =>
          route.from === "activity" ? { ...route, to: [] } : route,
        ),
      };
      const parsed = Effect.runSync(parsePlan(renderPlan(plan), "plan.yaml"));
      expect(parsed.routes.find((route) => route.from === "activity")?.to).toEqual([]);
    });

    it("rejects a plan of another version", () => {
      const error = failure(renderPlan(samplePlan).replace("version: 1", "version: 2"));
      expect(error?.path).toBe("version");
      expect(error?.line).toBe(2 + 1);
    });
  });

  describe("loadPlanFile", () => {
    it.effect("fails with the path when the file is missing", () =>
      Effect.gen(function* () {
        const path = join(folder(), "missing.yaml");
        const error = yield* Effect.flip(loadPlanFile(path));
        expect(error.reason).toBe("unreadable");
        expect(error.message).toContain(path);
      }),
    );
  });
});
