import { afterEach, describe, expect, it } from "@effect/vitest";

import { type MigrationOptions, runMigration } from "../../src/index.js";
import { makeMemorySource } from "../support/InMemory.js";
import { cleanUp, setupRun, tablesWithProblems } from "../support/RunnerFixture.js";
import { makeTestDestination } from "../support/TestDestination.js";

afterEach(cleanUp);

const countsOf = async (options: MigrationOptions) => {
  const summary = await runMigration(options);
  return Object.fromEntries(summary.phases.map((phase) => [phase.phase, phase.counts]));
};

/** Returns the toy tables with one deal title changed and one contact added. */
const changedTables = () => {
  const tables = tablesWithProblems();
  return {
    ...tables,
    deal: (tables.deal ?? []).map((row) =>
      row?.id === "D1-1" ? { ...row, title: `${row.title} (renamed)` } : row,
    ),
    contact: [
      ...(tables.contact ?? []),
      { id: "CN", name: "New", company_id: "K1", source: "", owner: "ana@example.test" },
    ],
  };
};

describe("DryRunPhases", () => {
  describe("dryRunPhases", () => {
    it("predicts a first run's counts", async () => {
      const { options, test } = await setupRun();
      const dry = await countsOf({ ...options, dryRun: true });
      expect(test.calls("write")).toBe(0);

      const real = await countsOf(options);
      expect(dry).toEqual(real);
      // The deal of the queued contact is queued, and the note on the invalid deal, which the
      // plan rejected, is rejected.
      expect(dry.deal).toMatchObject({ read: 7, loaded: 6, queued: 1 });
      expect(dry.note).toMatchObject({ read: 7, loaded: 6, rejected: 1 });
    });

    it("predicts a delta run's counts", async () => {
      const { options, test } = await setupRun();
      await runMigration(options);
      const changed = { ...options, source: makeMemorySource(changedTables()) };
      const dry = await countsOf({ ...changed, dryRun: true });

      const healthy = makeTestDestination({ store: test.store });
      const real = await countsOf({ ...changed, destination: healthy.destination });
      expect(dry).toEqual(real);
      expect(dry.deal?.updated).toBe(1);
      expect(dry.person?.loaded).toBe(1);
      expect(dry.person?.unchanged).toBeGreaterThan(0);
    });
  });
});
