import { afterEach, describe, expect, it } from "@effect/vitest";

import { Effect } from "effect";

import {
  Ledger,
  RollbackOrderError,
  rollback,
  runMigration,
  type TokenAccount,
  utcDay,
} from "../../src/index.js";
import { makeMemorySource } from "../support/InMemory.js";
import { cleanUp, refsOf, setupRun, sourceWithNewCompany } from "../support/RunnerFixture.js";
import { countCalls, failure, makeTestDestination } from "../support/TestDestination.js";
import { toyTables } from "../support/ToyPipeline.js";

afterEach(cleanUp);

describe("Rollback", () => {
  describe("rollback", () => {
    it("removes everything Ferry created and nothing else", async () => {
      const { options, test, stateDir } = await setupRun(toyTables(3));
      await runMigration(options);
      test.store.put({
        id: "foreign-1",
        kind: "person",
        ref: { kind: "contact", sourceId: "C1-1" },
        fields: { name: "Made by a person" },
        custom: {},
        links: {},
        updatedAt: "2026-01-01T00:00:00Z",
      });

      const summary = await rollback({ stateDir, destination: test.destination, scope: "all" });
      expect(summary).toMatchObject({ removed: 21, restored: 0, finished: true });
      expect(test.records().map((r) => r.id)).toEqual(["foreign-1"]);

      const ledger = Ledger.open(stateDir);
      expect(ledger.idMapEntries()).toHaveLength(0);
      ledger.close();
    });

    it("counts its tokens as its own", async () => {
      const { options, test, stateDir } = await setupRun(toyTables(3));
      const { fault, count } = countCalls();
      const destination = (tokens: TokenAccount) =>
        makeTestDestination({
          store: test.store,
          tokens,
          tokensPerWrite: 10,
          tokensPerRemove: 3,
          fault,
        }).destination;
      const first = await runMigration({ ...options, destination });
      const source = sourceWithNewCompany(3);
      const second = await runMigration({ ...options, destination, source });
      const removes = () => count("remove");

      const summary = await rollback({ stateDir, destination, scope: "all" });
      expect(summary.runIds).toEqual([first.runId, second.runId]);
      expect(second.tokens.total).toBeGreaterThan(0);
      expect(removes()).toBeGreaterThan(0);
      expect(summary.tokensSpent).toBe(3 * removes());
      const ledger = Ledger.open(stateDir);
      const day = utcDay(Date.now());
      expect(ledger.tokens.ofRollback(summary.rollbackId)).toEqual([{ day, spent: 3 * removes() }]);
      expect(ledger.tokens.ofRun(first.runId).total).toBe(first.tokens.total);
      expect(ledger.tokens.ofRun(second.runId).total).toBe(second.tokens.total);
      expect(ledger.tokensSpent(day)).toBe(
        first.tokens.total + second.tokens.total + summary.tokensSpent,
      );
      ledger.close();
    });

    it("restores updates and removes creations of a delta run", async () => {
      const { options, test, stateDir } = await setupRun(toyTables(3));
      await runMigration(options);
      const before = refsOf(test.records());
      const tables = toyTables(3);
      await runMigration({
        ...options,
        source: makeMemorySource({
          ...tables,
          company: [...(tables.company ?? []), { id: "K9", name: "New" }],
          deal: (tables.deal ?? []).map((row) =>
            row?.id === "D2-1" ? { ...row, title: "Changed" } : row,
          ),
        }),
      });

      const summary = await rollback({ stateDir, destination: test.destination, scope: "last" });
      expect(summary).toMatchObject({ removed: 1, restored: 1, finished: true });
      expect(refsOf(test.records())).toEqual(before);
      const deal = test.records("deal").find((r) => r.ref.sourceId === "D2-1");
      expect(deal?.fields.title).toBe("Deal 2.1");
    });

    it("rolls back a sample before the full run", async () => {
      const { options, test, stateDir } = await setupRun(toyTables(4));
      await runMigration({ ...options, sample: 3 });
      expect(test.records().length).toBeGreaterThan(0);

      await rollback({ stateDir, destination: test.destination, scope: "sample" });
      expect(test.records()).toHaveLength(0);

      const full = await runMigration(options);
      expect(full.mode).toBe("full");
      expect(new Set(refsOf(test.records())).size).toBe(28);
    });

    it("rejects a sample that a later run reused", async () => {
      const { options, test, stateDir } = await setupRun(toyTables(4));
      await runMigration({ ...options, sample: 3 });
      await runMigration(options);
      const before = refsOf(test.records());

      const error = await rollback({
        stateDir,
        destination: test.destination,
        scope: "sample",
      }).catch((cause: unknown) => cause);
      expect(error).toBeInstanceOf(RollbackOrderError);
      const { dependents, runIds, message } = error as RollbackOrderError;
      expect(runIds).toEqual([1]);
      expect(dependents.map((dependent) => dependent.runId)).toEqual([2]);
      expect(dependents[0]?.reused).toBeGreaterThan(0);
      expect(dependents[0]?.linked).toBeGreaterThan(0);
      expect(message).toContain("Roll back run 2 first");
      expect(refsOf(test.records())).toEqual(before);
      const ledger = Ledger.open(stateDir);
      expect(ledger.rollbacks.covering(1)).toEqual([]);
      ledger.close();
    });

    it("rejects updates a later run updated again", async () => {
      const { options, test, stateDir } = await setupRun(toyTables(2));
      await runMigration(options);
      const retitled = (title: string) => {
        const tables = toyTables(2);
        const deal = (tables.deal ?? []).map((row) =>
          row?.id === "D1-1" ? { ...row, title } : row,
        );
        return makeMemorySource({ ...tables, deal });
      };
      await runMigration({ ...options, source: retitled("First change") });
      await runMigration({ ...options, source: retitled("Second change") });

      const undo = rollback({ stateDir, destination: test.destination, scope: { run: 2 } });
      await expect(undo).rejects.toMatchObject({
        _tag: "RollbackOrderError",
        dependents: [{ runId: 3, reused: 0, updated: 1, linked: 0 }],
      });
      const deal = test.records("deal").find((r) => r.ref.sourceId === "D1-1");
      expect(deal?.fields.title).toBe("Second change");
    });

    it("rolls back later runs on request", async () => {
      const { options, test, stateDir } = await setupRun(toyTables(4));
      await runMigration({ ...options, sample: 3 });
      await runMigration(options);

      const summary = await rollback({
        stateDir,
        destination: test.destination,
        scope: "sample",
        withLaterRuns: true,
      });
      expect(summary).toMatchObject({ runIds: [1, 2], removed: 28, finished: true });
      expect(test.records()).toHaveLength(0);
    });

    it("rolls back a sample after the later run", async () => {
      const { options, test, stateDir } = await setupRun(toyTables(4));
      const sample = await runMigration({ ...options, sample: 3 });
      const sampled = test.records().length;
      await runMigration(options);

      await rollback({ stateDir, destination: test.destination, scope: "last" });
      expect(test.records()).toHaveLength(sampled);
      const summary = await rollback({ stateDir, destination: test.destination, scope: "sample" });
      expect(summary).toMatchObject({ runIds: [sample.runId], removed: sampled, finished: true });
      expect(test.records()).toHaveLength(0);
    });

    it("removes the schema items on request", async () => {
      const { options, test, stateDir } = await setupRun(toyTables(1));
      await runMigration(options);
      const created = test.schemaItems.map((i) => i.id).sort();
      const summary = await rollback({
        stateDir,
        destination: test.destination,
        scope: { run: 1 },
        removeSchema: true,
      });
      expect(summary.schemaRemoved).toBe(4);
      expect(summary.finished).toBe(true);
      expect([...test.removedSchema].sort()).toEqual(created);
      expect(test.schemaItems).toEqual([]);
    });

    it("removes a schema item no run recorded", async () => {
      const { options, test, stateDir } = await setupRun(toyTables(1));
      await runMigration(options);
      // A second "Lead source" field, as a create that completed after its process died.
      test.schemaItems.push({ type: "field", id: "late-1", name: "Lead source", kind: "person" });

      const summary = await rollback({
        stateDir,
        destination: test.destination,
        scope: "all",
        removeSchema: true,
      });
      expect(summary.schemaRemoved).toBe(5);
      expect(summary.finished).toBe(true);
      expect(test.removedSchema).toContain("late-1");
      expect(test.schemaItems).toEqual([]);
    });

    it("lists schema items still present after removal", async () => {
      const { options, test, stateDir } = await setupRun(toyTables(1));
      await runMigration(options);
      // A destination that reports every item as removed but keeps them, the user active.
      const keeping = {
        ...test.destination,
        removeSchema: (items: ReadonlyArray<{ readonly id: string }>) =>
          Effect.succeed(items.map((item) => ({ id: item.id, removed: true }))),
      };

      const summary = await rollback({
        stateDir,
        destination: keeping,
        scope: "all",
        removeSchema: true,
      });
      expect(summary.finished).toBe(false);
      expect(summary.failures.map((failure) => `${failure.kind}:${failure.id}`).sort()).toEqual(
        test.schemaItems.map((item) => `${item.type}:${item.id}`).sort(),
      );
      expect(summary.failures[0]?.reason).toContain("is still in the account");
    });

    it("resumes after an interruption", async () => {
      const { options, test, stateDir } = await setupRun(toyTables(3));
      await runMigration(options);
      let failing = true;
      const flaky = makeTestDestination({
        store: test.store,
        fault: (call) =>
          failing && call.method === "remove" && call.n === 3 ? failure("server") : undefined,
      });

      const first = rollback({
        stateDir,
        destination: flaky.destination,
        scope: "all",
        batchSize: 3,
      });
      await expect(first).rejects.toMatchObject({ _tag: "DestinationError", reason: "server" });
      const left = test.records().length;
      expect(left).toBeGreaterThan(0);
      expect(left).toBeLessThan(21);

      failing = false;
      const second = await rollback({ stateDir, destination: flaky.destination, scope: "all" });
      expect(second).toMatchObject({ removed: 21, finished: true, rollbackId: 1 });
      expect(test.records()).toHaveLength(0);
    });

    it("rejects an unknown run", async () => {
      const { options, test, stateDir } = await setupRun(toyTables(1));
      await runMigration(options);
      const run = rollback({ stateDir, destination: test.destination, scope: { run: 42 } });
      await expect(run).rejects.toMatchObject({ _tag: "RunNotFoundError", runId: 42 });
    });
  });
});
