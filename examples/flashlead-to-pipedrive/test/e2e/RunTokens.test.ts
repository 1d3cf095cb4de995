/**
 * The tokens of each run, verification and rollback, against a sandbox over HTTP. The ledger
 * and the reports count for each exactly what the sandbox charged while it ran. Two runs of one
 * day are reported apart, and the ledger's total of the day is the sum of everything.
 */
import { readFileSync } from "node:fs";

import { utcDay } from "@ferry/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { migrate, rollbackRuns, verifyRun, writeReports } from "../../src/ReferencePipeline.js";
import { confirmedPlan, openWorld, runCli, tokensInLedger, type World } from "./Harness.js";

/** The parts of `report.json` that count tokens. */
interface ReportTokens {
  readonly runTokens: {
    readonly migrate: number;
    readonly verify: number;
    readonly total: number;
    readonly byDay: ReadonlyArray<{ readonly day: string; readonly total: number }>;
  };
  readonly rollbackTokens: ReadonlyArray<{
    readonly rollbackId: number;
    readonly runIds: ReadonlyArray<number>;
    readonly total: number;
  }>;
  readonly ledgerTokensByDay: ReadonlyArray<{ readonly day: string; readonly spent: number }>;
}

describe("ReferencePipeline", () => {
  let world: World;
  /** Tokens the sandbox charged for each step, by name. */
  const charged: Record<string, number> = {};
  const sampleRun = 1;
  const fullRun = 2;

  /** Runs a step with the sandbox's counters at zero and returns what the sandbox charged. */
  const measure = async <A>(name: string, step: () => Promise<A>): Promise<A> => {
    world.sandbox.control.resetMetrics();
    const result = await step();
    charged[name] = world.sandbox.control.metrics().tokens;
    return result;
  };

  const reportTokens = async (runId: number): Promise<ReportTokens> => {
    const files = await writeReports({ ...world.options, runId });
    return JSON.parse(readFileSync(files.json, "utf8")) as ReportTokens;
  };

  beforeAll(async () => {
    world = await openWorld({ leads: 20, seed: 31 });
    await confirmedPlan(world);
  });
  afterAll(() => world.close());

  describe("migrate", () => {
    it("counts two runs of one day apart", async () => {
      const sample = await measure("sample", () =>
        migrate(world.planPath, { ...world.options, sample: 8 }),
      );
      const full = await measure("full", () => migrate(world.planPath, world.options));
      const day = utcDay(Date.now());

      expect(sample.summary.runId).toBe(sampleRun);
      expect(full.summary.runId).toBe(fullRun);
      expect(charged.sample).toBeGreaterThan(0);
      expect(charged.full).toBeGreaterThan(0);
      expect(sample.summary.tokens.byDay).toEqual([
        { day, migrate: charged.sample, verify: 0, total: charged.sample },
      ]);
      expect(full.summary.tokens.byDay).toEqual([
        { day, migrate: charged.full, verify: 0, total: charged.full },
      ]);
      expect(full.ledgerTokensByDay).toEqual([
        { day, spent: (charged.sample ?? 0) + (charged.full ?? 0) },
      ]);
    });

    it("writes each run's tokens to its report", async () => {
      const day = utcDay(Date.now());
      const sample = await reportTokens(sampleRun);
      const full = await reportTokens(fullRun);
      const dayTotal = (charged.sample ?? 0) + (charged.full ?? 0);

      expect(sample.runTokens).toMatchObject({ migrate: charged.sample, total: charged.sample });
      expect(full.runTokens).toMatchObject({ migrate: charged.full, total: charged.full });
      expect(sample.ledgerTokensByDay).toEqual([{ day, spent: dayTotal }]);
      expect(full.ledgerTokensByDay).toEqual([{ day, spent: dayTotal }]);
      expect(tokensInLedger(world.stateDir)).toBe(dayTotal);
    });
  });

  describe("verifyRun", () => {
    it("counts a verification for its run", async () => {
      const result = await measure("verify", () => verifyRun({ ...world.options, runId: fullRun }));
      const full = await reportTokens(fullRun);
      const sample = await reportTokens(sampleRun);

      expect(charged.verify).toBeGreaterThan(0);
      expect(result.tokensSpent).toBe(charged.verify);
      expect(full.runTokens).toMatchObject({
        migrate: charged.full,
        verify: charged.verify,
        total: (charged.full ?? 0) + (charged.verify ?? 0),
      });
      expect(sample.runTokens).toMatchObject({ verify: 0, total: charged.sample });
    });
  });

  describe("rollbackRuns", () => {
    it("counts a rollback as its own line", async () => {
      const summary = await measure("rollback", () =>
        rollbackRuns({ run: fullRun }, world.options),
      );
      const full = await reportTokens(fullRun);
      const sample = await reportTokens(sampleRun);

      expect(summary.finished).toBe(true);
      expect(charged.rollback).toBeGreaterThan(0);
      expect(summary.tokensSpent).toBe(charged.rollback);
      expect(full.rollbackTokens).toEqual([
        expect.objectContaining({
          rollbackId: summary.rollbackId,
          runIds: [fullRun],
          total: charged.rollback,
        }),
      ]);
      expect(full.runTokens.total).toBe((charged.full ?? 0) + (charged.verify ?? 0));
      expect(sample.rollbackTokens).toEqual([]);
      const everything = Object.values(charged).reduce((sum, tokens) => sum + tokens, 0);
      expect(tokensInLedger(world.stateDir)).toBe(everything);
    });
  });

  describe("ferry migrate", () => {
    it("prints the run's tokens and the day's", async () => {
      const result = await measure("cli", () =>
        runCli(world, ["migrate", world.planPath, "--state", world.stateDir]),
      );
      const day = utcDay(Date.now());
      const dayTotal = Object.values(charged).reduce((sum, tokens) => sum + tokens, 0);

      expect(result.code).toBe(0);
      expect(charged.cli).toBeGreaterThan(0);
      expect(result.stdout).toContain(`Tokens spent by run 3: ${charged.cli}\n`);
      expect(result.stdout).toMatch(new RegExp(`\\n  ${day} +${charged.cli} +${dayTotal}\\n`));
      expect(result.stdout).toContain(
        "The ledger day total counts every run, verification and rollback in this state folder.",
      );
      // The rollback left the schema items, so this run finds them all in the account.
      expect(result.stderr).toMatch(
        /schema: finished in \d+s: created 0, already in account [1-9]/,
      );
      expect(result.stderr).not.toContain("existing");
    });
  });
});
