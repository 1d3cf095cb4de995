/**
 * Rollback of a run, of the sample runs, or of everything. Records the runs created are
 * deleted and records they updated are restored to their previous values, newest write first.
 * Schema items the runs created are removed on request. A record is deleted only when the id
 * map shows that the run being rolled back created it. Each undone write is marked in the
 * journal, so an interrupted rollback resumes where it stopped when it is started again.
 */
import { Effect } from "effect";

import type { Destination } from "../Destination.js";
import type { DestinationError } from "../DestinationError.js";
import type { Ledger } from "../ledger/Ledger.js";
import type { LedgerError } from "../ledger/LedgerError.js";
import type { JournalEntry, RollbackRow } from "../ledger/LedgerRows.js";
import { emitProgress } from "../Progress.js";
import { withLedger } from "./LedgerEffect.js";
import { laterDependencies, laterRuns } from "./RollbackOrder.js";
import type { OwnedTokenAccount } from "./RunContext.js";
import { RollbackOrderError, RunNotFoundError } from "./RunnerErrors.js";
import { journalUnrecordedItems, leftoverItems } from "./SchemaRecovery.js";

/** Scope of a rollback: one run, every sample run, the newest run, or every run. */
export type RollbackScope = { readonly run: number } | "sample" | "last" | "all";

/** Outcome of a rollback pass. */
export interface RollbackSummary {
  readonly rollbackId: number;
  readonly runIds: ReadonlyArray<number>;
  /** Records deleted, over every pass of this rollback. */
  readonly removed: number;
  /** Records restored to their previous values, over every pass. */
  readonly restored: number;
  /** Writes left alone in this pass because a later write replaced the record. */
  readonly skipped: number;
  readonly schemaRemoved: number;
  /** Whether everything was undone; when false, start the rollback again to retry failures. */
  readonly finished: boolean;
  readonly failures: RollbackRow["failures"];
  /**
   * Tokens this rollback spent over every pass, as the token account counted them. It is 0
   * when the destination was given as an object instead of a factory, because then nothing
   * counts them.
   */
  readonly tokensSpent: number;
}

/** Options of `rollbackRuns`. */
export interface RollbackRunOptions {
  readonly removeSchema?: boolean;
  readonly batchSize?: number;
  /**
   * Also rolls back every later run that is not rolled back yet. Without it, a scope whose
   * records later runs reused, updated or link to fails with `RollbackOrderError`.
   */
  readonly withLaterRuns?: boolean;
  /** The account the destination adds its spend to; the rollback becomes its owner. */
  readonly tokens?: OwnedTokenAccount;
}

const scopeKey = (scope: RollbackScope) => (typeof scope === "string" ? scope : `run:${scope.run}`);

/** Returns the run ids a scope covers. */
export const runsOf = (
  ledger: Ledger,
  scope: RollbackScope,
): Effect.Effect<ReadonlyArray<number>, RunNotFoundError> => {
  const runs = ledger.runs().filter((run) => !run.dryRun);
  const ids =
    scope === "all"
      ? runs.map((run) => run.id)
      : scope === "sample"
        ? runs.filter((run) => run.mode === "sample").map((run) => run.id)
        : scope === "last"
          ? runs.slice(-1).map((run) => run.id)
          : runs.filter((run) => run.id === scope.run).map((run) => run.id);
  if (ids.length > 0) return Effect.succeed(ids);
  return Effect.fail(
    new RunNotFoundError({
      ...(typeof scope === "object" ? { runId: scope.run } : {}),
      detail: `no run matches the rollback scope ${scopeKey(scope)}`,
    }),
  );
};

/** Splits newest-first journal entries into batches of one operation and kind. */
const batches = (entries: ReadonlyArray<JournalEntry>, size: number) => {
  const out: Array<Array<JournalEntry>> = [];
  for (const entry of entries) {
    const last = out.at(-1);
    const head = last?.[0];
    if (
      last !== undefined &&
      head?.op === entry.op &&
      head.destKind === entry.destKind &&
      last.length < size
    ) {
      last.push(entry);
    } else out.push([entry]);
  }
  return out;
};

