/**
 * The reference pipeline from a Flash Lead Sales export to Pipedrive, as plain async functions:
 * discover, propose, confirm, migrate (full, sample or delta), verify, roll back and report.
 * The command line prints what they return; other programs can call them directly.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

import {
  type DayTokens,
  describeDependency,
  type Finding,
  type Inventory,
  LaterRunDependency,
  LEDGER_FILE,
  Ledger,
  type PlanApproval,
  PlanNotApprovedError,
  PriorMigrationError,
  type ProgressEvent,
  type ReportFiles,
  RollbackOrderError,
  type RollbackScope,
  type RollbackSummary,
  type RunSummary,
  type RunTokens,
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
import { Cause, Effect, Exit, Option, Schema } from "effect";

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

/** Code of the error finding for an export folder with no CSV file of a known object. */
export const noKnownObjectCode = "no-known-object";

/**
 * Adds an error finding to an inventory that found no CSV file of a known Flash Lead object,
 * because such a folder is almost always the wrong one, and a plan drafted from it moves nothing.
 */
export const withFolderCheck = (inventory: Inventory, exportDir: string): Inventory => {
  if (inventory.objects.some((object) => object.files.length > 0)) return inventory;
  const finding: Finding = {
    code: noKnownObjectCode,
    severity: "error",
    message: `no CSV file of a known Flash Lead object in ${exportDir}: pass the folder that contains the export's CSV files (such as leads.csv, contacts.csv and activity_log.csv)`,
  };
  return { ...inventory, findings: [finding, ...inventory.findings] };
};

/** Returns the findings of an inventory that have the severity `error`. */
export const errorFindings = (inventory: Inventory): ReadonlyArray<Finding> =>
  inventory.findings.filter((finding) => finding.severity === "error");

/** A confirmed plan that names no CSV file, so a migration under it would move nothing. */
export class EmptyPlanError extends Schema.TaggedError<EmptyPlanError>()("EmptyPlanError", {
  planPath: Schema.String,
  location: Schema.String,
}) {
  override get message(): string {
    return `the plan ${this.planPath} names no CSV file of ${this.location}, so there is nothing to migrate: run ferry discover on the export folder, fix its error findings, then run ferry propose again`;
  }
}

/** A state folder without a ledger, so no migration ran with it. */
export class NoLedgerError extends Schema.TaggedError<NoLedgerError>()("NoLedgerError", {
  stateDir: Schema.String,
}) {
  override get message(): string {
    return `no ledger in the state folder ${this.stateDir}, so no migration ran there: pass --state with the folder that ferry migrate used, or run ferry migrate first`;
  }
}

/**
 * The plan file carries a valid confirmation, but the ledger of the state folder contains no
 * confirmation at all, because the folder is new or not the one the plan was confirmed with.
 */
export class ApprovalNotInLedgerError extends Schema.TaggedError<ApprovalNotInLedgerError>()(
  "ApprovalNotInLedgerError",
  {
    planPath: Schema.String,
    stateDir: Schema.String,
    approvedBy: Schema.String,
    approvedAt: Schema.String,
  },
) {
  override get message(): string {
    return `${this.planPath} was confirmed by ${this.approvedBy} at ${this.approvedAt}, but the ledger of the state folder ${this.stateDir} contains no confirmation at all: it is a new state folder, or not the one the plan was confirmed with. If a migration already ran under this plan, pass --state with the state folder of that migration, because a new state folder does not know the records it wrote. Otherwise record the confirmation in this state folder: ferry confirm ${this.planPath} --state ${this.stateDir}`;
  }
}

/**
 * The account already contains Ferry's records, and the ledger of the state folder has no record
 * of writing them, so the migration would create every record a second time.
 */
export class SecondCopyError extends Schema.TaggedError<SecondCopyError>()("SecondCopyError", {
  stateDir: Schema.String,
  markers: Schema.Array(Schema.String),
}) {
  override get message(): string {
    return `the Pipedrive account already holds records of a Ferry migration: it has the marker fields ${describeMarkers(this.markers)}, but the ledger of the state folder ${this.stateDir} has no record of that migration, so this one would create every record a second time. Run the command again with --state and the state folder of that migration. If that migration was rolled back, or you really want a second copy of every record, run the same command with --second-copy`;
  }
}

