/**
 * The staging phase: every source kind the pipeline names is read once into the ledger's
 * staging tables, with the pipeline's index fields indexed. Rejections the source emits and
 * records whose source id repeats within a kind are recorded as rejections. Each file's rows,
 * staged records, rejections, skipped rows and header cells are recorded for the report.
 */
import { Chunk, Effect, Stream } from "effect";

import type { Ledger } from "../ledger/Ledger.js";
import type { LedgerError } from "../ledger/LedgerError.js";
import type { StagedFile } from "../ledger/SourceFileStore.js";
import { emitProgress } from "../Progress.js";
import type { FileRead, Source } from "../Source.js";
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

/** Row counts of the files of one kind, in the order their first row or report came. */
class FileCounts {
  readonly #files = new Map<string, { rows: number; staged: number; rejected: number }>();
  readonly #reads = new Map<string, FileRead>();

  #of(file: string) {
    let counts = this.#files.get(file);
    if (counts === undefined) {
      counts = { rows: 0, staged: 0, rejected: 0 };
      this.#files.set(file, counts);
    }
    return counts;
  }

  /** Counts a row that became a record; a duplicate id is a rejection instead. */
  staged(file: string): void {
    const counts = this.#of(file);
    counts.rows += 1;
    counts.staged += 1;
  }

  /** Counts a row rejected by the source. */
  rejected(file: string): void {
    const counts = this.#of(file);
    counts.rows += 1;
    counts.rejected += 1;
  }

  /** Moves a staged row to the rejected rows, for a record whose id repeats. */
  duplicate(file: string): void {
    const counts = this.#of(file);
    counts.staged -= 1;
    counts.rejected += 1;
  }

  /** Keeps the source's report of a file. */
  read(file: FileRead): void {
    this.#of(file.file);
    this.#reads.set(file.file, file);
  }

  /** Returns every file of the kind with its counts. */
  files(kind: string): ReadonlyArray<StagedFile> {
    return [...this.#files].map(([file, counts]) => {
      const read = this.#reads.get(file);
      return {
        kind,
        file,
        ...counts,
        skipped: read?.skipped,
        columns: read?.columns ?? [],
      };
    });
  }
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
    const files = new FileCounts();
    yield* source.read(kind, { onFileRead: (file) => files.read(file) }).pipe(
      Stream.grouped(CHUNK),
      Stream.runForEach((chunk) =>
        withLedger(ledger, (l) => {
          const items = Chunk.toReadonlyArray(chunk);
          const records = items.filter((item): item is SourceRecord => !isRejection(item));
          l.transaction(() => {
            for (const item of items) {
              if (!isRejection(item)) {
                files.staged(item.origin.file);
                continue;
              }
              files.rejected(item.origin.file);
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
              files.duplicate(duplicate.origin.file);
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
    yield* withLedger(ledger, (l) => l.sourceFiles.record(runId, files.files(kind)));
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
      l.sourceFiles.clearRun(runId);
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
