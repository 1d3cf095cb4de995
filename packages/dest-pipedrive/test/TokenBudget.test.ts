import { Redacted } from "effect";
import { describe, expect, it } from "vitest";
import { PipedriveConfig } from "../src/PipedriveConfig.js";
import { TokenBudget } from "../src/TokenBudget.js";

const day = 86_400_000;

describe("TokenBudget", () => {
  describe("dailyBudget", () => {
    it("is 30,000 × plan multiplier × seats plus top-ups", () => {
      const config = (plan: "lite" | "growth" | "premium" | "ultimate", seats: number) =>
        PipedriveConfig.make({
          baseUrl: "http://127.0.0.1:1",
          apiToken: Redacted.make("t"),
          plan,
          seats,
        });
      expect(config("lite", 1).dailyBudget).toBe(30_000);
      expect(config("growth", 5).dailyBudget).toBe(300_000);
      expect(config("premium", 2).dailyBudget).toBe(300_000);
      expect(config("ultimate", 3).dailyBudget).toBe(630_000);
      const topped = PipedriveConfig.make({
        baseUrl: "http://127.0.0.1:1",
        apiToken: Redacted.make("t"),
        plan: "lite",
        seats: 2,
        topUpTokens: 5_000,
      });
      expect(topped.dailyBudget).toBe(65_000);
    });
  });

  describe("check", () => {
    it("counts what earlier runs spent", () => {
      const budget = new TokenBudget({ daily: 100, spentBefore: 90, now: 0 });
      expect(budget.check(10, 0)).toEqual({ _tag: "Spend" });
      budget.spend(10, 0);
      expect(budget.check(5, 0)).toEqual({
        _tag: "Exhausted",
        remaining: 0,
        resetsAt: new Date(day),
      });
      expect(budget.spentByClient).toBe(10);
    });

    it("starts a fresh day after midnight", () => {
      const budget = new TokenBudget({ daily: 100, spentBefore: 100, now: day - 1 });
      expect(budget.remaining(day - 1)).toBe(0);
      expect(budget.remaining(day)).toBe(100);
      expect(budget.resetsAt(day).getTime()).toBe(2 * day);
    });

    it("shortens the day with dayLengthMs", () => {
      const budget = new TokenBudget({
        daily: 50,
        spentBefore: 0,
        now: 1_000,
        dayLengthMs: 60_000,
      });
      budget.spend(50, 1_000);
      expect(budget.resetsAt(1_000).getTime()).toBe(60_000);
      expect(budget.remaining(60_000)).toBe(50);
    });
  });

  describe("markExhausted", () => {
    it("leaves nothing for the rest of the day", () => {
      const budget = new TokenBudget({ daily: 1000, spentBefore: 0, now: 0 });
      budget.spend(100, 0);
      budget.markExhausted(0);
      expect(budget.remaining(0)).toBe(0);
      expect(budget.spentByClient).toBe(100);
    });
  });
});
