/**
 * The Source contract: a connector that lists what it holds and streams it as records.
 */
import type { Effect, Stream } from "effect";

import type { Inventory, SkippedRows } from "./Inventory.js";
import type { SourceError } from "./SourceError.js";
import type { SourceItem } from "./SourceRecord.js";

/** A column of a file: the name records carry and the header cell as written. */
export interface FileColumn {
  readonly name: string;
  readonly header: string;
}

/** Report a source gives about one file once it has read it. */
export interface FileRead {
  /** Source object kind of the file. */
  readonly kind: string;
  /** The file as the origins of its records and rejections name it. */
  readonly file: string;
  /** The file's columns in header order; empty when the file has no header row. */
  readonly columns: ReadonlyArray<FileColumn>;
  /** Rows read past, neither a record nor a rejection, by reason. */
  readonly skipped: SkippedRows;
}

/** Options of one `Source.read`. */
export interface ReadOptions {
  /**
   * Called once for each file of the kind, after the file is read to its end or its reading
   * failed. A source that does not report files never calls it.
   */
  readonly onFileRead?: ((file: FileRead) => void) | undefined;
}

/**
 * A system that records come from.
 *
 * `read` streams one object kind in source order and never loads a whole file into memory.
 * A row that cannot become a record is emitted as a `Rejection`; the stream fails with a
 * `SourceError` only when the input cannot be read at all.
 *
 * @example
 * ```ts
 * const count = (source: Source) =>
 *   source.read("lead").pipe(Stream.runFold(0, (n) => n + 1));
 * ```
 */
export interface Source<Kind extends string = string> {
  /** Connector name, such as `flashlead`. */
  readonly name: string;
  /** Object kinds this source can read. */
  readonly kinds: ReadonlyArray<Kind>;
  /** Reads the whole source once and returns what it holds, with audit findings. */
  readonly discover: () => Effect.Effect<Inventory, SourceError>;
  /** Streams the records and rejections of one object kind. */
  readonly read: (kind: Kind, options?: ReadOptions) => Stream.Stream<SourceItem, SourceError>;
}