/**
 * Describes schema keys of marker fields for a person, such as `"Ferry source id" on
 * organization, person` for `field:organization/Ferry source id` and `field:person/...`.
 */
const describeMarkers = (keys: ReadonlyArray<string>): string => {
  const kindsByName = new Map<string, Array<string>>();
  for (const key of keys) {
    const [, kind = "", name = key] = /^field:([^/]+)\/(.*)$/.exec(key) ?? [];
    kindsByName.set(name, [...(kindsByName.get(name) ?? []), kind]);
  }
  return [...kindsByName]
    .map(([name, kinds]) => `"${name}" on ${kinds.filter((kind) => kind !== "").join(", ")}`)
    .join("; ");
};

/** A rollback that later runs, not rolled back, depend on: they are rolled back first. */
export class LaterRunsError extends Schema.TaggedError<LaterRunsError>()("LaterRunsError", {
  stateDir: Schema.String,
  runIds: Schema.Array(Schema.Int),
  /** The later runs that depend on the rollback's runs, newest first. */
  dependents: Schema.Array(LaterRunDependency),
}) {
  override get message(): string {
    const runs = `run${this.runIds.length === 1 ? "" : "s"} ${this.runIds.join(", ")}`;
    const reasons = this.dependents.map((d) => `run ${d.runId} ${describeDependency(d)}`);
    const commands = this.dependents
      .map((d) => `ferry rollback --run ${d.runId} --state ${this.stateDir}`)
      .join(", then ");
    return `cannot roll back ${runs} while later runs depend on ${this.runIds.length === 1 ? "its" : "their"} records: ${reasons.join("; ")}. Rollback goes newest first, so roll back the later runs first: ${commands}. Or add --with-later-runs to roll them back in the same rollback`;
  }
}

/** Returns the state folder, or throws `NoLedgerError` when it has no ledger yet. */
const existingStateFolder = (stateDir: string | undefined): StateFolder => {
  const folder = stateFolder(stateDir);
  if (!existsSync(join(folder.root, LEDGER_FILE))) {
    throw new NoLedgerError({ stateDir: folder.root });
  }
  return folder;
};

/** Result of `discover`: the inventory, the estimate and the report paths. */
export interface DiscoveryResult {
  readonly inventory: Inventory;
  readonly estimate: TokenEstimate;
  readonly markdownPath: string;
  readonly jsonPath: string;
  /** Export folder of the `planPath` plan, when it is another folder than the one discovered. */
  readonly planFromOtherFolder?: string;
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

/**
 * Builds the Flash Lead source with the plan's date orders and time zone. The runner reads only
 * the kinds the pipeline names, which are Flash Lead kinds, so the narrower kind type is widened.
 */
export const sourceFor = (plan: MappingPlan, folder: string): Source => {
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
  const inventory = withFolderCheck(await run(source.discover()), exportDir);
  const estimate = estimateTokens(inventory, options.dailyBudget, estimateOptions);

  mkdirSync(folder.discoveryReports, { recursive: true });
  const markdownPath = join(folder.discoveryReports, "discovery.md");
  const jsonPath = join(folder.discoveryReports, "discovery.json");
  writeFileSync(markdownPath, renderDiscoveryMarkdown(inventory));
  writeFileSync(jsonPath, renderDiscoveryJson(inventory));
  const other = plan !== undefined && resolve(plan.location) !== resolve(exportDir);
  return {
    inventory,
    estimate,
    markdownPath,
    jsonPath,
    ...(other ? { planFromOtherFolder: plan.location } : {}),
  };
};

/** Result of `propose`: the drafted plan, its warnings and its path. */
export interface ProposeResult {
  readonly plan: MappingPlan;
  readonly warnings: ReadonlyArray<PlanWarning>;
  /** Error findings of the export the plan was drafted from; a person fixes them first. */
  readonly errors: ReadonlyArray<Finding>;
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
    const inventory = withFolderCheck(await run(source.discover()), exportDir);
    const schema = await run(buildDestination(target.config).describe());
    const { plan, warnings } = await proposePlan({ inventory, destination: schema });
    await writePlan(planPath, plan);

    const toReview = [...plan.fields, ...plan.stages].filter((item) => item.review === true);
    return {
      plan,
      warnings,
      errors: errorFindings(inventory),
      planPath,
      toReview: toReview.length,
    };
  });

