import { afterEach, describe, expect, it } from "@effect/vitest";

import { Ledger, runMigration } from "../../src/index.js";
import { cleanUp, refsOf, setupRun } from "../support/RunnerFixture.js";
import { toyStages, toyTables } from "../support/ToyPipeline.js";

afterEach(cleanUp);

describe("Sample", () => {
  describe("runMigration with sample", () => {
    it("represents every kind and stage", async () => {
      const { options, test } = await setupRun(toyTables(6));
      const summary = await runMigration({ ...options, sample: 4 });

      expect(summary.mode).toBe("sample");
      for (const kind of ["organization", "person", "deal", "note"]) {
        expect(test.records(kind).length, kind).toBeGreaterThan(0);
      }
      const stages = new Set(test.records("deal").map((r) => r.fields.stage));
      expect([...stages].sort()).toEqual([...toyStages].sort());
      expect(test.records().length).toBeLessThan(42);
    });

    it("brings the parents of sampled records", async () => {
      const { options, test } = await setupRun(toyTables(6));
      await runMigration({ ...options, sample: 3 });

      const ids = (kind: string) => new Set(test.records(kind).map((r) => r.id));
      for (const note of test.records("note"))
        expect(ids("deal").has(note.links.deal_id ?? "")).toBe(true);
      for (const deal of test.records("deal")) {
        expect(ids("person").has(deal.links.person_id ?? "")).toBe(true);
      }
      for (const person of test.records("person")) {
        expect(ids("organization").has(person.links.org_id ?? "")).toBe(true);
      }
    });

    it("counts only the sampled records", async () => {
      const { options, test } = await setupRun(toyTables(6));
      const summary = await runMigration({ ...options, sample: 4 });
      const loaded = summary.phases.reduce((sum, phase) => sum + phase.counts.loaded, 0);
      const read = summary.phases.reduce((sum, phase) => sum + phase.counts.read, 0);
      expect(loaded).toBe(test.records().length);
      expect(read).toBe(loaded);
    });

    it("is neither duplicated nor lost by the full run", async () => {
      const { options, test, stateDir } = await setupRun(toyTables(6));
      await runMigration({ ...options, sample: 4 });
      const sampled = refsOf(test.records());
      const full = await runMigration(options);

      const refs = refsOf(test.records());
      expect(refs).toHaveLength(42);
      expect(new Set(refs).size).toBe(42);
      for (const ref of sampled) expect(refs).toContain(ref);
      const unchanged = full.phases.reduce((sum, phase) => sum + phase.counts.unchanged, 0);
      expect(unchanged).toBe(sampled.length);

      const ledger = Ledger.open(stateDir);
      expect(ledger.runs().map((run) => run.mode)).toEqual(["sample", "delta"]);
      ledger.close();
    });
  });
});
