/**
 * The Flash Lead Sales source: a `Source` over an export folder, and a Promise wrapper for
 * callers that do not use Effect.
 */
import {
  type DateOrder,
  type Inventory,
  isTimeZone,
  type ReadOptions,
  type Source,
  SourceError,
  type SourceItem,
} from "@ferry/core";
import { Chunk, Effect, Stream } from "effect";
import { type FlashLeadKind, flashLeadKinds } from "./FlashLeadKind.js";
import { CsvParseFailure } from "./internal/CsvFile.js";
import { discoverExport } from "./internal/Discovery.js";
import { type ExportFolder, scanExportFolder } from "./internal/ExportFolder.js";
import { readKindItemBatches, type TimestampSettings } from "./internal/KindReader.js";

/** Options of the Flash Lead Sales source. */
export interface FlashLeadSourceOptions {
  /** Export folder holding the CSV files. */
  readonly folder: string;
  /**
   * Date order of columns whose values do not decide it, by `kind.column` (such as
   * `activity.timestamp`) or by column name alone.
   */
  readonly dateOrder?: Readonly<Record<string, DateOrder>>;
  /**
   * IANA time zone of timestamps written without a zone.
   * @default undefined, which reads them as UTC
   */
  readonly timeZone?: string;
  /**
   * Maximum length of a cell, in characters as written between the delimiters, quotes included. A
   * row with a longer cell is rejected as `cell-too-large`, and the cell's bytes are dropped
   * before parsing, so a huge cell costs the time it takes to read and no more memory than the
   * limit.
   * @default 1048576 (1 MiB)
   */
  readonly maxCellLength?: number;
  /**
   * Estimates the destination tokens a migration of this inventory needs, and the daily budget
   * they are counted against; the result becomes the `token-estimate` finding.
   */
  readonly estimateTokens?: (inventory: Inventory) => { tokens: number; dailyBudget: number };
}

/** Turns a failure while reading a file into a `SourceError`. */
export const toSourceError = (folder: string, error: unknown): SourceError => {
  if (error instanceof SourceError) return error;
  if (error instanceof CsvParseFailure) {
    return new SourceError({
      reason: "invalid-input",
      path: error.path,
      line: error.line,
      detail: error.detail,
      hint: "A quoted cell is not closed or has text after its closing quote; fix the quoting on that line and re-export",
      cause: error,
    });
  }

  const code = (error as { code?: unknown } | undefined)?.code;
  const detail = error instanceof Error ? error.message : String(error);
  return new SourceError({
    reason: code === "ENOENT" ? "not-found" : "unreadable",
    path: folder,
    detail,
    cause: error,
  });
};

const checkOptions = (options: FlashLeadSourceOptions): SourceError | undefined => {
  const limit = options.maxCellLength;
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 1)) {
    return new SourceError({
      reason: "invalid-input",
      path: options.folder,
      detail: `maxCellLength must be a whole number of characters of at least 1, but it is ${String(limit)} (${typeof limit})`,
      hint: "Leave it out for the default of 1048576 (1 MiB), or give a positive integer",
    });
  }

  if (options.timeZone === undefined || isTimeZone(options.timeZone)) return undefined;
  return new SourceError({
    reason: "invalid-input",
    path: options.folder,
    detail: `timeZone ${JSON.stringify(options.timeZone)} is not an IANA time zone`,
    hint: "Use a name such as Europe/Paris or America/Sao_Paulo",
  });
};

/** Reads the activity log's timestamp settings from the options. */
export const timestampSettings = (options: FlashLeadSourceOptions): TimestampSettings => {
  const order = options.dateOrder?.["activity.timestamp"] ?? options.dateOrder?.timestamp;
  return {
    ...(order === undefined ? {} : { order }),
    ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
  };
};

/**
 * Makes a source that reads a Flash Lead Sales export folder.
 *
 * The folder is listed and classified once, on the first `discover` or `read`. Each `read`
 * streams the files of one kind again, so nothing but counters and id fingerprints stays in
 * memory.
 *
 * @example
 * ```ts
 * const source = makeFlashLeadSource({ folder: "./export", dateOrder: { "activity.timestamp": "day-first" } });
 * const inventory = await Effect.runPromise(source.discover());
 * ```
 */
