/**
 * The reference pipeline from a Flash Lead Sales export to Pipedrive, as plain async functions:
 * discover, propose, confirm, migrate (full, sample or delta), verify, roll back and report.
 * The command line prints what they return; other programs can call them directly.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

import {
  type Inventory,
  type ProgressEvent,
  type ReportFiles,
  type RollbackScope,
  type RollbackSummary,
  type RunSummary,
  recordApproval,
  report,
  rollback,
  runMigration,
  type Source,
  type VerificationResult,
  verify,
} from "@ferry/core";
import type { PlanWarning } from "@ferry/mapping";
import {
  buildPipeline,
  confirmPlan,
  loadPlan,
  type MappingPlan,
  planHash,
  proposePlan,
  verifyConfirmed,
  writePlan,
} from "@ferry/mapping";
import {
  makeFlashLeadSource,
  renderDiscoveryJson,
  renderDiscoveryMarkdown,
} from "@ferry/source-flashlead";
import { Cause, Effect, Exit, Option } from "effect";

import {
  countAttachmentFiles,
  countExportRows,
  type EstimateOptions,
  estimateTokens,
  type TokenEstimate,
} from "./Estimate.js";
import { type StateFolder, stateFolder } from "./StateFolder.js";
import { buildDestination, destinationFor, openTarget, type Target } from "./Target.js";

/** Options every operation takes. */
export interface CommonOptions {
  /** State folder of the ledger, the embedded sandbox and the reports. @default ".ferry" */
  readonly stateDir?: string;
  /** Environment that names the Pipedrive account. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  readonly onProgress?: (event: ProgressEvent) => void;
}

/** Result of `discover`: the inventory, the estimate and the report paths. */
export interface DiscoveryResult {
  readonly inventory: Inventory;
  readonly estimate: TokenEstimate;
  readonly markdownPath: string;
  readonly jsonPath: string;
}

/** Runs an Effect, rejecting with its tagged error itself rather than a fiber failure. */
const run = async <A, E>(effect: Effect.Effect<A, E>): Promise<A> => {
  const exit = await Effect.runPromiseExit(effect);
  if (Exit.isSuccess(exit)) return exit.value;
  throw Cause.squash(exit.cause);
};

const withTarget = async <A>(
  options: CommonOptions,
  body: (target: Target, folder: StateFolder) => Promise<A>,
): Promise<A> => {
  const folder = stateFolder(options.stateDir);
  const target = await openTarget(folder, options.env);
  try {
    return await body(target, folder);
  } finally {
    await target.close();
  }
};

// The runner reads only the kinds the pipeline names, which are Flash Lead kinds, so the
// source's narrower kind parameter is safe to widen.
const sourceFor = (plan: MappingPlan, folder: string): Source => {
  const activity = plan.files.find((file) => file.object === "activity");
  const source = makeFlashLeadSource({
    folder,
    dateOrder: Object.fromEntries(
      plan.files.flatMap((file) => [
        [`${file.object}.timestamp`, file.dateOrder],
        [`${file.object}.created_at`, file.dateOrder],
      ]),
    ),
    ...(activity === undefined ? {} : { timeZone: activity.timeZone }),
  });
  return source as unknown as Source;
};

/** Options of `discover`. */
export interface DiscoverOptions extends CommonOptions {
  /** Daily token budget that the estimate counts days at. */
  readonly dailyBudget: number;
  /** A mapping plan file for the estimate to follow instead of the default proposer's plan. */
  readonly planPath?: string;
}

/** Reads an export folder, audits it, estimates its tokens and writes the discovery report. */
export const discover = async (
  exportDir: string,
  options: DiscoverOptions,
): Promise<DiscoveryResult> => {
  const folder = stateFolder(options.stateDir);
  const plan = options.planPath === undefined ? undefined : await loadPlan(options.planPath);
  // When the rows cannot be read the estimate works from the inventory alone, and discovery
  // reports what is wrong with the files.
  const counts = await Effect.runPromise(
    countExportRows(makeFlashLeadSource({ folder: exportDir })).pipe(Effect.option),
  );
  const estimateOptions: EstimateOptions = {
    ...(plan === undefined ? {} : { plan }),
    attachmentFiles: countAttachmentFiles(exportDir),
    ...(Option.isSome(counts) ? { counts: counts.value } : {}),
  };
  const source = makeFlashLeadSource({
    folder: exportDir,
    estimateTokens: (inventory) => {
      const estimate = estimateTokens(inventory, options.dailyBudget, estimateOptions);
      return { tokens: estimate.tokens, dailyBudget: estimate.dailyBudget };
    },
  });
  const inventory = await run(source.discover());
  const estimate = estimateTokens(inventory, options.dailyBudget, estimateOptions);

  mkdirSync(folder.discoveryReports, { recursive: true });
  const markdownPath = join(folder.discoveryReports, "discovery.md");
  const jsonPath = join(folder.discoveryReports, "discovery.json");
  writeFileSync(markdownPath, renderDiscoveryMarkdown(inventory));
  writeFileSync(jsonPath, renderDiscoveryJson(inventory));
  return { inventory, estimate, markdownPath, jsonPath };
};

/** Result of `propose`: the drafted plan, its warnings and its path. */
export interface ProposeResult {
  readonly plan: MappingPlan;
  readonly warnings: ReadonlyArray<PlanWarning>;
  readonly planPath: string;
  /** Field, stage and owner mappings marked for review. */
  readonly toReview: number;
}

/** Drafts a mapping plan from the export and the account's schema, and writes it. */
export const propose = (
  exportDir: string,
  planPath: string,
  options: CommonOptions,
): Promise<ProposeResult> =>
  withTarget(options, async (target) => {
    const source = makeFlashLeadSource({ folder: resolve(exportDir) });
    const inventory = await run(source.discover());
    const schema = await run(buildDestination(target.config).describe());
    const { plan, warnings } = await proposePlan({ inventory, destination: schema });
    await writePlan(planPath, plan);

    const toReview = [...plan.fields, ...plan.stages].filter((item) => item.review === true);
    return { plan, warnings, planPath, toReview: toReview.length };
  });

/** Confirms a plan: records the approval in the plan file and in the ledger. */
export const confirm = async (
  planPath: string,
  by: string,
  options: CommonOptions,
): Promise<MappingPlan> => {
  const folder = stateFolder(options.stateDir);
  const confirmed = await confirmPlan(planPath, by);
  await recordApproval({
    stateDir: folder.root,
    planHash: planHash(confirmed),
    approvedBy: by,
    approvedAt: confirmed.approval?.at ?? new Date().toISOString(),
  });
  return confirmed;
};

/** Options of `migrate`. */
export interface MigrateOptions extends CommonOptions {
  /** Moves a stratified sample of about this many records. */
  readonly sample?: number;
  readonly dryRun?: boolean;
  /** Export folder to read instead of the plan's, for a delta on a newer export. */
  readonly exportDir?: string;
}

/** Result of `migrate`: the run summary, the report files and the target. */
export interface MigrateResult {
  readonly summary: RunSummary;
  readonly reports: ReportFiles;
  readonly target: Target["kind"];
  /** Base URL of the API host the run wrote to. */
  readonly url: string;
}

/** Runs (or resumes) a migration under a confirmed plan and writes its reports. */
export const migrate = async (
  planPath: string,
  options: MigrateOptions,
): Promise<MigrateResult> => {
  const plan = await loadPlan(planPath);
  await run(verifyConfirmed(plan));

  return withTarget(options, async (target, folder) => {
    const exportDir = resolve(options.exportDir ?? plan.location);
    // The run's destination starts from this read, so a migration reads the schema once.
    const reader = buildDestination(target.config);
    const schema = await run(reader.describe());
    const pipeline = buildPipeline(plan, schema, { exportFolder: exportDir });
    const seed = { schema, tokensSpent: reader.stats().tokensSpent };

    const summary = await runMigration({
      source: sourceFor(plan, exportDir),
      destination: destinationFor(target, seed),
      pipeline,
      stateDir: folder.root,
      ...(options.sample === undefined ? {} : { sample: options.sample }),
      ...(options.dryRun === undefined ? {} : { dryRun: options.dryRun }),
      dailyTokenBudget: target.config.dailyBudget,
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    });
    const reports = await report({
      stateDir: folder.root,
      runId: summary.runId,
      folder: folder.runReports(summary.runId),
    });
    return { summary, reports, target: target.kind, url: target.url };
  });
};

/** Reads back what a run wrote and compares every mapped field. */
export const verifyRun = (
  options: CommonOptions & { readonly runId?: number },
): Promise<VerificationResult> =>
  withTarget(options, (target, folder) =>
    verify({
      stateDir: folder.root,
      destination: destinationFor(target),
      ...(options.runId === undefined ? {} : { runId: options.runId }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    }),
  );

/** Rolls back a run, the sample, the newest run or everything. */
export const rollbackRuns = (
  scope: RollbackScope,
  options: CommonOptions & { readonly removeSchema?: boolean },
): Promise<RollbackSummary> =>
  withTarget(options, (target, folder) =>
    rollback({
      stateDir: folder.root,
      destination: destinationFor(target),
      scope,
      ...(options.removeSchema === undefined ? {} : { removeSchema: options.removeSchema }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    }),
  );

/** Writes the reports of a run (the newest when no id is given). */
export const writeReports = (
  options: CommonOptions & { readonly runId?: number },
): Promise<ReportFiles> => {
  const folder = stateFolder(options.stateDir);
  return report({
    stateDir: folder.root,
    ...(options.runId === undefined ? {} : { runId: options.runId }),
  });
};
