/**
 * The summary lines of a run: the line of rejections at the source and transform steps, and the
 * decision whether a run left something for a person to read.
 */
import type { RunSummary } from "@ferry/core";
import { describe, expect, it } from "vitest";
import { hasIssues, runTokenLines, stepRejectionLines } from "../../src/cli/Summaries.js";
import type { StepRejections } from "../../src/ReferencePipeline.js";

const counts = { read: 3, loaded: 3, updated: 0, unchanged: 0, rejected: 0, queued: 0 };
const summary = (mode: RunSummary["mode"], queued = 0): RunSummary => ({
  runId: 1,
  mode,
  dryRun: false,
  resumed: false,
  phases: [{ phase: "person", counts: { ...counts, queued } }],
  settled: 0,
  tokens: { migrate: 0, verify: 0, total: 0, byDay: [], complete: true },
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

  describe("runTokenLines", () => {
    const spent = (complete: boolean): RunSummary["tokens"] => ({
      migrate: 1500,
      verify: 0,
      total: 1500,
      byDay: [
        { day: "2026-03-01", migrate: 1200, verify: 0, total: 1200 },
        { day: "2026-03-02", migrate: 300, verify: 0, total: 300 },
      ],
      complete,
    });
    const ledger = [
      { day: "2026-03-01", spent: 5000 },
      { day: "2026-03-02", spent: 300 },
    ];

    it("puts each day's run and ledger totals side by side", () => {
      const lines = runTokenLines({ ...summary("full"), tokens: spent(true) }, ledger, 60_000);
      expect(lines).toEqual([
        "Tokens spent by run 1: 1500",
        "  day (UTC)         run 1   ledger day total",
        "  2026-03-01         1200               5000",
        "  2026-03-02          300                300",
        "  The ledger day total counts every run, verification and rollback in this state folder. The daily budget of 60000 tokens is checked against it.",
      ]);
    });

    it("says a resumed run counts every attempt", () => {
      const resumed = { ...summary("full"), resumed: true, tokens: spent(true) };
      expect(runTokenLines(resumed, ledger, 60_000)[0]).toBe(
        "Tokens spent by run 1, over every attempt: 1500",
      );
    });

    it("notes spend the ledger did not count per run", () => {
      const lines = runTokenLines({ ...summary("full"), tokens: spent(false) }, ledger, 60_000);
      expect(lines).toContain(
        "  Run 1 started before the ledger counted tokens per run, so this leaves out what it spent before then.",
      );
    });

    it("prints one line for a run without spend", () => {
      expect(runTokenLines(summary("full"), [], 60_000)).toEqual(["Tokens spent by run 1: 0"]);
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
