/**
 * A migration whose state folder is lost, into a sandbox over HTTP. A new state folder does not
 * know the confirmation or the records of the first one, so `migrate` stops with code 2 twice,
 * each time saying why and what to do, and writes nothing. Confirming the plan again keeps the
 * approval that earlier runs ran under in their reports.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { migrate } from "../../src/ReferencePipeline.js";
import { confirmedPlan, liveChanges, openWorld, runCli, type World } from "./Harness.js";

describe("ReferencePipeline", () => {
  let world: World;
  beforeAll(async () => {
    world = await openWorld({ leads: 20, seed: 23 });
  });
  afterAll(() => world.close());

  describe("migrate with another state folder", () => {
    it("stops before writing a second copy", async () => {
      await confirmedPlan(world);
      await migrate(world.planPath, world.options);
      const migrated = world.sandbox.control.snapshot();
      const lost = ["--state", join(world.root, "new-state")];

      const unconfirmed = await runCli(world, ["migrate", world.planPath, ...lost]);
      expect(unconfirmed.code).toBe(2);
      expect(unconfirmed.stderr).toContain("was confirmed by e2e tester at");
      expect(unconfirmed.stderr).toContain("contains no confirmation at all");
      expect(unconfirmed.stderr).toContain(`ferry confirm ${world.planPath} --state`);

      const confirmed = await runCli(world, ["confirm", world.planPath, "--yes", ...lost]);
      expect(confirmed.code).toBe(0);
      const copy = await runCli(world, ["migrate", world.planPath, ...lost]);
      expect(copy.code).toBe(2);
      expect(copy.stderr).toContain("already holds records of a Ferry migration");
      expect(copy.stderr).toContain(`"Ferry source id" on organization, person`);
      expect(copy.stderr).toContain("--second-copy");
      expect(liveChanges(migrated, world.sandbox.control.snapshot())).toEqual([]);
    }, 120_000);

    it("keeps each run's approval after a new confirmation", async () => {
      const state = ["--state", world.stateDir];
      const again = await runCli(world, [
        "confirm",
        world.planPath,
        "--yes",
        "--by",
        "bob",
        ...state,
      ]);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain("This plan was already confirmed by e2e tester at");

      const report = await runCli(world, ["report", "--run", "1", "--format", "md", ...state]);
      const markdown = readFileSync(report.stdout.trim(), "utf8");
      expect(markdown).toContain("approved by e2e tester at");
      expect(markdown).not.toContain("approved by bob");
    }, 60_000);
  });
});
