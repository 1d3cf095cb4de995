import { afterEach, describe, expect, it } from "@effect/vitest";

import { Ledger, utcDay } from "../../src/index.js";
import { makeTokenAccount } from "../../src/runner/RunContext.js";
import { cleanUp, createTestRun, tempFolder } from "../support/RunnerFixture.js";

afterEach(cleanUp);

const newRun = createTestRun;

describe("RunContext", () => {
  describe("makeTokenAccount", () => {
    it("counts early tokens for the later owner", () => {
      const ledger = Ledger.open(tempFolder());
      const account = makeTokenAccount(ledger);
      account.add(90);
      const runId = newRun(ledger);
      account.attributeTo({ runId, operation: "migrate" });
      account.add(5);
      account.add(5);

      const today = utcDay(Date.now());
      expect(ledger.tokens.ofRun(runId).byDay).toEqual([
        { day: today, migrate: 100, verify: 0, total: 100 },
      ]);
      expect(ledger.tokensSpent(today)).toBe(100);
      expect(account.spentToday()).toBe(100);
      expect(account.spentHere()).toBe(100);
      ledger.close();
    });

    it("starts from the day's spend of other accounts", () => {
      const ledger = Ledger.open(tempFolder());
      const runId = newRun(ledger);
      const first = makeTokenAccount(ledger, { runId, operation: "migrate" });
      first.add(40);
      const second = makeTokenAccount(ledger, { runId, operation: "verify" });
      second.add(2);

      expect(second.spentToday()).toBe(42);
      expect(second.spentHere()).toBe(2);
      expect(ledger.tokens.ofRun(runId)).toMatchObject({ migrate: 40, verify: 2, total: 42 });
      ledger.close();
    });

    it("counts nothing twice when the owner is named again", () => {
      const ledger = Ledger.open(tempFolder());
      const account = makeTokenAccount(ledger);
      account.add(7);
      account.attributeTo({ rollbackId: 1 });
      account.attributeTo({ rollbackId: 1 });

      expect(ledger.tokens.ofRollback(1)).toEqual([{ day: utcDay(Date.now()), spent: 7 }]);
      ledger.close();
    });
  });
});
