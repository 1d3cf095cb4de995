/**
 * The public operations beside `migrate`: plan approval, verification, rollback and reports.
 * Each is an Effect that opens and closes the ledger of a state folder itself. The Promise API
 * over all of them serves callers who do not use Effect.
 */

import { join } from "node:path";
import { Cause, Effect, Exit, Logger, LogLevel } from "effect";
import type { DestinationError } from "../DestinationError.js";
import type { Ledger } from "../ledger/Ledger.js";
import { DEFAULT_STATE_DIR } from "../ledger/Ledger.js";
import type { LedgerError } from "../ledger/LedgerError.js";
import { Progress, type ProgressEvent } from "../Progress.js";
import { type ReportFiles, writeRunReports } from "../report/ReportFiles.js";
import { maxTableRows } from "../report/TableLimit.js";
import { openLedger, withLedger } from "./LedgerEffect.js";
import { migrate } from "./Migration.js";
import type { DestinationInput, MigrationOptions, RunSummary } from "./MigrationOptions.js";
import { type RollbackScope, type RollbackSummary, rollbackRuns } from "./Rollback.js";
import { gate, makeTokenAccount, type RunContext } from "./RunContext.js";
import { type RollbackOrderError, type RunHaltedError, RunNotFoundError } from "./RunnerErrors.js";
import type { TimeWindow } from "./TimeWindow.js";
import { type VerificationResult, verifyRun } from "./Verification.js";

/** Options of `recordApproval`. */
export interface ApprovalOptions {
  /** @default ".ferry" */
  readonly stateDir?: string;
  readonly planHash: string;
  /** Name or e-mail address of the person who approved the plan. */
  readonly approvedBy: string;
  /** When, as ISO 8601. */
  readonly approvedAt: string;
}

/** Options of `verify`. */
export interface VerifyOptions {
  /** @default ".ferry" */
  readonly stateDir?: string;
  readonly destination: DestinationInput;
  /** Run to verify; the newest finished run when absent. */
  readonly runId?: number;
  /** Tokens verification may spend per UTC day, as in `runMigration`. */
  readonly dailyTokenBudget?: number;
  /** Keeps the reads inside this window, as in `runMigration`. */
  readonly window?: TimeWindow;
  /** @default "wait" */
  readonly outsideWindow?: "wait" | "halt";
}

/** Options of `rollback`. */
export interface RollbackOptions {
  /** @default ".ferry" */
  readonly stateDir?: string;
  readonly destination: DestinationInput;
  readonly scope: RollbackScope;
  /** Also removes the schema items the runs created. */
  readonly removeSchema?: boolean;
  /** @default 50 */
  readonly batchSize?: number;
  /**
   * Also rolls back every later run that is not rolled back yet. Without it, a scope whose
   * records later runs reused, updated or link to fails with `RollbackOrderError`.
   */
  readonly withLaterRuns?: boolean;
}

/** Options of `report`. */
export interface ReportOptions {
  /** @default ".ferry" */
  readonly stateDir?: string;
  /** Run to report on; the newest run when absent. */
  readonly runId?: number;
  /** Folder of the files; `<stateDir>/reports/run-<id>` when absent. */
  readonly folder?: string;
  /**
   * Rows shown per growing table in `report.md` and `report.html`. `report.json` and
   * `rejections.csv` contain every row. A value that is not a whole number of 0 or more
   * rejects with a RangeError.
   * @default 1000
   */
  readonly maxTableRows?: number;
}

/** A progress callback for the Promise API. */
export interface ProgressOption {
  readonly onProgress?: (event: ProgressEvent) => void;
}

const resolveRun = (ledger: Ledger, runId: number | undefined, finishedOnly: boolean) => {
  const runs = ledger.runs().filter((run) => !finishedOnly || run.status === "finished");
  const run = runId === undefined ? runs.at(-1) : runs.find((r) => r.id === runId);
  return run === undefined
    ? Effect.fail(
        new RunNotFoundError({
          ...(runId === undefined ? {} : { runId }),
          detail: finishedOnly ? "no finished run matches" : "no run matches",
        }),
      )
    : Effect.succeed(run.id);
};

/** Records that a person approved a plan hash, so that `migrate` accepts the plan. */
export const approvePlan = (options: ApprovalOptions): Effect.Effect<void, LedgerError> =>
  Effect.gen(function* () {
    const ledger = yield* openLedger(options.stateDir ?? DEFAULT_STATE_DIR);
    yield* withLedger(ledger, (l) =>
      l.recordApproval(options.planHash, options.approvedBy, options.approvedAt),
    );
  }).pipe(Effect.scoped);

/** Reads back what a run wrote and compares it with the plan; the result goes to the ledger. */
export const verifyMigration = (
  options: VerifyOptions,
): Effect.Effect<
  VerificationResult,
  RunNotFoundError | DestinationError | LedgerError | RunHaltedError
