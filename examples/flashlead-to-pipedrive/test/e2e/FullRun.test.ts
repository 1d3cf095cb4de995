/**
 * The bundled sample export through propose, confirm, migrate and verify into a sandbox over
 * HTTP: every planned record arrives exactly once, records that were there before are left
 * alone, the read-back matches the plan, and a second run creates nothing.
 */
import { buildRunReport, Ledger } from "@ferry/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { migrate, verifyRun } from "../../src/ReferencePipeline.js";
import { sampleExportFolder } from "../../src/SampleExport.js";
import {
  collectionOf,
  confirmedPlan,
  type DestKind,
  idMapByKind,
  liveIds,
  openWorld,
  recordOf,
  seedLookalikes,
  type World,
} from "./Harness.js";

describe("ReferencePipeline", () => {
  let world: World;
  beforeAll(async () => {
    world = await openWorld({ copyFrom: sampleExportFolder() });
  });
  afterAll(() => world.close());

  describe("migrate", () => {
    it("moves the sample export once", async () => {
      await seedLookalikes(world, 5);
      const before = world.sandbox.control.snapshot();
      await confirmedPlan(world);

      const { summary } = await migrate(world.planPath, world.options);
      expect(summary.mode).toBe("full");
      const after = world.sandbox.control.snapshot();
      const ids = idMapByKind(world.stateDir);

      // Each kind's planned records (read, less those held in the queue) are in the sandbox
      // exactly once: as many records were added as the id map holds, with the same ids.
      let planned = 0;
      for (const kind of Object.keys(collectionOf) as Array<DestKind>) {
        const counts = summary.phases.find((phase) => phase.phase === kind)?.counts;
        const expected = (counts?.read ?? 0) - (counts?.queued ?? 0);
        planned += expected;
        const existing = new Set(liveIds(before, kind));
        const added = liveIds(after, kind).filter((id) => !existing.has(id));
        const mapped = (ids[kind] ?? []).map((entry) => entry.destId);
        expect({ kind, added: added.length }).toEqual({ kind, added: expected });
        expect({ kind, loaded: counts?.loaded ?? 0 }).toEqual({ kind, loaded: expected });
        expect({ kind, distinct: new Set(mapped).size }).toEqual({ kind, distinct: mapped.length });
        expect({ kind, ids: [...mapped].sort() }).toEqual({ kind, ids: [...added].sort() });
      }
      // Every kind but files gets records; the export's attachments are not in the folder.
      for (const kind of ["organization", "person", "deal", "lead", "note", "activity"]) {
        expect(ids[kind]?.length ?? 0).toBeGreaterThan(0);
      }
      expect(summary.phases.every((phase) => phase.counts.rejected === 0)).toBe(true);
      // The pre-existing look-alikes are untouched: nothing Ferry did changed or removed them.
      const touched = world.sandbox.control.compare(before, after);
      for (const [collection, change] of Object.entries(touched)) {
        expect({ collection, removed: change.removed, changed: change.changed }).toEqual({
          collection,
          removed: [],
          changed: [],
        });
      }

      const verification = await verifyRun(world.options);
      expect(verification.records).toBe(planned);
      expect(verification.differences).toEqual([]);

      // A lost deal is dated by its move into the lost stage (Won to Lost on 28/06/2023 15:20,
      // Europe/London), and no lost deal of a lead carries the time of the run.
      const leadDeals = (ids.deal ?? []).filter((entry) => entry.ref.kind === "lead");
      const dealOf = (sourceId: string) => {
        const entry = leadDeals.find((candidate) => candidate.ref.sourceId === sourceId);
        return entry === undefined ? undefined : recordOf(after, "deal", entry.destId);
      };
      expect(dealOf("L000008")).toMatchObject({
        status: "lost",
        lost_time: "2023-06-28T14:20:00Z",
        close_time: "2023-06-28T14:20:00Z",
      });
      const lost = leadDeals
        .map((entry) => recordOf(after, "deal", entry.destId))
        .filter((deal) => deal?.status === "lost");
      expect(lost.length).toBeGreaterThan(0);
      for (const deal of lost) {
        expect({ id: deal?.id, before: String(deal?.lost_time) < "2025" }).toEqual({
          id: deal?.id,
          before: true,
        });
      }

      // The report accounts for every lead row: the four persons held as duplicates count as
      // queued, although their deals were written, and the other leads are in the destination.
      const ledger = Ledger.open(world.stateDir);
      const files = buildRunReport(ledger, summary.runId).files;
      ledger.close();
      const leads = files.find((file) => file.file === "leads.csv");
      const personQueued = summary.phases.find((phase) => phase.phase === "person")?.counts.queued;
      expect(leads?.rows).toBe(300);
      expect(leads?.staged).toBe(300);
      expect(leads?.outcomes?.queued).toBe(personQueued);
      expect(leads?.outcomes?.inDestination).toBe(300 - (personQueued ?? 0));
      for (const file of files) {
        expect(file.rows).toBe((file.skipped ?? 0) + file.rejectedAtSource + file.staged);
      }

      const again = await migrate(world.planPath, world.options);
      expect(again.summary.mode).toBe("delta");
      for (const { phase, counts } of again.summary.phases) {
        expect({ phase, loaded: counts.loaded, updated: counts.updated }).toEqual({
          phase,
          loaded: 0,
          updated: 0,
        });
      }
      const diff = world.sandbox.control.compare(after);
      for (const [collection, change] of Object.entries(diff)) {
        expect({ collection, ...change }).toEqual({
          collection,
          added: [],
          removed: [],
          changed: [],
        });
      }
    }, 120_000);
  });
});
