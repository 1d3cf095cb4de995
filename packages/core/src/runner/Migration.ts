/**
 * The migration run as an Effect. It opens the ledger, checks the plan approval and settles
 * what an interrupted run left unsettled. Then it stages, plans, selects a sample, sets up the
 * schema, provisions users and loads the record phases. Each phase sits behind a checkpoint,
 * so a rerun with the same state folder goes on where the last one stopped.
 */
import { Effect } from "effect";

import type { Destination } from "../Destination.js";
import type { DestinationError } from "../DestinationError.js";
import type { Ledger } from "../ledger/Ledger.js";
import type { LedgerError } from "../ledger/LedgerError.js";
import type { LedgerRun, RunMode } from "../ledger/LedgerRows.js";
import { emitProgress } from "../Progress.js";
import type { SchemaChange } from "../SchemaChange.js";
import type { SourceError } from "../SourceError.js";
import { automationsFromSchema } from "./AutomationItem.js";
import { dryRunPhases } from "./DryRunPhases.js";
import { openLedger, withLedger } from "./LedgerEffect.js";
import type { MigrationOptions, RunSummary } from "./MigrationOptions.js";
import { planRecords } from "./PlanPhase.js";
import { runRecordPhases } from "./RecordPhases.js";
import { gate, makeTokenAccount, type RunContext, retryTransient } from "./RunContext.js";
import {
  PlanNotApprovedError,
  PriorMigrationError,
  type ReconciliationError,
  RunHaltedError,
} from "./RunnerErrors.js";
import { selectSample } from "./SampleSelection.js";
import {
  duplicatedItems,
  inventoryEntries,
  itemIdOf,
  parseSnapshot,
  recoveredItems,
  requestedKeys,
  snapshotJson,
  snapshotKeyOf,
  takeSnapshot,
} from "./SchemaRecovery.js";
import { settleIntents } from "./SettleIntents.js";
import { stageSource } from "./StagePhase.js";

/** Every way a migration run can fail. */
export type MigrationError =
  | PlanNotApprovedError
  | PriorMigrationError
  | RunHaltedError
  | ReconciliationError
  | LedgerError
  | SourceError
  | DestinationError;

/** Checks that the pipeline's plan hash is approved in the ledger. */
export const checkApproval = (
  ledger: Ledger,
  planHash: string,
): Effect.Effect<void, PlanNotApprovedError> => {
  if (ledger.approval(planHash) !== undefined) return Effect.void;
  const latest = ledger.latestApproval();
  return Effect.fail(
    latest === undefined
      ? new PlanNotApprovedError({ problem: "unconfirmed", planHash, ledgerPath: ledger.path })
      : new PlanNotApprovedError({
          problem: "changed",
          planHash,
          approvedHash: latest.planHash,
          approvedBy: latest.approvedBy,
          approvedAt: latest.approvedAt,
        }),
  );
};

const isSameRun = (run: LedgerRun, options: MigrationOptions) =>
  run.planHash === options.pipeline.planHash &&
  run.sampleSize === options.sample &&
  run.dryRun === (options.dryRun ?? false);

/** Resumes the unfinished run with the same plan and sample, or starts a new run. */
const openRun = (ledger: Ledger, options: MigrationOptions, destination: Destination) =>
  withLedger(ledger, (l) => {
    const unfinished = l.unfinishedRun();
    if (unfinished !== undefined && !options.dryRun && isSameRun(unfinished, options)) {
      l.setRunStatus(unfinished.id, "running");
      return { runId: unfinished.id, mode: unfinished.mode, resumed: true };
    }
    const mode: RunMode = options.sample !== undefined ? "sample" : l.hasIdMap() ? "delta" : "full";
    const runId = l.createRun({
      mode,
      planHash: options.pipeline.planHash,
      sampleSize: options.sample,
      dryRun: options.dryRun ?? false,
      source: options.source.name,
      destination: destination.name,
      schemaChanges: options.pipeline.schemaChanges,
      automations: options.automations ?? automationsFromSchema(options.pipeline.schemaChanges),
      startedAt: new Date().toISOString(),
    });
    // A dry run leaves an unfinished real run alone, so that the real run can still resume.
    if (unfinished !== undefined && (!options.dryRun || unfinished.dryRun)) {
      l.setRunStatus(unfinished.id, "failed", {
        reason: "superseded",
        detail: `run ${runId} started with another plan, sample or dry-run setting`,
      });
    }
    return { runId, mode, resumed: false };
  });