> =>
  Effect.gen(function* () {
    const ledger = yield* openLedger(options.stateDir ?? DEFAULT_STATE_DIR);
    const runId = yield* resolveRun(ledger, options.runId, true);
    const tokens = makeTokenAccount(ledger, { runId, operation: "verify" });
    const destination =
      typeof options.destination === "function" ? options.destination(tokens) : options.destination;
    const context: RunContext = {
      ledger,
      runId,
      destination,
      tokens,
      batchSize: 100,
      conflicts: "keep",
      maxAttempts: 1,
      retryDelayMs: 0,
      dailyTokenBudget: options.dailyTokenBudget,
      window: options.window,
      outsideWindow: options.outsideWindow ?? "wait",
    };
    return yield* verifyRun(ledger, destination, runId, {
      beforePage: gate(context, "verify", false),
      tokensSpent: tokens.spentHere,
    });
  }).pipe(Effect.scoped);

/** Rolls back a run, the sample runs, the newest run or everything. */
export const rollbackMigration = (
  options: RollbackOptions,
): Effect.Effect<
  RollbackSummary,
  RunNotFoundError | RollbackOrderError | DestinationError | LedgerError
> =>
  Effect.gen(function* () {
    const ledger = yield* openLedger(options.stateDir ?? DEFAULT_STATE_DIR);
    const tokens = makeTokenAccount(ledger);
    const destination =
      typeof options.destination === "function" ? options.destination(tokens) : options.destination;
    return yield* rollbackRuns(ledger, destination, options.scope, {
      ...(options.removeSchema === undefined ? {} : { removeSchema: options.removeSchema }),
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      ...(options.withLaterRuns === undefined ? {} : { withLaterRuns: options.withLaterRuns }),
      tokens,
    });
  }).pipe(Effect.scoped);

/**
 * Writes the Markdown, JSON, HTML and CSV reports of a run, streamed from the ledger page by
 * page so that memory does not grow with the number of rows.
 */
export const writeReports = (
  options: ReportOptions,
): Effect.Effect<ReportFiles, RunNotFoundError | LedgerError> =>
  Effect.gen(function* () {
    // An invalid limit throws a RangeError here, before any file is opened, so that it is not
    // reported as a ledger write failure.
    const tables = { maxTableRows: maxTableRows({ maxTableRows: options.maxTableRows }) };
    const stateDir = options.stateDir ?? DEFAULT_STATE_DIR;
    const ledger = yield* openLedger(stateDir);
    const runId = yield* resolveRun(ledger, options.runId, false);
    const folder = options.folder ?? join(stateDir, "reports", `run-${runId}`);
    return yield* withLedger(ledger, (l) => writeRunReports(l, runId, folder, tables));
  }).pipe(Effect.scoped);

/**
 * Runs an effect as a Promise that rejects with the typed error itself. Effect's log output is
 * turned off, because the default logger writes to the console; Promise callers get progress
 * through `onProgress` and failures as rejections.
 */
const toPromise = async <A, E>(
  effect: Effect.Effect<A, E>,
  onProgress?: (event: ProgressEvent) => void,
): Promise<A> => {
  const withProgress =
    onProgress === undefined ? effect : Effect.provide(effect, Progress.fromCallback(onProgress));
  const provided = withProgress.pipe(Logger.withMinimumLogLevel(LogLevel.None));
  const exit = await Effect.runPromiseExit(provided);
  if (Exit.isSuccess(exit)) return exit.value;
  throw Cause.squash(exit.cause);
};

/**
 * Runs or resumes a migration. Rejects with `PlanNotApprovedError`, `RunHaltedError`,
 * `ReconciliationError`, `LedgerError`, `SourceError` or `DestinationError`.
 *
 * @example
 * ```ts
 * await recordApproval({ planHash: pipeline.planHash, approvedBy: "ana@example.test", approvedAt: new Date().toISOString() });
 * const summary = await runMigration({ source, destination, pipeline, stateDir: ".ferry" });
 * ```
 */
export const runMigration = (options: MigrationOptions & ProgressOption): Promise<RunSummary> =>
  toPromise(migrate(options), options.onProgress);

/** Records a plan approval; the Promise form of `approvePlan`. */
export const recordApproval = (options: ApprovalOptions): Promise<void> =>
  toPromise(approvePlan(options));

/** Verifies a run; the Promise form of `verifyMigration`. */
export const verify = (options: VerifyOptions & ProgressOption): Promise<VerificationResult> =>
  toPromise(verifyMigration(options), options.onProgress);

/** Rolls back; the Promise form of `rollbackMigration`. */
export const rollback = (options: RollbackOptions & ProgressOption): Promise<RollbackSummary> =>
  toPromise(rollbackMigration(options), options.onProgress);

/** Writes a run's reports; the Promise form of `writeReports`. */
export const report = (options: ReportOptions): Promise<ReportFiles> =>
  toPromise(writeReports(options));
