/**
 * The Source contract: a connector that lists what it holds and streams it as records.
 */
import type { Effect, Stream } from "effect";

import type { Inventory } from "./Inventory.js";
import type { SourceError } from "./SourceError.js";
import type { SourceItem } from "./SourceRecord.js";

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
  readonly read: (kind: Kind) => Stream.Stream<SourceItem, SourceError>;
}
