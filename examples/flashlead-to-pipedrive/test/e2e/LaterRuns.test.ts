/**
 * Runs that build on earlier runs, into a sandbox over HTTP. A rollback of the sample after the
 * full run is rejected, because the full run reused the sampled records and links to them. A
 * delta creates a record deleted in Pipedrive again and points the records that linked to it at
 * the new one. Rolling back with the later runs leaves the account as it was.
 */
import { readFileSync } from "node:fs";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { migrate } from "../../src/ReferencePipeline.js";
import {
  confirmedPlan,
  idMap,
  liveChanges,
  liveIds,
  openWorld,
  recordOf,
  runCli,
  secretToken,
  type World,
} from "./Harness.js";

const entryOf = (stateDir: string, kind: string, sourceId: string) =>
  idMap(stateDir).find((entry) => entry.destKind === kind && entry.ref.sourceId === sourceId);

describe("ReferencePipeline", () => {
  let world: World;
  beforeAll(async () => {
    world = await openWorld({ leads: 30, seed: 17 });
  });
  afterAll(() => world.close());

  describe("rollback and delta after a full run", () => {
    it("orders rollbacks and recreates deleted records", async () => {
      const before = world.sandbox.control.snapshot();
      await confirmedPlan(world);
      await migrate(world.planPath, { ...world.options, sample: 10 });
      await migrate(world.planPath, world.options);
      const state = ["--state", world.stateDir];
      const afterFull = world.sandbox.control.snapshot();

      const refused = await runCli(world, ["rollback", "--sample", ...state]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(
        "cannot roll back run 1 while later runs depend on its records: run 2 left",
      );
      expect(refused.stderr).toContain(`ferry rollback --run 2 --state ${world.stateDir}`);
      expect(refused.stderr).toContain("--with-later-runs");
      expect(liveChanges(afterFull, world.sandbox.control.snapshot())).toEqual([]);

      // A person deletes an organization that persons link to, in Pipedrive.
      const person = idMap(world.stateDir).find(
        (entry) => entry.destKind === "person" && entry.written.links.org_id !== undefined,
      );
      const orgId = person?.written.links.org_id ?? "";
      const org = idMap(world.stateDir).find(
        (entry) => entry.destKind === "organization" && entry.destId === orgId,
      );
      const deleted = await fetch(`${world.sandbox.url}/api/v2/organizations/${orgId}`, {
        method: "DELETE",
        headers: { "x-api-token": secretToken },
      });
      expect(deleted.status).toBe(200);

      const delta = await runCli(world, ["delta", world.planPath, world.exportDir, ...state]);
      expect(delta.stderr).not.toContain("ferry delta:");
      const again = entryOf(world.stateDir, "organization", org?.ref.sourceId ?? "");
      expect(again?.destId).toBeDefined();
      expect(again?.destId).not.toBe(orgId);
      const snapshot = world.sandbox.control.snapshot();
      expect(liveIds(snapshot, "organization")).toContain(again?.destId);
      const relinked = recordOf(snapshot, "person", person?.destId ?? "");
      expect(String(relinked?.org_id)).toBe(again?.destId);

      const verified = await runCli(world, ["verify", ...state]);
      expect(verified.stdout).not.toMatch(/[1-9]\d* difference/);
      expect(verified.code).toBe(0);

      // The delta's updates only pointed links at the organization it created again, and the
      // organization they pointed to before is gone, so its rollback writes no link back.
      const undoDelta = await runCli(world, ["rollback", ...state]);
      expect(undoDelta.code).toBe(0);
      expect(undoDelta.stdout).toContain("of run 3:");
      expect(liveIds(world.sandbox.control.snapshot(), "organization")).not.toContain(
        again?.destId,
      );

      const undone = await runCli(world, ["rollback", "--sample", "--with-later-runs", ...state]);
      expect(undone.code).toBe(0);
      expect(undone.stdout).toContain("of runs 1, 2:");
      expect(liveChanges(before, world.sandbox.control.snapshot())).toEqual([]);

      const report = await runCli(world, ["report", "--run", "2", "--format", "md", ...state]);
      expect(report.code).toBe(0);
      const markdown = readFileSync(report.stdout.trim(), "utf8");
      expect(markdown).toMatch(/- Status: rolled back by rollback 2 at \d{4}-/);
    }, 120_000);
  });
});