/** Runs a setup phase once: skipped when its checkpoint is done. */
const onceFor = <E>(
  ledger: Ledger,
  runId: number,
  phase: string,
  position: number,
  work: Effect.Effect<Readonly<Record<string, number>>, E>,
): Effect.Effect<void, E | LedgerError> =>
  Effect.gen(function* () {
    if (ledger.checkpoint(runId, phase)?.status === "done") return;
    yield* withLedger(ledger, (l) => l.setCheckpoint(runId, phase, position, "started"));
    const counts = yield* work;
    yield* withLedger(ledger, (l) => l.setCheckpoint(runId, phase, position, "done", counts));
    yield* emitProgress({ _tag: "PhaseFinished", phase, counts: { ...counts } });
  });

/**
 * Applies schema changes and journals the items they created. A snapshot of the destination's
 * items and of the requested keys, the marker fields the destination adds included, is stored
 * before the first attempt. It lets a later attempt (after a crash or a lost response) journal
 * the items an earlier attempt created, a late duplicate among them.
 */
const applySchema = (context: RunContext, phase: string, changes: ReadonlyArray<SchemaChange>) =>
  Effect.gen(function* () {
    if (changes.length === 0) return { created: 0, alreadyInAccount: 0 };
    const { ledger, runId, destination } = context;
    yield* gate(context, phase);
    yield* emitProgress({ _tag: "PhaseStarted", phase, total: changes.length });

    const requested = requestedKeys([...(destination.addedSchemaChanges ?? []), ...changes]);
    const snapshotKey = snapshotKeyOf(runId, phase);
    const stored = ledger.getMeta(snapshotKey);
    const snapshot =
      stored === undefined
        ? takeSnapshot(yield* retryTransient(context, phase, destination.describe()), requested)
        : parseSnapshot(stored);
    if (stored === undefined) {
      yield* withLedger(ledger, (l) => l.setMeta(snapshotKey, snapshotJson(snapshot)));
    }

    const result = yield* retryTransient(context, phase, destination.applySchema(changes));
    const after = yield* retryTransient(context, phase, destination.describe());
    const journaled = new Set(ledger.schemaItems([runId]).map(itemIdOf));
    const returned = new Set(result.created.map(itemIdOf));
    const created = [
      ...result.created,
      ...recoveredItems(requested, snapshot, after, new Set([...journaled, ...returned])),
    ];
    const fresh = created.filter((item) => !journaled.has(itemIdOf(item)));
    yield* withLedger(ledger, (l) => l.addSchemaItems(runId, fresh));

    // Both items of a duplicated key that this migration created are journaled, so a rollback
    // with --schema removes both.
    // NOTE: writers of a schema read from the account use the field the account lists first.
    // This process keeps writing to the one its own create returned, and the two can differ.
    const duplicates = duplicatedItems(requested, after);
    for (const [key, items] of duplicates) {
      yield* Effect.logWarning(
        `The destination has ${items.length} schema items for ${key} (ids ${items.map((item) => item.id).join(", ")}), probably because a create whose response was lost completed late. Writes use the first one; rollback --schema removes those this migration created.`,
      );
    }
    const counts = { created: created.length, alreadyInAccount: result.existing.length };
    return duplicates.size === 0 ? counts : { ...counts, duplicated: duplicates.size };
  });

/**
 * Stops a run that would copy every record a second time. The ledger has written nothing to the
 * account (no id map, and no earlier run got through its schema phase), yet the account already
 * has the marker fields that the destination adds, so another ledger migrated into it. A
 * resumed run compares with the snapshot its schema phase stored before its first attempt, so
 * marker fields that this run created do not count.
 */
const checkPriorMigration = (context: RunContext, secondCopy: boolean) =>
  Effect.gen(function* () {
    const { ledger, runId, destination } = context;
    const markers = requestedKeys(destination.addedSchemaChanges ?? []);
    if (secondCopy || markers.length === 0 || ledger.hasIdMap()) return;
    const earlier = ledger
      .runs()
      .some(
        (run) =>
          run.id !== runId && !run.dryRun && ledger.checkpoint(run.id, "schema")?.status === "done",
      );
    if (earlier) return;
    const stored = ledger.getMeta(snapshotKeyOf(runId, "schema"));
    const keys =
      stored === undefined
        ? new Set(
            inventoryEntries(yield* retryTransient(context, "schema", destination.describe())).map(
              (entry) => entry.key,
            ),
          )
        : parseSnapshot(stored).keys;
    const found = markers.filter((key) => keys.has(key));
    if (found.length > 0) return yield* new PriorMigrationError({ runId, markers: found });
  });

