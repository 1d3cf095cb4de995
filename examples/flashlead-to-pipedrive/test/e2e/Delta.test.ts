/**
 * A delta run on a newer export into a sandbox over HTTP. New rows are created, changed rows
 * updated and the rest left alone. A record that a person edited in Pipedrive since the
 * migration is queued as a conflict instead of overwritten. Rolling the delta back restores
 * the records.
 */
import { cpSync } from "node:fs";
import { join } from "node:path";

import { Ledger } from "@ferry/core";
import { fictionalPhone } from "@ferry/source-flashlead/generator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { migrate, rollbackRuns } from "../../src/ReferencePipeline.js";
import {
  confirmedPlan,
  editLeads,
  idMap,
  leadRows,
  liveChanges,
  openWorld,
  recordOf,
  secretToken,
  seedLookalikes,
  type World,
  withJobTitle,
} from "./Harness.js";

const personOf = (stateDir: string, leadId: string) =>
  idMap(stateDir).find(
    (entry) =>
      entry.destKind === "person" && entry.ref.kind === "lead" && entry.ref.sourceId === leadId,
  );

describe("ReferencePipeline", () => {
  let world: World;
  beforeAll(async () => {
    world = await openWorld({ leads: 40, seed: 5 });
  });
  afterAll(() => world.close());

  describe("migrate", () => {
    it("creates, updates and queues conflicts", async () => {
      await seedLookalikes(world, 3);
      await confirmedPlan(world);
      const first = await migrate(world.planPath, world.options);

      // A row with a quoted list of tags is among the changed ones: Pipedrive returns the
      // options in its own order, which must not look like an edit in Pipedrive.
      const rows = leadRows(world.exportDir).filter((row) => !row.quoted);
      const tagged = leadRows(world.exportDir).find((row) => row.quoted && row.id !== rows[6]?.id);
      const changed = [...rows.slice(2, 4).map((row) => row.id), tagged?.id ?? ""];
      const edited = rows[6]?.id ?? "";
      const copied = rows.slice(8, 10);
      const added = copied.map((_, index) => `L90000${index + 1}`);

      const editedPerson = personOf(world.stateDir, edited);
      const response = await fetch(`${world.sandbox.url}/api/v2/persons/${editedPerson?.destId}`, {
        method: "PATCH",
        headers: { "content-type": "application/json", "x-api-token": secretToken },
        body: JSON.stringify({ job_title: "Edited in Pipedrive" }),
      });
      expect(response.status).toBe(200);
      const beforeDelta = world.sandbox.control.snapshot();
      const mappedBefore = idMap(world.stateDir);

      const newer = join(world.root, "export-newer");
      cpSync(world.exportDir, newer, { recursive: true });
      editLeads(newer, (text, id) => {
        if (changed.includes(id) || id === edited) return [withJobTitle(text, "Head of Testing")];
        const index = copied.findIndex((row) => row.id === id);
        if (index < 0) return [text];
        const cells = text.split(",");
        cells[0] = added[index] ?? "";
        cells[1] = `Nova${index}`;
        cells[3] = `nova.${index}@example.test`;
        // A new lead has a phone of its own: with the copied lead's phone, the person dedupe
        // would hold it as a duplicate of that lead's person.
        cells[4] = fictionalPhone("lead", 9001 + index) ?? "";
        return [text, cells.join(",")];
      });

      const delta = await migrate(world.planPath, { ...world.options, exportDir: newer });
      expect(delta.summary.mode).toBe("delta");
      const runId = delta.summary.runId;
      const after = world.sandbox.control.snapshot();
      const mapped = idMap(world.stateDir);

      for (const id of added) {
        const person = personOf(world.stateDir, id);
        expect(person?.createdRun).toBe(runId);
        expect(recordOf(after, "person", person?.destId ?? "")?.is_deleted).toBe(false);
      }
      for (const id of changed) {
        const person = personOf(world.stateDir, id);
        expect(person?.updatedRun).toBe(runId);
        expect(recordOf(after, "person", person?.destId ?? "")?.job_title).toBe("Head of Testing");
      }
      expect(personOf(world.stateDir, edited)?.updatedRun).toBeUndefined();
      expect(recordOf(after, "person", editedPerson?.destId ?? "")?.job_title).toBe(
        "Edited in Pipedrive",
      );
      const ledger = Ledger.open(world.stateDir);
      const queued = ledger.queued(runId);
      ledger.close();
      expect(
        queued.filter((row) => row.reason === "edited-in-destination").map((row) => row.ref),
      ).toEqual([{ kind: "lead", sourceId: edited }]);

      // Only the changed persons changed, and new records were added. Nothing else was touched.
      const diff = world.sandbox.control.compare(beforeDelta);
      const changedIds = changed.map((id) => Number(personOf(world.stateDir, id)?.destId)).sort();
      expect([...diff.persons.changed].sort()).toEqual(changedIds);
      for (const name of ["organizations", "deals", "leads", "notes", "activities"] as const) {
        expect({ name, changed: diff[name].changed }).toEqual({ name, changed: [] });
      }
      const created = mapped.filter((entry) => entry.createdRun === runId);
      expect(created.length).toBe(mapped.length - mappedBefore.length);
      expect(created.filter((entry) => entry.destKind === "person").length).toBe(added.length);
      const addedIds = Object.values(diff).reduce((sum, change) => sum + change.added.length, 0);
      expect(addedIds).toBe(created.length);
      const person = delta.summary.phases.find((phase) => phase.phase === "person")?.counts;
      expect(person?.updated).toBe(changed.length);
      expect(person?.loaded).toBe(added.length);
      expect(first.summary.runId).toBeLessThan(runId);

      const undo = await rollbackRuns("last", world.options);
      expect(undo.finished).toBe(true);
      expect(undo.restored).toBe(changed.length);
      expect(liveChanges(beforeDelta, world.sandbox.control.snapshot())).toEqual([]);
    }, 60_000);
  });
});