export const makeFlashLeadSource = (options: FlashLeadSourceOptions): Source<FlashLeadKind> => {
  let scan: Promise<ExportFolder> | undefined;
  const folder = (): Effect.Effect<ExportFolder, SourceError> => {
    const invalid = checkOptions(options);
    if (invalid !== undefined) return Effect.fail(invalid);
    return Effect.tryPromise({
      try: () => {
        scan ??= scanExportFolder(options.folder);
        return scan;
      },
      catch: (error) => toSourceError(options.folder, error),
    });
  };

  const read = (
    kind: FlashLeadKind,
    readOptions: ReadOptions = {},
  ): Stream.Stream<SourceItem, SourceError> =>
    Stream.unwrap(
      Effect.map(folder(), (scanned) => {
        const files = scanned.files.filter((file) => file.kind === kind);
        const settings = {
          timestamps: timestampSettings(options),
          maxCellLength: options.maxCellLength,
          onFileRead: readOptions.onFileRead,
        };
        // The reader yields the records of one input chunk at a time, so the stream moves them
        // in chunks and pays its per-element cost once per batch.
        const batches = readKindItemBatches(kind, files, settings);
        return Stream.fromAsyncIterable(batches, (error) =>
          toSourceError(options.folder, error),
        ).pipe(Stream.mapConcat((batch) => batch));
      }),
    );

  const discover = (): Effect.Effect<Inventory, SourceError> =>
    Effect.flatMap(folder(), (scanned) =>
      Effect.tryPromise({
        try: () => discoverExport(options, scanned),
        catch: (error) => toSourceError(options.folder, error),
      }),
    );

  return { name: "flashlead", kinds: flashLeadKinds, discover, read };
};

/** A Promise interface to the source, for callers that do not use Effect. */
export interface FlashLeadReader {
  /** Returns the inventory and audit findings. */
  readonly discover: () => Promise<Inventory>;
  /** Iterates the records and rejections of one kind. */
  readonly read: (kind: FlashLeadKind) => AsyncIterable<SourceItem>;
}

/**
 * Iterates the items of each chunk in turn. An item of the current chunk is returned in a
 * resolved promise, because an async generator's `yield*` awaits every item and costs several
 * promise steps per record. Returning early returns the chunk iterator, which stops the read.
 */
const flatten = <A>(chunks: AsyncIterable<Chunk.Chunk<A>>): AsyncIterable<A> => ({
  [Symbol.asyncIterator]: (): AsyncIterator<A> => {
    const source = chunks[Symbol.asyncIterator]();
    let items: ReadonlyArray<A> = [];
    let index = 0;

    const pull = (
      result: IteratorResult<Chunk.Chunk<A>>,
    ): Promise<IteratorResult<A>> | IteratorResult<A> => {
      if (result.done === true) return { done: true, value: undefined };
      items = Chunk.toReadonlyArray(result.value);
      index = 0;
      if (items.length === 0) return source.next().then(pull);
      index = 1;
      return { done: false, value: items[0] as A };
    };

    return {
      next: () => {
        if (index < items.length) {
          const value = items[index] as A;
          index += 1;
          return Promise.resolve({ done: false, value });
        }
        return source.next().then(pull);
      },
      return: async () => {
        items = [];
        await source.return?.();
        return { done: true, value: undefined };
      },
    };
  },
});

/**
 * Makes the Promise interface: `discover()` resolves to the inventory, and `read(kind)` is an
 * async iterable that throws the `SourceError` when the input cannot be read.
 *
 * @example
 * ```ts
 * const reader = makeFlashLeadReader({ folder: "./export" });
 * for await (const item of reader.read("lead")) console.log(item._tag, item.origin.line);
 * ```
 */
export const makeFlashLeadReader = (options: FlashLeadSourceOptions): FlashLeadReader => {
  const source = makeFlashLeadSource(options);
  return {
    discover: () => Effect.runPromise(source.discover()),
    read: (kind) => flatten(Stream.toAsyncIterable(Stream.chunks(source.read(kind)))),
  };
};
