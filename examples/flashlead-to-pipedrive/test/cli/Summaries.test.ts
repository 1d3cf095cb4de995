/**
 * The summary lines of a run: the line of rejections at the source and transform steps, and the
 * decision whether a run left something for a person to read.
 */
import type { RunSummary } from "@ferry/core";
import { describe, expect, it } from "vitest";
import { hasIssues, stepRejectionLines } from "../../src/cli/Summaries.js";
import type { StepRejections } from "../../src/ReferencePipeline.js";

const counts = { read: 3, loaded: 3, updated: 0, unchanged: 0, rejected: 0, queued: 0 };
const summary = (mode: RunSummary["mode"], queued = 0): RunSummary => ({
  runId: 1,
  mode,
  dryRun: false,
  resumed: false,
  phases: [{ phase: "person", counts: { ...counts, queued } }],
  settled: 0,
});
const phones: ReadonlyArray<StepRejections> = [
  { stage: "transform", code: "invalid-phone", count: 5 },
  { stage: "source", code: "delimiter-mismatch", count: 2 },
];

describe("Summaries", () => {
  describe("stepRejectionLines", () => {
    it("prints nothing without rejections", () => {
      expect(stepRejectionLines([])).toEqual([]);
    });

    it("prints the total and each code", () => {
      const lines = stepRejectionLines(phones);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain("Also rejected while reading and transforming: 7 (");
      expect(lines[0]).toContain("invalid-phone at transform 5, delimiter-mismatch at source 2");
    });

    it("notes the whole export for a sample", () => {
      const lines = stepRejectionLines(phones, "sample");
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain("cover the whole export, not only the sample");
    });
  });

  describe("hasIssues", () => {
    it("is false for a clean run", () => {
      expect(hasIssues(summary("full"))).toBe(false);
    });

    it("is true for rejected values", () => {
      expect(hasIssues(summary("full"), phones)).toBe(true);
    });

    it("is true for queued records", () => {
      expect(hasIssues(summary("full", 1))).toBe(true);
    });
  });
});
