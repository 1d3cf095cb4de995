/**
 * A rollback that faults interrupt: a whole migration into a sandbox that already contains records
 * of its own is rolled back while DELETEs fail with 503s, hang past the client's timeout or lose
 * their answer after the delete. Starting the rollback again until it reports completion must
 * leave the sandbox as it was before the migration: the same records, custom fields, pipelines
 * and stages, and the same active users.
 */
import { join } from "node:path";

import type { RollbackSummary } from "@ferry/core";
import type { Sandbox, SerializedState } from "@ferry/dest-pipedrive/sandbox";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { canonicalState, recordCollections } from "./support/CanonicalState.js";
import { approve, migrateInto, rollbackIn } from "./support/Migrations.js";
import { type PreparedPlan, preparePlan, startSuiteSandbox } from "./support/Scenario.js";
import { afterRequests } from "./support/Watch.js";

let prepared: PreparedPlan;
let sandbox: Sandbox | undefined;

beforeAll(async () => {
  prepared = await preparePlan({ leads: 40, seed: 7 });
}, 60_000);
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});
afterAll(() => prepared?.remove());

/** The live records of every record collection, as stored, by collection. */
const liveRecords = (state: SerializedState): Record<string, Array<unknown>> =>
  Object.fromEntries(
    recordCollections.map((name) => [
      name,
      (state.collections[name] as Array<Record<string, unknown>>).filter(
        (row) => row.is_deleted !== true && row.active_flag !== false,
      ),
    ]),
  );

describe("rollback under faults", () => {
  it("restores the sandbox after interruptions", async () => {
    sandbox = await startSuiteSandbox({ faultSeed: 5 });
    await sandbox.control.seed({
      organizations: [{ name: "Kept Before Ferry BV" }],
      persons: [{ name: "Kept Before Ferry", emails: [{ value: "kept@example.test" }] }],
    });
    const before = sandbox.control.snapshot();
    const stateDir = join(prepared.folder, "rollback");
    await approve(prepared.planPath, stateDir);
    await migrateInto(sandbox, prepared.planPath, stateDir);
    expect(canonicalState(sandbox.control.snapshot()).records.size).toBeGreaterThan(200);

    sandbox.control.setFaults([
      { kind: "drop-after-commit", method: "DELETE", share: 0.15 },
      { kind: "status", status: 503, method: "DELETE", share: 0.2 },
      { kind: "hang", method: "DELETE", share: 0.05, delayMs: 2_000 },
    ]);
    // After 10 person deletes, 503s in a row outlast the client's retries and stop the first pass.
    const target = sandbox;
    const outage = afterRequests(target, "DELETE", "/persons/{id}", 10).then(() =>
      target.control.setFaults([
        ...target.control.faults(),
        { kind: "status", status: 503, method: "DELETE", count: 40 },
      ]),
    );

    const passes: Array<RollbackSummary | { readonly failed: string }> = [];
    for (let pass = 0; pass < 12; pass++) {
      const outcome = await rollbackIn(sandbox, stateDir, "all", {
        timeoutMs: 300,
        removeSchema: true,
      }).catch((error: unknown) => ({ failed: String((error as { _tag?: string })._tag) }));
      passes.push(outcome);
      if ("finished" in outcome && outcome.finished) break;
    }
    await outage;
    sandbox.control.setFaults([]);
    const after = sandbox.control.snapshot();

    expect(passes.length).toBeGreaterThan(1);
    expect(passes.at(-1)).toMatchObject({ finished: true });
    expect(passes[0]).not.toMatchObject({ finished: true });
    expect(liveRecords(after)).toEqual(liveRecords(before));
    expect(canonicalState(after).customFields).toEqual(canonicalState(before).customFields);
    expect(canonicalState(after).stages).toEqual(canonicalState(before).stages);
    // Pipedrive cannot delete users, so the users the migration added are deactivated.
    const activeUsers = (state: SerializedState) =>
      canonicalState(state).users.filter((user) => user.endsWith(" true"));
    expect(activeUsers(after)).toEqual(activeUsers(before));
  });
});
