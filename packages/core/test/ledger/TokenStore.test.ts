import { join } from "node:path";

import { afterEach, describe, expect, it } from "@effect/vitest";
import Database from "better-sqlite3";

import { Ledger } from "../../src/index.js";
import { cleanUp, createTestRun, tempFolder } from "../support/RunnerFixture.js";

afterEach(cleanUp);

const newRun = createTestRun;

/** Deletes the per-run and per-rollback token tables, as a ledger written before them lacks. */
const dropOwnerTables = (stateDir: string) => {
  const db = new Database(join(stateDir, "ledger.sqlite"));
  db.exec("DROP TABLE run_tokens; DROP TABLE rollback_tokens;");
  db.close();
};

describe("TokenStore", () => {
  describe("add", () => {
    it("counts each run apart within a day", () => {
      const ledger = Ledger.open(tempFolder());
      const first = newRun(ledger);
      const second = newRun(ledger);
      ledger.addTokens("2026-03-01", 10, { runId: first, operation: "migrate" });
      ledger.addTokens("2026-03-01", 4, { runId: first, operation: "verify" });
      ledger.addTokens("2026-03-01", 7, { runId: second, operation: "migrate" });
      const total = ledger.addTokens("2026-03-01", 3);

      expect(total).toBe(24);
      expect(ledger.tokensSpent("2026-03-01")).toBe(24);
      expect(ledger.tokens.ofRun(first)).toEqual({
        migrate: 10,
        verify: 4,
        total: 14,
        byDay: [{ day: "2026-03-01", migrate: 10, verify: 4, total: 14 }],
        complete: true,
      });
      expect(ledger.tokens.ofRun(second).total).toBe(7);
      ledger.close();
    });

    it("keeps a run's days in order", () => {
      const ledger = Ledger.open(tempFolder());
      const runId = newRun(ledger);
      ledger.addTokens("2026-03-02", 5, { runId, operation: "migrate" });
      ledger.addTokens("2026-03-01", 8, { runId, operation: "migrate" });
      ledger.addTokens("2026-03-02", 2, { runId, operation: "verify" });

      const spent = ledger.tokens.ofRun(runId);
      expect(spent.byDay).toEqual([
        { day: "2026-03-01", migrate: 8, verify: 0, total: 8 },
        { day: "2026-03-02", migrate: 5, verify: 2, total: 7 },
      ]);
      expect(spent.total).toBe(15);
      ledger.close();
    });

    it("counts a rollback's tokens for the rollback alone", () => {
      const ledger = Ledger.open(tempFolder());
      const runId = newRun(ledger);
      ledger.addTokens("2026-03-01", 9, { rollbackId: 1 });
      ledger.addTokens("2026-03-01", 1, { rollbackId: 1 });

      expect(ledger.tokens.ofRollback(1)).toEqual([{ day: "2026-03-01", spent: 10 }]);
      expect(ledger.tokens.ofRollback(2)).toEqual([]);
      expect(ledger.tokens.ofRun(runId).total).toBe(0);
      expect(ledger.tokensSpent("2026-03-01")).toBe(10);
      ledger.close();
    });
  });

  describe("attribute", () => {
    it("leaves the day's total alone", () => {
      const ledger = Ledger.open(tempFolder());
      const runId = newRun(ledger);
      ledger.addTokens("2026-03-01", 90);
      ledger.tokens.attribute({ runId, operation: "migrate" }, "2026-03-01", 90);

      expect(ledger.tokensSpent("2026-03-01")).toBe(90);
      expect(ledger.tokens.ofRun(runId).migrate).toBe(90);
      ledger.close();
    });
  });

  describe("ofRun", () => {
    it("marks runs older than the table incomplete", () => {
      const stateDir = tempFolder();
      const before = Ledger.open(stateDir);
      const oldRun = newRun(before, "2026-01-01T00:00:00.000Z");
      before.addTokens("2026-01-01", 50);
      before.close();
      dropOwnerTables(stateDir);

      const ledger = Ledger.open(stateDir);
      const newRunId = newRun(ledger);
      ledger.addTokens("2026-01-02", 6, { runId: oldRun, operation: "migrate" });
      ledger.addTokens("2026-01-02", 4, { runId: newRunId, operation: "migrate" });

      expect(ledger.getMeta("run_tokens_since")).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(ledger.tokens.ofRun(oldRun)).toMatchObject({ total: 6, complete: false });
      expect(ledger.tokens.ofRun(newRunId)).toMatchObject({ total: 4, complete: true });
      expect(ledger.tokensByDay()).toEqual([
        { day: "2026-01-01", spent: 50 },
        { day: "2026-01-02", spent: 10 },
      ]);
      ledger.close();
    });

    it("marks every run of a new ledger complete", () => {
      const ledger = Ledger.open(tempFolder());
      const runId = newRun(ledger, "2020-01-01T00:00:00.000Z");

      expect(ledger.getMeta("run_tokens_since")).toBeUndefined();
      expect(ledger.tokens.ofRun(runId).complete).toBe(true);
      ledger.close();
    });
  });
});
