/**
 * The `ferry migrate` command rejects an unconfirmed plan and a plan that changed after its
 * confirmation with a failing exit code and a message that says why. It writes nothing to the
 * sandbox. A plan file that claims a confirmation the ledger does not contain gets exit code 2.
 *
 * NOTE: the first two cases exit with 1, not 2, because `ReferencePipeline` runs the plan check
 * with `Effect.runPromise`, whose FiberFailure hides the error's tag from `exitCodeOf`.
 */
import { readFileSync, writeFileSync } from "node:fs";

import { loadPlan, planHash, writePlan } from "@ferry/mapping";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { mapOwnersToAdmin, openWorld, runCli, secretToken, type World } from "./Harness.js";

describe("ferry migrate", () => {
  let world: World;
  let state: ["--state", string];
  beforeAll(async () => {
    world = await openWorld({ leads: 12, seed: 3 });
    state = ["--state", world.stateDir];
    const proposed = await runCli(world, [
      "propose",
      world.exportDir,
      "--plan",
      world.planPath,
      ...state,
    ]);
    expect(proposed.code).toBe(0);
    await writePlan(world.planPath, mapOwnersToAdmin(await loadPlan(world.planPath)));
  });
  afterAll(() => world.close());

  const nothingWritten = () => {
    const diff = world.sandbox.control.compare(before);
    for (const [collection, change] of Object.entries(diff)) {
      expect({ collection, ...change }).toEqual({
        collection,
        added: [],
        removed: [],
        changed: [],
      });
    }
  };
  let before: ReturnType<World["sandbox"]["control"]["snapshot"]>;

  it("rejects an unconfirmed plan", async () => {
    before = world.sandbox.control.snapshot();
    const result = await runCli(world, ["migrate", world.planPath, ...state]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("is not confirmed");
    expect(result.stderr + result.stdout).not.toContain(secretToken);
    nothingWritten();
  });

  it("rejects a plan edited after confirmation", async () => {
    const confirmed = await runCli(world, [
      "confirm",
      world.planPath,
      "--yes",
      "--by",
      "Ana",
      ...state,
    ]);
    expect(confirmed.code).toBe(0);
    const text = readFileSync(world.planPath, "utf8");
    expect(text).toContain("duplicates: true");
    writeFileSync(world.planPath, text.replace("duplicates: true", "duplicates: false"));

    const result = await runCli(world, ["migrate", world.planPath, ...state]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("changed after Ana confirmed it");
    nothingWritten();
  });

  it("rejects a confirmation the ledger lacks", async () => {
    const plan = await loadPlan(world.planPath);
    const hash = planHash(plan);
    await writePlan(world.planPath, {
      ...plan,
      approval: { hash, by: "Ana", at: new Date().toISOString() },
    });

    const result = await runCli(world, ["migrate", world.planPath, ...state]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("The plan changed after it was confirmed");
    expect(result.stderr).toContain(hash);
    nothingWritten();
  });
});