/**
 * Returns the confirmation of a plan's content that the state folder's ledger contains, if any,
 * so that a second confirmation can print which one it replaces for later runs.
 */
export const approvalInLedger = (
  plan: MappingPlan,
  options: CommonOptions,
): PlanApproval | undefined => {
  const folder = stateFolder(options.stateDir);
  if (!existsSync(join(folder.root, LEDGER_FILE))) return undefined;
  const ledger = Ledger.open(folder.root);
  try {
    return ledger.approval(planHash(plan));
  } finally {
    ledger.close();
  }
};

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
  /**
   * Migrates even when the account already contains records of a Ferry migration that this state
   * folder has no record of, which creates a second copy of every record.
   */
  readonly secondCopy?: boolean;
}

/** Rejections of one code at the source or transform step, such as a phone that is invalid. */
export interface StepRejections {
  readonly stage: "source" | "transform";
  readonly code: string;
  readonly count: number;
}

/** Result of `migrate`: the run summary, the report files and the target. */
export interface MigrateResult {
  readonly summary: RunSummary;
  /**
   * Rejections of the run at the source and transform steps, most frequent first. The phase
   * counts of the summary do not include them: a row rejected while it is read never reaches a
   * phase, and a record that lost one invalid value is still loaded.
   */
  readonly stepRejections: ReadonlyArray<StepRejections>;
  readonly reports: ReportFiles;
  readonly target: Target["kind"];
  /** Base URL of the API host the run wrote to. */
  readonly url: string;
  /**
   * The ledger's token total of each day the run spent tokens on, over every run, verification
   * and rollback of the state folder, oldest first. The daily budget is checked against it.
   */
  readonly ledgerTokensByDay: ReadonlyArray<DayTokens>;
  /** Daily token budget of the account, in tokens. */
  readonly dailyBudget: number;
}

/** Runs (or resumes) a migration under a confirmed plan and writes its reports. */
export const migrate = async (
  planPath: string,
  options: MigrateOptions,
): Promise<MigrateResult> => {
  const plan = await loadPlan(planPath);
  await run(verifyConfirmed(plan));
  if (plan.files.length === 0) {
    throw new EmptyPlanError({ planPath, location: plan.location });
  }

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
      ...(options.secondCopy === undefined ? {} : { secondCopy: options.secondCopy }),
      dailyTokenBudget: target.config.dailyBudget,
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    }).catch((error: unknown) => {
      throw stateFolderError(error, planPath, plan, folder.root);
    });
    const reports = await report({
      stateDir: folder.root,
      runId: summary.runId,
      folder: folder.runReports(summary.runId),
    });
    const stepRejections = countStepRejections(folder.root, summary.runId);
    return {
      summary,
      stepRejections,
      reports,
      target: target.kind,
      url: target.url,
      ledgerTokensByDay: ledgerTokensOn(folder.root, summary.tokens),
      dailyBudget: target.config.dailyBudget,
    };
  });
};

/**
 * Turns the runner's errors about a state folder that does not belong to the plan or the account
 * into errors that name the state folder and the commands to go on with. Other errors are
 * returned as they are. The plan's own confirmation was checked before, so a ledger without any
 * approval is a new state folder or another one than the plan was confirmed with.
 */
const stateFolderError = (
  error: unknown,
  planPath: string,
  plan: MappingPlan,
  stateDir: string,
): unknown => {
  const unconfirmed = error instanceof PlanNotApprovedError && error.problem === "unconfirmed";
  if (unconfirmed && plan.approval !== undefined) {
    return new ApprovalNotInLedgerError({
      planPath,
      stateDir,
      approvedBy: plan.approval.by,
      approvedAt: plan.approval.at,
    });
  }
  if (error instanceof PriorMigrationError) {
    return new SecondCopyError({ stateDir, markers: error.markers });
  }
  return error;
};

/** Returns the ledger's token total of each day a run spent tokens on, oldest first. */
const ledgerTokensOn = (stateDir: string, tokens: RunTokens): ReadonlyArray<DayTokens> => {
  const days = new Set(tokens.byDay.map((day) => day.day));
  const ledger = Ledger.open(stateDir);
  try {
    return ledger.tokensByDay().filter((day) => days.has(day.day));
  } finally {
    ledger.close();
  }
};

