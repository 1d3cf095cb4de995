/**
 * The planning phase: the pipeline's transform reads the staged records and its output is
 * streamed into the ledger, planned records, rejections, queued records and lossy steps alike,
 * in chunks, so that the plan never sits in memory. Each chunk reports its progress and lets
 * the event loop run.
 */
import { Chunk, Effect, Stream } from "effect";

import type { Ledger } from "../ledger/Ledger.js";
import type { LedgerError } from "../ledger/LedgerError.js";
import { makeLedgerStaging } from "../ledger/LedgerStaging.js";
import { emitProgress } from "../Progress.js";
import type { Pipeline, PlannedRecord, TransformOutput } from "../Transform.js";
import { withLedger } from "./LedgerEffect.js";

const CHUNK = 500;

/** Counts of the planning phase. */
export interface PlanCounts {
  readonly planned: number;
  readonly rejected: number;
  readonly queued: number;
  readonly lossy: number;
}

const storeOutputs = (
  ledger: Ledger,
  runId: number,
  outputs: ReadonlyArray<TransformOutput>,
  firstSeq: number,
  counts: { planned: number; rejected: number; queued: number; lossy: number },
) =>
  ledger.transaction(() => {
    const planned = outputs.filter((o): o is PlannedRecord => o._tag === "PlannedRecord");
    const duplicates = ledger.planned.insert(runId, planned, firstSeq);
    counts.planned += planned.length - duplicates.length;

    for (const duplicate of duplicates) {
      counts.rejected += 1;
      ledger.addRejection({
        runId,
        stage: "transform",
        kind: duplicate.ref.kind,
        destKind: duplicate.kind,
        file: duplicate.origin.file,
        line: duplicate.origin.line,
        code: "duplicate-planned-record",
        message: `the plan produced the ${duplicate.kind} for ${duplicate.ref.kind}:${duplicate.ref.sourceId} twice; the first one was kept`,
        sourceId: duplicate.ref.sourceId,
        column: undefined,
        value: undefined,
      });
    }

    for (const output of outputs) {
      if (output._tag === "Rejection") {
        counts.rejected += 1;
        ledger.addRejection({
          runId,
          stage: "transform",
          kind: output.kind,
          destKind: undefined,
          file: output.origin.file,
          line: output.origin.line,
          code: output.code,
          message: output.message,
          sourceId: output.sourceId,
          column: output.column,
          value: output.value,
        });
      } else if (output._tag === "QueuedRecord") {
        counts.queued += 1;
        ledger.addQueued(
          {
            runId,
            kind: output.kind,
            ref: output.ref,
            file: output.origin.file,
            line: output.origin.line,
            reason: output.reason,
            message: output.message,
            value: output.value,
          },
          true,
        );
      } else if (output._tag === "LossyStep") {
        counts.lossy += 1;
        ledger.addLossy({
          runId,
          ref: output.ref,
          file: output.origin.file,
          line: output.origin.line,
          field: output.field,
          code: output.code,
          message: output.message,
          value: output.value,
        });
      }
    }
  });

/**
 * Lets the event loop run timers and I/O once per chunk. The transform reads SQLite
 * synchronously, so without this a plan of a large export blocks the loop for its whole length
 * and no progress bar, signal handler or memory sampler runs until it ends.
 */
const yieldToEventLoop: Effect.Effect<void> = Effect.async<void>((resume) => {
  const handle = setImmediate(() => resume(Effect.void));
  return Effect.sync(() => clearImmediate(handle));
});

/** Runs the transform of a run from scratch and stores its output in the ledger. */
export const planRecords = (
  ledger: Ledger,
  runId: number,
  pipeline: Pipeline,
): Effect.Effect<PlanCounts, LedgerError> =>
  Effect.gen(function* () {
    yield* withLedger(ledger, (l) => l.clearPlan(runId));
    yield* emitProgress({ _tag: "PhaseStarted", phase: "plan" });

    const counts = { planned: 0, rejected: 0, queued: 0, lossy: 0 };
    let seq = 1;
    yield* pipeline.transform(makeLedgerStaging(ledger, runId)).pipe(
      Stream.grouped(CHUNK),
      Stream.runForEach((chunk) =>
        withLedger(ledger, (l) => {
          const outputs = Chunk.toReadonlyArray(chunk);
          storeOutputs(l, runId, outputs, seq, counts);
          seq += outputs.length;
        }).pipe(
          Effect.zipRight(emitProgress({ _tag: "RecordsDone", phase: "plan", done: seq - 1 })),
          Effect.zipRight(yieldToEventLoop),
        ),
      ),
    );
    return counts;
  });
