/**
 * The contract between a mapping and the runner. The runner stages source records in a store
 * that can be queried by id and by field. A transform reads that store and emits planned
 * records (destination records whose links still name source records), rejections, records
 * queued for a person, and notes on lossy steps. The runner resolves the links through its id
 * map and writes the planned records in the destination's dependency order.
 */
import { type Effect, type Option, Schema, type Stream } from "effect";

import { FieldValue } from "./Destination.js";
import type { SchemaChange } from "./SchemaChange.js";
import { Origin, RecordRef, Rejection, type SourceRecord } from "./SourceRecord.js";

/** Read access to the staged source records, indexed by id and by the fields a mapping joins on. */
export interface Staging {
  /** Streams every staged record of a kind, in source order. */
  readonly all: (kind: string) => Stream.Stream<SourceRecord>;
  /** Returns one staged record by its source id. */
  readonly get: (kind: string, sourceId: string) => Effect.Effect<Option.Option<SourceRecord>>;
  /** Streams the staged records of a kind whose field equals the value (exact match). */
  readonly find: (kind: string, field: string, value: string) => Stream.Stream<SourceRecord>;
  /**
   * Returns the staged records of a kind whose field equals one of the values (exact match),
   * grouped by that value, each group in source order. A value no record has is absent from
   * the map. A transform that joins a page of parents at once makes one call per page instead
   * of one `find` per parent. The whole result is in memory, so pass a bounded set of values.
   */
  readonly findMany: (
    kind: string,
    field: string,
    values: ReadonlyArray<string>,
  ) => Effect.Effect<ReadonlyMap<string, ReadonlyArray<SourceRecord>>>;
  /** Returns the staged records of a kind among the given source ids, by source id. */
  readonly getMany: (
    kind: string,
    sourceIds: ReadonlyArray<string>,
  ) => Effect.Effect<ReadonlyMap<string, SourceRecord>>;
  /** Counts the staged records of a kind. */
  readonly count: (kind: string) => Effect.Effect<number>;
  /**
   * Returns why rows of a kind with the given source ids were not staged: the first rejection
   * the source or the staging recorded for each id, by source id. An id that was staged, or
   * that no rejection names, is absent from the map. Pass a bounded set of ids.
   */
  readonly rejections: (
    kind: string,
    sourceIds: ReadonlyArray<string>,
  ) => Effect.Effect<ReadonlyMap<string, StagedRejection>>;
  /**
   * Returns the header cell of each column as the file wrote it, by file and then by the
   * column name records carry, so that messages can name a column the way its file does. A
   * staging that does not know the headers leaves this out or returns an empty map.
   */
  readonly columnHeaders?: () => Effect.Effect<ReadonlyMap<string, ReadonlyMap<string, string>>>;
}

/** The origin and rejection code of a source row that was not staged. */
export interface StagedRejection {
  readonly origin: Origin;
  readonly code: string;
}

/**
 * A destination record planned from source records. Its identity is the pair of its
 * destination kind and its `ref`, which must be unique: a lead that becomes a person and a deal
 * gives two planned records with the same ref but different kinds.
 *
 * @example
 * ```ts
 * const deal = PlannedRecord.make({
 *   kind: "deal",
 *   ref: { kind: "invoice", sourceId: "INV-7" },
 *   origin: new Origin({ file: "invoices.csv", line: 8 }),
 *   fields: { title: "Invoice 2024-007", value: 1000.5, currency: "BRL", status: "won" },
 *   custom: { "Invoice number": "2024-007" },
 *   links: { person_id: { kind: "lead", sourceId: "L-3" } },
 * });
 * ```
 */
export const PlannedRecord = Schema.TaggedStruct("PlannedRecord", {
  /** Destination object kind, such as `person` or `deal`. */
  kind: Schema.String,
  ref: RecordRef,
  /** Origin (file and line) of the main source record. */
  origin: Origin,
  /** Standard fields by destination key. */
  fields: Schema.Record({ key: Schema.String, value: FieldValue }),
  /** Custom fields by name. */
  custom: Schema.Record({ key: Schema.String, value: FieldValue }),
  /**
   * Link fields naming the planned record they point to, by its ref. The destination kind of
   * the target is given in `linkKinds` when the ref alone is ambiguous.
   */
  links: Schema.Record({ key: Schema.String, value: RecordRef }),
  /** Destination kind of each link's target, by link field. */
  linkKinds: Schema.optionalWith(Schema.Record({ key: Schema.String, value: Schema.String }), {
    default: () => ({}),
  }),
});
export type PlannedRecord = typeof PlannedRecord.Type;

/** A record held for a person to decide, such as an unmatched owner or a duplicate e-mail. */
export const QueuedRecord = Schema.TaggedStruct("QueuedRecord", {
  /** Destination kind the record would have become. */
  kind: Schema.String,
  ref: RecordRef,
  origin: Origin,
  /** Stable reason code, such as `owner-without-user` or `duplicate-email`. */
  reason: Schema.String,
  message: Schema.String,
  /** The value the decision is about, such as the owner's e-mail. */
  value: Schema.optional(Schema.String),
});
export type QueuedRecord = typeof QueuedRecord.Type;

/** A value that moved with a loss, recorded for the report. */
export const LossyStep = Schema.TaggedStruct("LossyStep", {
  ref: RecordRef,
  origin: Origin,
  /** Source column or field the loss is about. */
  field: Schema.String,
  /** Stable code, such as `truncated` or `attachment-missing`. */
  code: Schema.String,
  message: Schema.String,
  value: Schema.optional(Schema.String),
});
export type LossyStep = typeof LossyStep.Type;

/** Output item of a transform. */
export const TransformOutput = Schema.Union(PlannedRecord, Rejection, QueuedRecord, LossyStep);
export type TransformOutput = typeof TransformOutput.Type;

/**
 * A confirmed mapping in the form the runner runs: the schema changes it needs and the transform
 * that plans the destination records from the staged source records.
 */
export interface Pipeline {
  /** Content hash of the confirmed plan the pipeline was built from. */
  readonly planHash: string;
  readonly schemaChanges: ReadonlyArray<SchemaChange>;
  /** Source object kinds to stage, in the order they are read. */
  readonly sourceKinds: ReadonlyArray<string>;
  /** Fields of each source kind that `Staging.find` must be able to search by. */
  readonly indexes: Readonly<Record<string, ReadonlyArray<string>>>;
  readonly transform: (staging: Staging) => Stream.Stream<TransformOutput>;
}