/** Counts a run's rejections at the source and transform steps by reason, most frequent first. */
const countStepRejections = (stateDir: string, runId: number): ReadonlyArray<StepRejections> => {
  const ledger = Ledger.open(stateDir);
  try {
    const counts: Array<StepRejections> = [];
    for (const { stage, code, count } of ledger.reportPages.rejectionsByStageAndCode(runId)) {
      if (stage === "source" || stage === "transform") counts.push({ stage, code, count });
    }
    return counts.sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  } finally {
    ledger.close();
  }
};

/**
 * Returns the ids of the finished runs that are not dry runs and still own records in the
 * destination, oldest first. A rollback removes a run's created records from the id map and
 * clears its updates, so a rolled-back run is not listed.
 */
export const runsToVerify = (stateDir?: string): ReadonlyArray<number> => {
  const folder = stateFolder(stateDir);
  if (!existsSync(join(folder.root, LEDGER_FILE))) return [];
  const ledger = Ledger.open(folder.root);
  try {
    const owning = new Set<number>();
    for (const entry of ledger.idMapEntries()) {
      owning.add(entry.createdRun);
      if (entry.updatedRun !== undefined) owning.add(entry.updatedRun);
    }
    return ledger
      .runs()
      .filter((run) => run.status === "finished" && !run.dryRun && owning.has(run.id))
      .map((run) => run.id);
  } finally {
    ledger.close();
  }
};

/** Reads back what a run wrote and compares every mapped field. */
export const verifyRun = async (
  options: CommonOptions & { readonly runId?: number },
): Promise<VerificationResult> => {
  existingStateFolder(options.stateDir);
  return withTarget(options, (target, folder) =>
    verify({
      stateDir: folder.root,
      destination: destinationFor(target),
      ...(options.runId === undefined ? {} : { runId: options.runId }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    }),
  );
};

/**
 * Verifies every run that `runsToVerify` lists, oldest first, because a migration made of a
 * sample run and a full run owns the records of both. With no such run it verifies the newest
 * finished run, which fails with `RunNotFoundError` when there is none.
 */
export const verifyMigrationRuns = (
  options: CommonOptions,
): Promise<ReadonlyArray<VerificationResult>> => {
  const runIds = runsToVerify(options.stateDir);
  if (runIds.length === 0) return verifyRun(options).then((result) => [result]);
  return withTarget(options, async (target, folder) => {
    const results: Array<VerificationResult> = [];
    for (const runId of runIds) {
      results.push(
        await verify({
          stateDir: folder.root,
          destination: destinationFor(target),
          runId,
          ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
        }),
      );
    }
    return results;
  });
};

/** Options of `rollbackRuns`. */
export interface RollbackRunsOptions extends CommonOptions {
  /** Also removes the pipelines, fields and labels the runs created. */
  readonly removeSchema?: boolean;
  /** Also rolls back the later runs that are not rolled back yet. */
  readonly withLaterRuns?: boolean;
}

/**
 * Rolls back a run, the sample, the newest run or everything. A scope that later runs depend on
 * fails with `LaterRunsError` unless `withLaterRuns` rolls them back too.
 */
export const rollbackRuns = async (
  scope: RollbackScope,
  options: RollbackRunsOptions,
): Promise<RollbackSummary> => {
  existingStateFolder(options.stateDir);
  return withTarget(options, (target, folder) =>
    rollback({
      stateDir: folder.root,
      destination: destinationFor(target),
      scope,
      ...(options.removeSchema === undefined ? {} : { removeSchema: options.removeSchema }),
      ...(options.withLaterRuns === undefined ? {} : { withLaterRuns: options.withLaterRuns }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    }).catch((error: unknown) => {
      if (!(error instanceof RollbackOrderError)) throw error;
      throw new LaterRunsError({
        stateDir: folder.root,
        runIds: error.runIds,
        dependents: error.dependents,
      });
    }),
  );
};

/** Writes the reports of a run (the newest when no id is given). */
export const writeReports = async (
  options: CommonOptions & { readonly runId?: number },
): Promise<ReportFiles> => {
  const folder = existingStateFolder(options.stateDir);
  return report({
    stateDir: folder.root,
    ...(options.runId === undefined ? {} : { runId: options.runId }),
  });
};
