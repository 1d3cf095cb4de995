/**
 * The expected state of the suite's migration: the plan migrated without faults into a fresh
 * sandbox, reduced to canonical records.
 */
import { join } from "node:path";

import { type CanonicalState, canonicalState } from "./CanonicalState.js";
import { approve, migrateInto } from "./Migrations.js";
import { type PreparedPlan, startSuiteSandbox } from "./Scenario.js";

/** Migrates the plan into a fresh sandbox without faults and returns its canonical state. */
export const baselineState = async (prepared: PreparedPlan): Promise<CanonicalState> => {
  const sandbox = await startSuiteSandbox();
  try {
    const stateDir = join(prepared.folder, `baseline-${Date.now()}`);
    await approve(prepared.planPath, stateDir);
    await migrateInto(sandbox, prepared.planPath, stateDir);
    return canonicalState(sandbox.control.snapshot());
  } finally {
    await sandbox.close();
  }
};
