/**
 * A full run rolled back with schema removal: the sandbox ends with the records, pipelines,
 * stages, fields, lead labels and activity types it had before. The deactivation of added
 * users is tested in the destination's own SchemaRemover test.
 */
import type { SerializedState } from "@ferry/dest-pipedrive/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { migrate, rollbackRuns } from "../../src/ReferencePipeline.js";
import {
  confirmedPlan,
  liveChanges,
  openWorld,
  seedLookalikes,
  tokensInLedger,
  type World,
} from "./Harness.js";

type Row = Record<string, unknown>;

const schemaCollections = ["pipelines", "stages", "fields", "leadLabels", "activityTypes"] as const;

const isLive = (row: Row): boolean =>
  row.is_deleted !== true && row.active_flag !== false && row.deleted !== true;

const liveIdsOf = (state: SerializedState, name: (typeof schemaCollections)[number]) =>
  (state.collections[name] as ReadonlyArray<Row>)
    .filter(isLive)
    .map((row) => String(row.id))
    .sort();

describe("ReferencePipeline", () => {
  let world: World;
  beforeAll(async () => {
    world = await openWorld({ leads: 25, seed: 23 });
  });
  afterAll(() => world.close());

  describe("rollbackRuns", () => {
    it("removes the schema items with --schema", async () => {
      await seedLookalikes(world, 3);
      const before = world.sandbox.control.snapshot();
      await confirmedPlan(world);

      await migrate(world.planPath, world.options);
      const migrated = world.sandbox.control.snapshot();
      expect(liveIdsOf(migrated, "fields").length).toBeGreaterThan(
        liveIdsOf(before, "fields").length,
      );

      world.sandbox.control.resetMetrics();
      const spentBefore = tokensInLedger(world.stateDir);
      const summary = await rollbackRuns("all", { ...world.options, removeSchema: true });
      expect(summary.finished).toBe(true);
      expect(summary.failures).toEqual([]);
      expect(summary.schemaRemoved).toBeGreaterThan(0);
      const rollbackTokens = world.sandbox.control.metrics().tokens;
      expect(tokensInLedger(world.stateDir) - spentBefore).toBe(rollbackTokens);

      const after = world.sandbox.control.snapshot();
      expect(liveChanges(before, after)).toEqual([]);
      for (const name of schemaCollections) {
        expect({ name, ids: liveIdsOf(after, name) }).toEqual({
          name,
          ids: liveIdsOf(before, name),
        });
      }
    });
  });
});
