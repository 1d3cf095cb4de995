import { describe, expect, it } from "@effect/vitest";

import type { CleanCell } from "../../src/internal/Cells.js";
import { ColumnProfiler } from "../../src/internal/ColumnProfiler.js";

const value = (text: string): CleanCell => ({ kind: "value", value: text });

/** Profiles one column from its values, in order. */
const profileOf = (name: string, values: ReadonlyArray<string>) => {
  const profiler = new ColumnProfiler(name, name, true);
  values.forEach((text, index) => {
    profiler.add(value(text), { file: "leads.csv", line: index + 2 });
  });
  return profiler.profile();
};

/** Shuffles a copy of an array with a fixed linear congruential sequence. */
const shuffled = <T>(items: ReadonlyArray<T>): Array<T> => {
  const copy = [...items];
  let state = 12345;
  for (let i = copy.length - 1; i > 0; i -= 1) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
};

describe("ColumnProfiler", () => {
  describe("profile", () => {
    it("counts distinct values exactly up to 1,000", () => {
      const values = Array.from({ length: 3000 }, (_, i) => `v${i % 1000}`);
      const profile = profileOf("name", values);
      expect(profile.distinctCount).toBe(1000);
    });

    it("estimates distinct values past 1,000", () => {
      const values = Array.from({ length: 40_000 }, (_, i) => `person.${i % 20_000}@example.test`);
      const profile = profileOf("email", values);
      expect(profile.distinctCount).toBeGreaterThan(17_000);
      expect(profile.distinctCount).toBeLessThan(23_000);
    });

    it("estimates the same in any row order", () => {
      const values = Array.from({ length: 6000 }, (_, i) => `city ${i}`);
      const inOrder = profileOf("city", values).distinctCount;
      const mixed = profileOf("city", shuffled(values)).distinctCount;
      const reversed = profileOf("city", [...values].reverse()).distinctCount;
      expect(mixed).toBe(inOrder);
      expect(reversed).toBe(inOrder);
    });

    it("types repeated values as on first sight", () => {
      const stages = Array.from({ length: 300 }, (_, i) => ["Won", "Lost", "New"][i % 3] ?? "");
      const stage = profileOf("stage", stages);
      expect(stage.inferredType).toBe("picklist");
      expect(stage.distinct?.map((entry) => entry.count)).toEqual([100, 100, 100]);

      const phones = Array.from({ length: 300 }, (_, i) => `+33 6 12 34 ${String(i % 7)}0 00`);
      expect(profileOf("phone", phones).inferredType).toBe("phone");

      const dates = Array.from({ length: 300 }, (_, i) => `2024-03-${String((i % 28) + 1)}`);
      const date = profileOf("created_at", dates);
      expect(date.inferredType).toBe("date");
      expect(date.format).toBe("year-first");
    });
  });
});
