/**
 * Crashes of the `ferry migrate` process: a child process runs the migration against a sandbox
 * that this test owns, and is killed with SIGKILL at seeded points, then started again, until the
 * migration ends. The sandbox must then hold exactly the records of a run that never crashed.
 * `bench/crash-harness.mjs` runs the same loop with many more kills.
 */
import { join } from "node:path";

import type { Sandbox } from "@ferry/dest-pipedrive/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { baselineState } from "./support/Baseline.js";
import type { CanonicalState } from "./support/CanonicalState.js";
import { expectFinalState } from "./support/FinalState.js";
import {
  type ChildEnd,
  drawKillPoint,
  ensureBuilt,
  runFerryChild,
  seededRandom,
} from "./support/Kills.js";
import { approve } from "./support/Migrations.js";
import { type PreparedPlan, preparePlan, startSuiteSandbox } from "./support/Scenario.js";

const SEED = 20_261_204;
const KILLS = 30;

let prepared: PreparedPlan;
let expected: CanonicalState;
let sandbox: Sandbox | undefined;

beforeAll(async () => {
  ensureBuilt();
  prepared = await preparePlan({ leads: 40, seed: 7 });
  expected = await baselineState(prepared);
}, 240_000);
afterAll(async () => {
  await sandbox?.close();
  prepared?.remove();
});

describe("ferry migrate", () => {
  it("survives 30 kills with SIGKILL", async () => {
    sandbox = await startSuiteSandbox();
    const stateDir = join(prepared.folder, "crash");
    await approve(prepared.planPath, stateDir);
    const random = seededRandom(SEED);

    // The migration sends about 370 writes. Four kills in five land after 1 to 14 writes and
    // the others within the child's first 9 requests, so 30 kills leave part of it to the last run.
    const ends: Array<ChildEnd> = [];
    for (let kill = 0; kill < KILLS; kill++) {
      const end = await runFerryChild(
        sandbox,
        prepared.planPath,
        stateDir,
        drawKillPoint(random, 1, 14),
      );
      ends.push(end);
      if (end.kind === "exited") break;
    }
    const last = await runFerryChild(sandbox, prepared.planPath, stateDir, undefined);
    const kills = ends.filter((end) => end.kind === "killed").length;

    expect(kills).toBe(KILLS);
    // The generated export has no rejected value and the plan queues no owner, so the last run
    // finishes with nothing to read and exits 0.
    expect(
      last.kind === "exited" ? { code: last.code, output: last.output.slice(-2_000) } : last,
    ).toMatchObject({ code: 0 });
    expect(last.kind === "exited" ? last.output : "").not.toContain("Also rejected");
    expectFinalState(sandbox, stateDir, expected);
  }, 240_000);
});
