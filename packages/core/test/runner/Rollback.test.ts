import { afterEach, describe, expect, it } from "@effect/vitest";

import { Ledger, rollback, runMigration } from "../../src/index.js";
import { makeMemorySource } from "../support/InMemory.js";
import { cleanUp, refsOf, setupRun } from "../support/RunnerFixture.js";
import { failure, makeTestDestination } from "../support/TestDestination.js";
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

    it("removes the schema items on request", async () => {
      const { options, test, stateDir } = await setupRun(toyTables(1));
      await runMigration(options);
      const summary = await rollback({
        stateDir,
        destination: test.destination,
        scope: { run: 1 },
        removeSchema: true,
      });
      expect(summary.schemaRemoved).toBe(4);
      expect([...test.removedSchema].sort()).toEqual(test.schemaItems.map((i) => i.id).sort());
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