const removeCreated = (
  ledger: Ledger,
  destination: Destination,
  rollbackId: number,
  group: ReadonlyArray<JournalEntry>,
) =>
  Effect.gen(function* () {
    const kind = group[0]?.destKind ?? "";
    const owned: Array<JournalEntry> = [];
    let skipped = 0;
    yield* withLedger(ledger, (l) =>
      l.transaction(() => {
        for (const entry of group) {
          const mapped = l.idMapGet(entry.destKind, entry.ref);
          if (
            mapped !== undefined &&
            mapped.destId === entry.destId &&
            mapped.createdRun === entry.runId
          ) {
            owned.push(entry);
          } else {
            skipped += 1;
            l.journal.markUndone(entry.seq, rollbackId);
          }
        }
      }),
    );
    if (owned.length === 0) return skipped;

    const results = yield* destination.remove(
      kind,
      owned.map((entry) => entry.destId ?? ""),
    );
    const byId = new Map(results.map((result) => [result.id, result]));
    yield* withLedger(ledger, (l) =>
      l.transaction(() => {
        const failures: Array<{ kind: string; id: string; reason: string }> = [];
        let removed = 0;
        for (const entry of owned) {
          const result = byId.get(entry.destId ?? "");
          if (result?.removed === true) {
            removed += 1;
            l.idMapDelete(entry.destKind, entry.ref);
            l.journal.markUndone(entry.seq, rollbackId);
          } else {
            failures.push({
              kind,
              id: entry.destId ?? "",
              reason: result?.reason ?? "no result for this id",
            });
          }
        }
        l.rollbacks.advance(rollbackId, { removed, failures });
      }),
    );
    return skipped;
  });

/** Puts an updated record's id map entry back to what it was before the update. */
const restoreMapEntry = (ledger: Ledger, entry: JournalEntry) => {
  const mapped = ledger.idMapGet(entry.destKind, entry.ref);
  if (mapped !== undefined && entry.previousMap !== undefined) {
    ledger.idMapPut({
      ...mapped,
      hash: entry.previousMap.hash,
      written: entry.previousMap.written,
      updatedRun: undefined,
    });
  }
};

/**
 * Tells whether undoing an update needs no write to the destination. A record that a run of this
 * rollback created is deleted later by the same rollback. An update with an unchanged content
 * hash only pointed links at records created again, and the records its links pointed to before
 * are gone from the destination.
 */
const restoresInLedgerOnly = (
  ledger: Ledger,
  runIds: ReadonlyArray<number>,
  entry: JournalEntry,
): boolean => {
  if (entry.previousMap?.hash === entry.hash) return true;
  const mapped = ledger.idMapGet(entry.destKind, entry.ref);
  return (
    mapped !== undefined && mapped.destId === entry.destId && runIds.includes(mapped.createdRun)
  );
};

const restoreUpdated = (
  ledger: Ledger,
  destination: Destination,
  rollback: RollbackRow,
  group: ReadonlyArray<JournalEntry>,
) =>
  Effect.gen(function* () {
    const kind = group[0]?.destKind ?? "";
    const restorable = group.filter(
      (entry) => entry.previous !== undefined && entry.destId !== undefined,
    );
    const inLedger = restorable.filter((entry) =>
      restoresInLedgerOnly(ledger, rollback.runIds, entry),
    );
    const written = restorable.filter((entry) => !inLedger.includes(entry));
    const results =
      written.length === 0
        ? []
        : yield* destination.write(
            kind,
            written.map((entry) => ({
              kind,
              ref: entry.ref,
              fields: entry.previous?.fields ?? {},
              custom: entry.previous?.custom ?? {},
              links: entry.previous?.links ?? {},
              destinationId: entry.destId ?? "",
            })),
          );
    yield* withLedger(ledger, (l) =>
      l.transaction(() => {
        const failures: Array<{ kind: string; id: string; reason: string }> = [];
        let restored = 0;
        written.forEach((entry, index) => {
          const result = results[index];
          if (result?._tag !== "Written") {
            failures.push({ kind, id: entry.destId ?? "", reason: result?.message ?? "no result" });
            return;
          }
          restoreMapEntry(l, entry);
          l.journal.markUndone(entry.seq, rollback.id);
          restored += 1;
        });
        for (const entry of inLedger) {
          restoreMapEntry(l, entry);
          l.journal.markUndone(entry.seq, rollback.id);
          restored += 1;
        }
        l.rollbacks.advance(rollback.id, { restored, failures });
      }),
    );
    return 0;
  });

const removeSchemaItems = (ledger: Ledger, destination: Destination, rollback: RollbackRow) =>
  Effect.gen(function* () {
    yield* journalUnrecordedItems(ledger, destination, rollback.runIds);
    const items = ledger
      .schemaItems(rollback.runIds)
      .filter((item) => item.removedBy === undefined);
    if (items.length === 0) return 0;
    if (destination.removeSchema === undefined) {
      yield* withLedger(ledger, (l) =>
        l.rollbacks.advance(rollback.id, {
          failures: items.map((item) => ({
            kind: item.type,
            id: item.id,
            reason: `the destination ${destination.name} cannot remove schema items; remove ${item.type} ${item.name} by hand`,
          })),
        }),
      );
      return 0;
    }
    const results = yield* destination.removeSchema(
      items.map((item) => ({
        type: item.type,
        id: item.id,
        name: item.name,
        ...(item.kind === undefined ? {} : { kind: item.kind }),
        ...(item.parentId === undefined ? {} : { parentId: item.parentId }),
      })),
    );
    // Results come in the order of the items: ids alone are not unique across item types.
    return yield* withLedger(ledger, (l) =>
      l.transaction(() => {
        let removed = 0;
        const failures: Array<{ kind: string; id: string; reason: string }> = [];
        for (const [index, item] of items.entries()) {
          const result = results[index];
          if (result?.removed === true) {
            removed += 1;
            l.markSchemaItemRemoved(item.rowId, rollback.id);
          } else
            failures.push({ kind: item.type, id: item.id, reason: result?.reason ?? "no result" });
        }
        l.rollbacks.advance(rollback.id, { failures });
        return removed;
      }),
    );
  });

