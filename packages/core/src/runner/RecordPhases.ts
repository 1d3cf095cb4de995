/**
 * The record phases of a run in the destination's dependency order, each ending with its
 * row-count reconciliation. `DryRunPhases.ts` has the variant that only counts.
 */
import { Effect } from "effect";

import { orderKinds } from "../Destination.js";
import type { DestinationError } from "../DestinationError.js";
import type { Ledger } from "../ledger/Ledger.js";
import type { LedgerError } from "../ledger/LedgerError.js";
import { emitProgress } from "../Progress.js";
import { withLedger } from "./LedgerEffect.js";
import { loadKind } from "./LoadPhase.js";
import type { PhaseCounts } from "./MigrationOptions.js";
import type { RunContext } from "./RunContext.js";
import { ReconciliationError, type RunHaltedError } from "./RunnerErrors.js";

/** Checkpoint position of the first record phase; earlier positions are setup phases. */
export const FIRST_RECORD_PHASE = 10;

/** Returns the kinds of a run's record phases: the destination's order, then unknown kinds. */
export const recordPhaseKinds = (context: RunContext): ReadonlyArray<string> => {
  const ordered = orderKinds(context.destination.kinds);
  const unknown = context.ledger.planned
    .kinds(context.runId)
    .filter((kind) => !ordered.includes(kind));
  return [...ordered, ...unknown];
};

/** Counts a phase from the ledger and checks read = loaded + updated + unchanged + rejected + queued. */
export const reconcile = (
  ledger: Ledger,
  runId: number,
  kind: string,
): Effect.Effect<PhaseCounts, ReconciliationError> => {
  const planned = ledger.planned.counts(runId, kind);
  const planQueued = ledger.countPlanQueued(runId, kind);
  const outcomes = ledger.phaseOutcomes(runId, kind);
  const read = Object.values(planned).reduce((sum, n) => sum + n, 0) + planQueued;
  const counts: PhaseCounts = {
    read,
    loaded: outcomes.loaded,
    updated: outcomes.updated,
    unchanged: planned.unchanged,
    rejected: outcomes.rejected,
    queued: outcomes.queued,
  };
  const total = counts.loaded + counts.updated + counts.unchanged + counts.rejected + counts.queued;
  return total === read
    ? Effect.succeed(counts)
    : Effect.fail(new ReconciliationError({ runId, phase: kind, ...counts }));
};

const rejectUnknownKind = (context: RunContext, kind: string) =>
  withLedger(context.ledger, (l) =>
    l.transaction(() => {
      let batch = l.planned.page(context.runId, kind, "pending", 0, 500);
      while (batch.length > 0) {
        for (const row of batch) {
          l.planned.setStatus(context.runId, kind, row.ref, "rejected");
          l.addRejection({
            runId: context.runId,
            stage: "destination",
            kind: row.ref.kind,
            destKind: kind,
            file: row.file,
            line: row.line,
            code: "unknown-kind",
            message: `the plan produced a ${kind}, which the destination ${context.destination.name} does not have; fix the mapping`,
            sourceId: row.ref.sourceId,
            column: undefined,
            value: kind,
          });
        }
        batch = l.planned.page(context.runId, kind, "pending", 0, 500);
      }
    }),
  );

/** Runs every record phase that is not done yet, and returns the counts of every phase. */
export const runRecordPhases = (
  context: RunContext,
): Effect.Effect<
  ReadonlyArray<{ readonly phase: string; readonly counts: PhaseCounts }>,
  DestinationError | LedgerError | RunHaltedError | ReconciliationError
> =>
  Effect.gen(function* () {
    const { ledger, runId } = context;
    const known = orderKinds(context.destination.kinds);
    const phases: Array<{ phase: string; counts: PhaseCounts }> = [];

    for (const [index, kind] of recordPhaseKinds(context).entries()) {
      const done = ledger.checkpoint(runId, kind);
      if (done?.status === "done" && done.counts !== undefined) {
        phases.push({ phase: kind, counts: done.counts as unknown as PhaseCounts });
        continue;
      }
      const total =
        Object.values(ledger.planned.counts(runId, kind)).reduce((sum, n) => sum + n, 0) +
        ledger.countPlanQueued(runId, kind);
      if (total === 0) continue;

      yield* withLedger(ledger, (l) =>
        l.setCheckpoint(runId, kind, FIRST_RECORD_PHASE + index, "started"),
      );
      yield* emitProgress({ _tag: "PhaseStarted", phase: kind, total });
      if (known.includes(kind)) yield* loadKind(context, kind, total);
      else yield* rejectUnknownKind(context, kind);

      const counts = yield* reconcile(ledger, runId, kind);
      yield* withLedger(ledger, (l) =>
        l.setCheckpoint(runId, kind, FIRST_RECORD_PHASE + index, "done", { ...counts }),
      );
      yield* emitProgress({ _tag: "PhaseFinished", phase: kind, counts: { ...counts } });
      phases.push({ phase: kind, counts });
    }
    return phases;
  });
