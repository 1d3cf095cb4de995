/**
 * A sample run followed by a full run into a sandbox over HTTP. The sampled records keep their
 * Pipedrive ids and are neither sent again nor lost. Rolling back the full run and then the
 * sample leaves the records as they were, records that were there before included.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { migrate, rollbackRuns } from "../../src/ReferencePipeline.js";
import {
  collectionOf,
  confirmedPlan,
  type DestKind,
  idMap,
  liveChanges,
  liveIds,
  openWorld,
  seedLookalikes,
  type World,
} from "./Harness.js";

const kinds = Object.keys(collectionOf) as Array<DestKind>;

describe("ReferencePipeline", () => {
  let world: World;
  beforeAll(async () => {
    world = await openWorld({ leads: 40, seed: 11 });
  });
  afterAll(() => world.close());

  describe("migrate", () => {
    it("keeps the sample once and rolls back", async () => {
      await seedLookalikes(world, 4);
      const before = world.sandbox.control.snapshot();
      await confirmedPlan(world);

      const sample = await migrate(world.planPath, { ...world.options, sample: 12 });
      expect(sample.summary.mode).toBe("sample");
      const sampled = idMap(world.stateDir);
      const afterSample = world.sandbox.control.snapshot();
      const sampledKinds = new Set(sampled.map((entry) => entry.destKind));
      expect(sampled.length).toBeGreaterThanOrEqual(12);
      expect([...sampledKinds].sort()).toEqual([
        "activity",
        "deal",
        "lead",
        "note",
        "organization",
        "person",
      ]);

      const full = await migrate(world.planPath, world.options);
      expect(full.summary.mode).not.toBe("sample");
      const afterFull = world.sandbox.control.snapshot();
      const mapped = idMap(world.stateDir);

      // Each sampled record keeps its Pipedrive id and was not written again.
      for (const entry of sampled) {
        const now = mapped.find(
          (candidate) =>
            candidate.destKind === entry.destKind &&
            candidate.ref.sourceId === entry.ref.sourceId &&
            candidate.ref.kind === entry.ref.kind,
        );
        expect(now).toEqual(entry);
      }
      const unchanged = full.summary.phases.reduce((sum, phase) => sum + phase.counts.unchanged, 0);
      expect(unchanged).toBe(sampled.length);
      // Every record is in the sandbox exactly once: the id map and the added records agree.
      for (const kind of kinds) {
        const existing = new Set(liveIds(before, kind));
        const added = liveIds(afterFull, kind)
          .filter((id) => !existing.has(id))
          .sort();
        const ids = mapped.filter((entry) => entry.destKind === kind).map((entry) => entry.destId);
        expect({ kind, ids: [...ids].sort() }).toEqual({ kind, ids: added });
        const loaded = [sample, full].reduce(
          (sum, run) =>
            sum + (run.summary.phases.find((phase) => phase.phase === kind)?.counts.loaded ?? 0),
          0,
        );
        expect({ kind, loaded }).toEqual({ kind, loaded: added.length });
      }

      const undoFull = await rollbackRuns("last", world.options);
      expect(undoFull.finished).toBe(true);
      expect(undoFull.runIds).toEqual([full.summary.runId]);
      expect(liveChanges(afterSample, world.sandbox.control.snapshot())).toEqual([]);

      const undoSample = await rollbackRuns("sample", world.options);
      expect(undoSample.finished).toBe(true);
      expect(undoSample.removed).toBe(sampled.length);
      expect(liveChanges(before, world.sandbox.control.snapshot())).toEqual([]);
    }, 60_000);
  });
});