/** Adds a failure for each schema item the runs created that the account still has. */
const reportLeftovers = (ledger: Ledger, destination: Destination, rollbackId: number) =>
  Effect.gen(function* () {
    const rollback = ledger.rollbacks.get(rollbackId) as RollbackRow;
    const failed = new Set(rollback.failures.map((failure) => `${failure.kind}:${failure.id}`));
    const left = (yield* leftoverItems(ledger, destination, rollback.runIds)).filter(
      (item) => !failed.has(`${item.type}:${item.id}`),
    );
    if (left.length === 0) return;
    yield* withLedger(ledger, (l) =>
      l.rollbacks.advance(rollbackId, {
        failures: left.map((item) => ({
          kind: item.type,
          id: item.id,
          reason: `${item.type} ${item.name} was created by the migration and is still in the account; run the rollback again or remove it by hand`,
        })),
      }),
    );
  });

/**
 * Rolls back a scope: deletes what its runs created and restores what they updated, newest
 * first, then removes their schema items when `removeSchema` is set. Starting it again after
 * an interruption, or after failures, goes on with what is not undone yet.
 */
export const rollbackRuns = (
  ledger: Ledger,
  destination: Destination,
  scope: RollbackScope,
  options: RollbackRunOptions = {},
): Effect.Effect<
  RollbackSummary,
  RunNotFoundError | RollbackOrderError | DestinationError | LedgerError
> =>
  Effect.gen(function* () {
    const scoped = yield* runsOf(ledger, scope);
    const later = options.withLaterRuns === true ? laterRuns(ledger, scoped) : [];
    const runIds = [...scoped, ...later].sort((a, b) => a - b);
    const dependents = yield* withLedger(ledger, (l) => laterDependencies(l, runIds));
    if (dependents.length > 0) return yield* new RollbackOrderError({ runIds, dependents });
    const key = later.length === 0 ? scopeKey(scope) : `${scopeKey(scope)}+later`;
    const rollback = yield* withLedger(ledger, (l) =>
      l.rollbacks.start(key, runIds, options.removeSchema ?? false),
    );
    // A rollback can cover several runs and its batches mix them, so its spend is its own.
    yield* withLedger(ledger, () => options.tokens?.attributeTo({ rollbackId: rollback.id }));
    const entries = ledger.journal.undoable(rollback.runIds);
    const failuresBefore = rollback.failures.length;
    yield* emitProgress({ _tag: "PhaseStarted", phase: "rollback", total: entries.length });

    let skipped = 0;
    let done = 0;
    for (const group of batches(entries, options.batchSize ?? 50)) {
      skipped +=
        group[0]?.op === "update"
          ? yield* restoreUpdated(ledger, destination, rollback, group)
          : yield* removeCreated(ledger, destination, rollback.id, group);
      done += group.length;
      yield* emitProgress({ _tag: "RecordsDone", phase: "rollback", done, total: entries.length });
    }
    const schemaRemoved = rollback.removeSchema
      ? yield* removeSchemaItems(ledger, destination, rollback)
      : 0;
    if (rollback.removeSchema) yield* reportLeftovers(ledger, destination, rollback.id);

    const after = ledger.rollbacks.get(rollback.id) as RollbackRow;
    const failures = after.failures.slice(failuresBefore);
    const finished = failures.length === 0;
    if (finished) yield* withLedger(ledger, (l) => l.rollbacks.finish(rollback.id));
    const spent = yield* withLedger(ledger, (l) => l.tokens.ofRollback(rollback.id));
    yield* emitProgress({
      _tag: "PhaseFinished",
      phase: "rollback",
      counts: { removed: after.removed, restored: after.restored, failed: failures.length },
    });
    return {
      rollbackId: rollback.id,
      runIds: rollback.runIds,
      removed: after.removed,
      restored: after.restored,
      skipped,
      schemaRemoved,
      finished,
      failures,
      tokensSpent: spent.reduce((sum, day) => sum + day.spent, 0),
    };
  });
