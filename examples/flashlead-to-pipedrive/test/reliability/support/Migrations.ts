/**
 * The reference pipeline's migrate and rollback steps with the client settings a fault test
 * needs: a short request timeout and short retry waits. The source, the pipeline and the
 * destination are built as `ReferencePipeline.migrate` builds them, against a sandbox named by
 * `PIPEDRIVE_BASE_URL`.
 */
import { resolve } from "node:path";

import {
  type ProgressEvent,
  type RollbackScope,
  type RollbackSummary,
  type RunSummary,
  recordApproval,
  rollback,
  runMigration,
} from "@ferry/core";
import { PipedriveConfig } from "@ferry/dest-pipedrive";
import type { Sandbox } from "@ferry/dest-pipedrive/sandbox";
import { buildPipeline, loadPlan, planHash } from "@ferry/mapping";
import { Effect } from "effect";

import { sourceFor } from "../../../src/ReferencePipeline.js";
import { stateFolder } from "../../../src/StateFolder.js";
import { buildDestination, destinationFor, openTarget, type Target } from "../../../src/Target.js";
import { sandboxEnv } from "./Scenario.js";

/** Client and runner settings of one attempt. */
export interface ClientSettings {
  /** Milliseconds before one request times out. @default 30000 */
  readonly timeoutMs?: number;
  /** Attempts of the runner per failed call. @default 8 */
  readonly maxAttempts?: number;
  /** API token to send instead of the sandbox admin's. */
  readonly token?: string;
  readonly onProgress?: (event: ProgressEvent) => void;
}

const targetFor = async (
  sandbox: Sandbox,
  stateDir: string,
  settings: ClientSettings,
): Promise<Target> => {
  const target = await openTarget(stateFolder(stateDir), sandboxEnv(sandbox, settings.token));
  const config = new PipedriveConfig({
    ...target.config,
    ...(settings.timeoutMs === undefined ? {} : { timeoutMs: settings.timeoutMs }),
  });
  return { ...target, config };
};

/** Records the plan's approval in a state folder, as `ferry confirm` does. */
export const approve = async (planPath: string, stateDir: string): Promise<void> => {
  const plan = await loadPlan(planPath);
  await recordApproval({
    stateDir,
    planHash: planHash(plan),
    approvedBy: "reliability suite",
    approvedAt: "2026-01-05T10:00:00.000Z",
  });
};

/** Runs or resumes the migration of a plan into a sandbox. */
export const migrateInto = async (
  sandbox: Sandbox,
  planPath: string,
  stateDir: string,
  settings: ClientSettings = {},
): Promise<RunSummary> => {
  const plan = await loadPlan(planPath);
  const target = await targetFor(sandbox, stateDir, settings);
  const exportDir = resolve(plan.location);
  const schema = await Effect.runPromise(buildDestination(target.config).describe());
  return runMigration({
    source: sourceFor(plan, exportDir),
    destination: destinationFor(target),
    pipeline: buildPipeline(plan, schema, { exportFolder: exportDir }),
    stateDir,
    dailyTokenBudget: target.config.dailyBudget,
    maxAttempts: settings.maxAttempts ?? 8,
    retryDelayMs: 20,
    ...(settings.onProgress === undefined ? {} : { onProgress: settings.onProgress }),
  });
};

/** Rolls back runs of a state folder in a sandbox. */
export const rollbackIn = async (
  sandbox: Sandbox,
  stateDir: string,
  scope: RollbackScope,
  settings: ClientSettings & { readonly removeSchema?: boolean } = {},
): Promise<RollbackSummary> => {
  const target = await targetFor(sandbox, stateDir, settings);
  return rollback({
    stateDir,
    destination: destinationFor(target),
    scope,
    ...(settings.removeSchema === undefined ? {} : { removeSchema: settings.removeSchema }),
  });
};