const runPhases = (context: RunContext, options: MigrationOptions) =>
  Effect.gen(function* () {
    const { ledger, runId } = context;
    const { pipeline, source } = options;

    yield* onceFor(
      ledger,
      runId,
      "stage",
      0,
      withLedger(ledger, (l) => l.staging.clear(runId)).pipe(
        Effect.zipRight(stageSource(ledger, runId, source, pipeline)),
        Effect.map((counts) => ({ ...counts })),
      ),
    );
    yield* onceFor(
      ledger,
      runId,
      "plan",
      1,
      planRecords(ledger, runId, pipeline).pipe(Effect.map((counts) => ({ ...counts }))),
    );
    if (options.sample !== undefined) {
      const size = options.sample;
      yield* onceFor(
        ledger,
        runId,
        "sample",
        2,
        withLedger(ledger, (l) => ({
          selected: selectSample(l, runId, size),
        })),
      );
    }
    if (options.dryRun) return yield* dryRunPhases(context);

    if (ledger.checkpoint(runId, "schema")?.status !== "done") {
      yield* checkPriorMigration(context, options.secondCopy ?? false);
    }

    const users = pipeline.schemaChanges.filter((change) => change._tag === "EnsureUser");
    const others = pipeline.schemaChanges.filter((change) => change._tag !== "EnsureUser");
    yield* onceFor(ledger, runId, "schema", 3, applySchema(context, "schema", others));
    yield* onceFor(ledger, runId, "users", 4, applySchema(context, "users", users));
    return yield* runRecordPhases(context);
  });

/**
 * Runs a migration, or resumes the unfinished one with the same plan and sample.
 *
 * Fails with `PlanNotApprovedError` before anything moves when the plan hash is not approved,
 * with `RunHaltedError` when the run stopped resumably (spent budget, HTTP 403, time window),
 * and with `ReconciliationError` when a phase's counts do not add up.
 */
export const migrate = (options: MigrationOptions): Effect.Effect<RunSummary, MigrationError> =>
  Effect.gen(function* () {
    const ledger = yield* openLedger(options.stateDir);
    yield* checkApproval(ledger, options.pipeline.planHash);

    const tokens = makeTokenAccount(ledger);
    const destination =
      typeof options.destination === "function" ? options.destination(tokens) : options.destination;
    const { runId, mode, resumed } = yield* openRun(ledger, options, destination);
    yield* withLedger(ledger, () => tokens.attributeTo({ runId, operation: "migrate" }));
    const context: RunContext = {
      ledger,
      runId,
      destination,
      tokens,
      batchSize: options.batchSize ?? 50,
      conflicts: options.conflicts ?? "keep",
      maxAttempts: options.maxAttempts ?? 5,
      retryDelayMs: options.retryDelayMs ?? 500,
      dailyTokenBudget: options.dailyTokenBudget,
      window: options.window,
      outsideWindow: options.outsideWindow ?? "wait",
    };

    const work = Effect.gen(function* () {
      const open = ledger.journal.allOpen();
      const settled =
        open.length === 0
          ? 0
          : yield* retryTransient(context, "settle", settleIntents(ledger, destination, open));
      const phases = yield* runPhases(context, options);
      yield* withLedger(ledger, (l) => {
        l.sourceFiles.storeOutcomes(runId);
        l.setRunStatus(runId, "finished");
      });
      const spent = yield* withLedger(ledger, (l) => l.tokens.ofRun(runId));
      return {
        runId,
        mode,
        dryRun: options.dryRun ?? false,
        resumed,
        phases,
        settled,
        tokens: spent,
      };
    });

    return yield* work.pipe(
      Effect.tapError((error) =>
        Effect.sync(() => {
          if (error._tag === "LedgerError") return;
          // A later run deletes this run's staged records, so its file outcomes are kept now.
          ledger.sourceFiles.storeOutcomes(runId);
          if (error instanceof RunHaltedError) {
            ledger.setRunStatus(runId, "halted", { reason: error.reason, detail: error.detail });
          } else {
            ledger.setRunStatus(runId, "failed", { reason: error._tag, detail: error.message });
          }
        }).pipe(Effect.ignore, Effect.zipRight(Effect.logWarning(`Run stopped: ${error.message}`))),
      ),
      Effect.annotateLogs({ runId, mode }),
      Effect.withSpan("ferry.migrate", { attributes: { runId, mode, resumed } }),
    );
  }).pipe(Effect.scoped);
