/**
 * The staging phase: every source kind the pipeline names is read once into the ledger's
 * staging tables, with the pipeline's index fields indexed. Rejections the source emits and
 * records whose source id repeats within a kind are recorded as rejections.
 */
import { Chunk, Effect, Stream } from "effect";

import type { Ledger } from "../ledger/Ledger.js";
import type { LedgerError } from "../ledger/LedgerError.js";
import { emitProgress } from "../Progress.js";
import type { Source } from "../Source.js";
import type { SourceError } from "../SourceError.js";
import { isRejection, type SourceRecord } from "../SourceRecord.js";
import type { Pipeline } from "../Transform.js";
import { withLedger } from "./LedgerEffect.js";

const CHUNK = 500;

/** Counts of the staging phase, summed over the source kinds. */
export interface StageCounts {
  readonly read: number;
  readonly loaded: number;
  readonly rejected: number;
}

const stageKind = (
  ledger: Ledger,
  runId: number,
  source: Source,
  pipeline: Pipeline,
  kind: string,
) =>
  Effect.gen(function* () {
    const indexFields = pipeline.indexes[kind] ?? [];
    yield* withLedger(ledger, (l) => {
      for (const field of indexFields) l.staging.markIndexed(runId, kind, field);
    });

    let read = 0;
    let loaded = 0;
    let rejected = 0;
    yield* source.read(kind).pipe(
      Stream.grouped(CHUNK),
      Stream.runForEach((chunk) =>
        withLedger(ledger, (l) => {
          const items = Chunk.toReadonlyArray(chunk);
          const records = items.filter((item): item is SourceRecord => !isRejection(item));
          l.transaction(() => {
            for (const item of items) {
              if (!isRejection(item)) continue;
              l.addRejection({
                runId,
                stage: "source",
                kind: item.kind,
                destKind: undefined,
                file: item.origin.file,
                line: item.origin.line,
                code: item.code,
                message: item.message,
                sourceId: item.sourceId,
                column: item.column,
                value: item.value,
              });
            }
            const duplicates = l.staging.insert(runId, records, indexFields, read + 1);
            for (const duplicate of duplicates) {
              l.addRejection({
                runId,
                stage: "source",
                kind: duplicate.kind,
                destKind: undefined,
                file: duplicate.origin.file,
                line: duplicate.origin.line,
                code: "duplicate-id",
                message: `${duplicate.origin.file} line ${duplicate.origin.line} repeats the ${kind} id ${JSON.stringify(duplicate.sourceId)} of an earlier row; the first row was kept`,
                sourceId: duplicate.sourceId,
                column: undefined,
                value: duplicate.sourceId,
              });
            }
            read += items.length;
            loaded += records.length - duplicates.length;
            rejected += items.length - records.length + duplicates.length;
          });
        }).pipe(Effect.zipLeft(emitProgress({ _tag: "RecordsDone", phase: "stage", done: read }))),
      ),
    );
    return { read, loaded, rejected };
  });

/**
 * Stages every source kind of the pipeline for a run, from scratch: what an interrupted
 * staging left behind is deleted first.
 */
export const stageSource = (
  ledger: Ledger,
  runId: number,
  source: Source,
  pipeline: Pipeline,
): Effect.Effect<StageCounts, SourceError | LedgerError> =>
  Effect.gen(function* () {
    yield* withLedger(ledger, (l) => {
      l.staging.clearRun(runId);
      l.clearSourceRejections(runId);
    });
    yield* emitProgress({ _tag: "PhaseStarted", phase: "stage" });

    const totals = { read: 0, loaded: 0, rejected: 0 };
    for (const kind of pipeline.sourceKinds) {
      const counts = yield* stageKind(ledger, runId, source, pipeline, kind);
      totals.read += counts.read;
      totals.loaded += counts.loaded;
      totals.rejected += counts.rejected;
    }
    return totals;
  });
