import { afterEach, describe, expect, it } from "@effect/vitest";

import { Ledger, rollback, runMigration, verify } from "../../src/index.js";
import { makeMemorySource } from "../support/InMemory.js";
import { cleanUp, setupRun } from "../support/RunnerFixture.js";
import { countCalls, failure, makeTestDestination } from "../support/TestDestination.js";
import { toyTables } from "../support/ToyPipeline.js";

afterEach(cleanUp);

/** The toy export with deal D1-1 retitled and D1-2 revalued, and a fourth company. */
const newerExport = () => {
  const tables = toyTables(3);
  return {
    ...tables,
    company: [...(tables.company ?? []), { id: "K4", name: "Company 4" }],
    deal: (tables.deal ?? []).map((row) =>
      row?.id === "D1-1"
        ? { ...row, title: "Deal 1.1 renamed" }
        : row?.id === "D1-2"
          ? { ...row, value: "999" }
          : row,
    ),
  };
};

describe("Delta", () => {
  describe("runMigration on a newer export", () => {
    it("creates new, updates changed and keeps unchanged", async () => {
      const { options, test } = await setupRun(toyTables(3));
      await runMigration(options);
      const summary = await runMigration({ ...options, source: makeMemorySource(newerExport()) });
      const counts = Object.fromEntries(summary.phases.map((p) => [p.phase, p.counts]));

      expect(summary.mode).toBe("delta");
      expect(counts.organization).toMatchObject({ read: 4, loaded: 1, unchanged: 3 });
      expect(counts.deal).toMatchObject({ read: 6, loaded: 0, updated: 2, unchanged: 4 });
      expect(counts.note).toMatchObject({ read: 6, unchanged: 6 });
      const deal = test.records("deal").find((r) => r.ref.sourceId === "D1-1");
      expect(deal?.fields.title).toBe("Deal 1.1 renamed");
      expect(test.records("deal")).toHaveLength(6);
    });

    it("journals the previous values of an update", async () => {
      const { options, stateDir } = await setupRun(toyTables(3));
      await runMigration(options);
      const summary = await runMigration({ ...options, source: makeMemorySource(newerExport()) });

      const ledger = Ledger.open(stateDir);
      const update = ledger.journal
        .entries(summary.runId)
        .find((entry) => entry.op === "update" && entry.ref.sourceId === "D1-1");
      ledger.close();
      expect(update?.status).toBe("done");
      expect(update?.previous?.fields.title).toBe("Deal 1.1");
      expect(update?.payload.fields.title).toBe("Deal 1.1 renamed");
    });

    it("keeps the first previous values when an update is retried", async () => {
      const { options, test, stateDir } = await setupRun(toyTables(3));
      await runMigration(options);
      let dealWrites = 0;
      const flaky = makeTestDestination({
        store: test.store,
        fault: (call) => {
          if (call.method !== "write" || call.kind !== "deal") return undefined;
          dealWrites += 1;
          return dealWrites === 1 ? failure("timeout") : undefined;
        },
      });
      const summary = await runMigration({
        ...options,
        destination: flaky.destination,
        source: makeMemorySource(newerExport()),
      });
      expect(summary.phases.find((p) => p.phase === "deal")?.counts.updated).toBe(2);

      const ledger = Ledger.open(stateDir);
      const updates = ledger.journal
        .entries(summary.runId)
        .filter((entry) => entry.op === "update" && entry.ref.sourceId === "D1-1");
      ledger.close();
      expect(updates.map((entry) => entry.status)).toEqual(["absent", "done"]);
      expect(updates.map((entry) => entry.previous?.fields.title)).toEqual([
        "Deal 1.1",
        "Deal 1.1",
      ]);
    });

    it("recreates a deleted record and relinks it", async () => {
      const { options, test, stateDir } = await setupRun(toyTables(3));
      await runMigration(options);
      const gone = test.records("organization").find((r) => r.ref.sourceId === "K1");
      const children = test.records("person").filter((r) => r.links.org_id === gone?.id);
      test.store.delete("organization", gone?.id ?? "");

      const summary = await runMigration(options);
      const counts = Object.fromEntries(summary.phases.map((p) => [p.phase, p.counts]));
      expect(counts.organization).toMatchObject({ read: 3, loaded: 1, unchanged: 2 });
      expect(counts.person).toMatchObject({ read: 6, updated: 2, unchanged: 4 });
      expect(counts.deal).toMatchObject({ read: 6, unchanged: 6 });
      const again = test.records("organization").find((r) => r.ref.sourceId === "K1");
      expect(again?.id).not.toBe(gone?.id);
      expect(children).toHaveLength(2);
      expect(
        test
          .records("person")
          .filter((r) => r.links.org_id === again?.id)
          .map((r) => r.ref.sourceId)
          .sort(),
      ).toEqual(children.map((r) => r.ref.sourceId).sort());
      const result = await verify({ stateDir, destination: test.destination });
      expect(result.differences).toEqual([]);
    });

    it("rolls back a delta that recreated a record", async () => {
      const { options, test, stateDir } = await setupRun(toyTables(3));
      await runMigration(options);
      const gone = test.records("organization").find((r) => r.ref.sourceId === "K1");
      test.store.delete("organization", gone?.id ?? "");
      await runMigration(options);
      const { fault, count } = countCalls();
      const counting = makeTestDestination({ store: test.store, fault });

      const summary = await rollback({
        stateDir,
        destination: counting.destination,
        scope: "last",
      });
      expect(summary).toMatchObject({ removed: 1, restored: 2, finished: true });
      // The persons' links pointed at an organization that is gone, so only the ledger changes.
      expect(count("write")).toBe(0);
      expect(test.records("organization").map((r) => r.ref.sourceId)).toEqual(["K2", "K3"]);
      const ledger = Ledger.open(stateDir);
      const links = ["C1-1", "C1-2"].map(
        (id) => ledger.idMapGet("person", { kind: "contact", sourceId: id })?.written.links.org_id,
      );
      ledger.close();
      expect(links).toEqual([gone?.id, gone?.id]);
    });

    it("reads back unchanged records once per kind", async () => {
      const { options, test } = await setupRun(toyTables(3));
      await runMigration(options);
      const { fault, count } = countCalls();
      const counting = makeTestDestination({ store: test.store, fault });

      const summary = await runMigration({ ...options, destination: counting.destination });
      expect(summary.phases.every((p) => p.counts.unchanged === p.counts.read)).toBe(true);
      expect(count("readBack")).toBe(4);
      expect(count("write")).toBe(0);
    });

    it("queues a record edited in the destination", async () => {
      const { options, test, stateDir } = await setupRun(toyTables(3));
      await runMigration(options);
      const deal = test.records("deal").find((r) => r.ref.sourceId === "D1-2");
      test.edit("deal", deal?.id ?? "", { title: "Edited by hand" });

      const summary = await runMigration({ ...options, source: makeMemorySource(newerExport()) });
      const counts = summary.phases.find((p) => p.phase === "deal")?.counts;
      expect(counts).toMatchObject({ updated: 1, queued: 1 });
      const after = test.records("deal").find((r) => r.ref.sourceId === "D1-2");
      expect(after?.fields.title).toBe("Edited by hand");
      expect(after?.fields.value).toBe(102);

      const ledger = Ledger.open(stateDir);
      const conflict = ledger
        .queued(summary.runId)
        .find((q) => q.reason === "edited-in-destination");
      ledger.close();
      expect(conflict?.ref.sourceId).toBe("D1-2");
      expect(conflict?.value).toBe("title");
    });

    it("overwrites an edited record when the plan says so", async () => {
      const { options, test } = await setupRun(toyTables(3));
      await runMigration(options);
      const deal = test.records("deal").find((r) => r.ref.sourceId === "D1-2");
      test.edit("deal", deal?.id ?? "", { title: "Edited by hand" });

      const summary = await runMigration({
        ...options,
        source: makeMemorySource(newerExport()),
        conflicts: "overwrite",
      });
      expect(summary.phases.find((p) => p.phase === "deal")?.counts.updated).toBe(2);
      const after = test.records("deal").find((r) => r.ref.sourceId === "D1-2");
      expect(after?.fields).toMatchObject({ title: "Deal 1.2", value: 999 });
    });
  });
});
