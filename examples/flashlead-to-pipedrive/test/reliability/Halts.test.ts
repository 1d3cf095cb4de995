/**
 * Runs that halt in the middle of a record phase and resume. An HTML 403 block of the API token
 * makes `ferry migrate` exit with code 3, and a second `ferry migrate` after the block is lifted
 * finishes the run. A daily token budget spent mid-phase halts the run until the sandbox's day
 * turns. Both end with exactly the records of a run that never halted.
 */
import { join } from "node:path";

import type { RunHaltedError } from "@ferry/core";
import type { Sandbox } from "@ferry/dest-pipedrive/sandbox";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { baselineState } from "./support/Baseline.js";
import type { CanonicalState } from "./support/CanonicalState.js";
import { ferry } from "./support/Ferry.js";
import { expectFinalState } from "./support/FinalState.js";
import { approve, migrateInto } from "./support/Migrations.js";
import {
  type PreparedPlan,
  preparePlan,
  sandboxEnv,
  startSuiteSandbox,
} from "./support/Scenario.js";
import { afterRequests, requestsTo } from "./support/Watch.js";

let prepared: PreparedPlan;
let expected: CanonicalState;
let sandbox: Sandbox | undefined;

beforeAll(async () => {
  prepared = await preparePlan({ leads: 40, seed: 7 });
  expected = await baselineState(prepared);
}, 60_000);
afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await sandbox?.close();
  sandbox = undefined;
});
afterAll(() => prepared?.remove());

/** Sends requests with a token until the sandbox blocks it. */
const blockToken = async (target: Sandbox): Promise<void> => {
  while (target.control.rateLimits().blockedTokens === 0) {
    await Promise.all(
      Array.from({ length: 150 }, () =>
        fetch(`${target.url}/v1/users/me`, { headers: { "x-api-token": target.adminToken } }).then(
          (response) => response.arrayBuffer(),
          () => undefined,
        ),
      ),
    );
  }
};

describe("halted migration", () => {
  it("exits 3 on a 403 block and resumes", async () => {
    sandbox = await startSuiteSandbox({ blockAfter429s: 20 });
    for (const [name, value] of Object.entries(sandboxEnv(sandbox))) vi.stubEnv(name, value);
    const stateDir = join(prepared.folder, "blocked");
    await approve(prepared.planPath, stateDir);

    // The migration's POSTs are slowed while the block builds up, so the run cannot end first.
    const target = sandbox;
    const blocked = afterRequests(target, "POST", "/persons", 10).then(async () => {
      target.control.setFaults([{ kind: "slow", method: "POST", delayMs: 200 }]);
      await blockToken(target);
      target.control.setFaults([]);
    });
    const first = await ferry(["migrate", prepared.planPath, "--state", stateDir]);
    await blocked;
    const personsBefore = requestsTo(sandbox, "POST", "/persons");

    expect(first.code).toBe(3);
    expect(first.output).toContain("ferry migrate: ");
    expect(first.output).toMatch(/403|blocked/i);
    expect(first.output).toContain("The run can be resumed: run the same command again.");
    expect(personsBefore).toBeGreaterThanOrEqual(10);
    expect(personsBefore).toBeLessThan(55);

    sandbox.control.resetRateLimits();
    const second = await ferry(["migrate", prepared.planPath, "--state", stateDir]);

    // The generated export has no rejected value, so the resumed run exits 0.
    expect(second.code).toBe(0);
    expect(second.output).not.toContain("Also rejected");
    expectFinalState(sandbox, stateDir, expected);
  });

  it("halts on a spent budget and resumes next day", async () => {
    // A 6-second day, so the budget resets within the test.
    sandbox = await startSuiteSandbox({ timeScale: 14_400 });
    const target = sandbox;
    const stateDir = join(prepared.folder, "budget");
    await approve(prepared.planPath, stateDir);

    const spent = afterRequests(target, "POST", "/persons", 10).then(async () => {
      // A day about to turn would reset the spend before the run sees it, so wait for the next.
      const now = target.control.rateLimits();
      if (now.msUntilDayReset < 200) {
        await new Promise((resolve) => setTimeout(resolve, now.msUntilDayReset + 20));
      }
      const limits = target.control.rateLimits();
      target.control.setTokensUsed(limits.dailyBudget - 5);
      return limits.msUntilDayReset;
    });
    const halt = await migrateInto(target, prepared.planPath, stateDir).then(
      () => undefined,
      (error: RunHaltedError) => error,
    );
    const msUntilReset = await spent;

    expect(halt?._tag).toBe("RunHaltedError");
    expect(halt?.reason).toBe("budget");
    expect(requestsTo(target, "POST", "/persons")).toBeLessThan(55);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, msUntilReset) + 100));
    const summary = await migrateInto(target, prepared.planPath, stateDir);

    expect(summary.resumed).toBe(true);
    expectFinalState(target, stateDir, expected);
  });
});
