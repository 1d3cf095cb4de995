/**
 * The Destination contract: a connector that describes its schema, applies schema changes,
 * writes records in dependency order, reads them back and deletes them.
 */
import { type Effect, Schema, type Stream } from "effect";

import type { DestinationError } from "./DestinationError.js";
import type { DestinationSchema } from "./DestinationSchema.js";
import type { CreatedSchemaItem, SchemaApplyResult, SchemaChange } from "./SchemaChange.js";
import { RecordRef } from "./SourceRecord.js";

/** A typed field value: JSON data, already normalized by the mapping. */
export type FieldValue =
  | string
  | number
  | boolean
  | null
  | ReadonlyArray<FieldValue>
  | { readonly [key: string]: FieldValue };

/** Schema of `FieldValue`. */
export const FieldValue: Schema.Schema<FieldValue> = Schema.Union(
  Schema.String,
  Schema.Number,
  Schema.Boolean,
  Schema.Null,
  Schema.Array(Schema.suspend(() => FieldValue)),
  Schema.Record({ key: Schema.String, value: Schema.suspend(() => FieldValue) }),
);

/** An object kind of the destination and the kinds that must be written before it. */
export const ObjectKindSpec = Schema.Struct({
  kind: Schema.String,
  dependsOn: Schema.Array(Schema.String),
});
export type ObjectKindSpec = typeof ObjectKindSpec.Type;

/**
 * A record ready to write: values typed by the mapping, links resolved to destination ids.
 *
 * @example
 * ```ts
 * const person: OutboundRecord = {
 *   kind: "person",
 *   ref: { kind: "contact", sourceId: "C-17" },
 *   fields: { name: "Ana Lima", emails: [{ value: "ana@example.test", primary: true }] },
 *   custom: { "Lead source": "Facebook" },
 *   links: { org_id: "42" },
 * };
 * ```
 */
export const OutboundRecord = Schema.Struct({
  kind: Schema.String,
  /** The source record this one comes from; destinations store it in a marker field. */
  ref: RecordRef,
  /** Standard fields by their destination key. */
  fields: Schema.Record({ key: Schema.String, value: FieldValue }),
  /** Custom fields by their name; the destination resolves names to per-account keys. */
  custom: Schema.Record({ key: Schema.String, value: FieldValue }),
  /** Link fields (such as `org_id`) resolved to destination ids. */
  links: Schema.Record({ key: Schema.String, value: Schema.String }),
  /** Set to update this existing destination record instead of creating one. */
  destinationId: Schema.optional(Schema.String),
});
export type OutboundRecord = typeof OutboundRecord.Type;

/** A record the destination accepted. */
export const Written = Schema.TaggedStruct("Written", {
  ref: RecordRef,
  id: Schema.String,
  action: Schema.Literal("created", "updated"),
});
export type Written = typeof Written.Type;

/** A record the destination rejected; the run keeps going with the others. */
export const WriteRejected = Schema.TaggedStruct("WriteRejected", {
  ref: RecordRef,
  reason: Schema.String,
  message: Schema.String,
  status: Schema.optional(Schema.Int),
});
export type WriteRejected = typeof WriteRejected.Type;

/** The outcome of writing one record, in the order of the batch. */
export const WriteResult = Schema.Union(Written, WriteRejected);
export type WriteResult = typeof WriteResult.Type;

/** A record read back, normalized so that its values compare with what was written. */
export const ReadBackRecord = Schema.Struct({
  kind: Schema.String,
  id: Schema.String,
  /** The source record it came from, read from the marker field; absent if it has none. */
  ref: Schema.optional(RecordRef),
  fields: Schema.Record({ key: Schema.String, value: FieldValue }),
  custom: Schema.Record({ key: Schema.String, value: FieldValue }),
  links: Schema.Record({ key: Schema.String, value: Schema.String }),
  /** Last update time in the destination, as ISO 8601. */
  updatedAt: Schema.optional(Schema.String),
});
export type ReadBackRecord = typeof ReadBackRecord.Type;

/** The outcome of deleting one record. */
export const RemoveResult = Schema.Struct({
  id: Schema.String,
  removed: Schema.Boolean,
  /** Reason it was not removed. A record that is already gone counts as removed. */
  reason: Schema.optional(Schema.String),
});
export type RemoveResult = typeof RemoveResult.Type;

/**
 * A system that records go to.
 *
 * Errors that concern one record (a rejected payload) come back as `WriteRejected` results.
 * The effect fails only when the whole call failed, with a `DestinationError` whose reason
 * tells whether a retry can help and whether the run must halt.
 */
export interface Destination {
  /** Connector name, such as `pipedrive`. */
  readonly name: string;
  /** Object kinds with their dependencies; write them in `orderKinds(kinds)` order. */
  readonly kinds: ReadonlyArray<ObjectKindSpec>;
  /**
   * Returns the account's schema: users, pipelines, fields, labels, activity types, limits. A
   * destination may return the schema it read earlier, kept current with its own schema changes.
   */
  readonly describe: () => Effect.Effect<DestinationSchema, DestinationError>;
  /**
   * Schema changes that `applySchema` makes on every call besides the ones it is given, such as
   * marker fields. The runner journals their items like those of the given changes.
   */
  readonly addedSchemaChanges?: ReadonlyArray<SchemaChange>;
  /** Makes the schema changes that are missing; running it twice creates nothing the second time. */
  readonly applySchema: (
    changes: ReadonlyArray<SchemaChange>,
  ) => Effect.Effect<SchemaApplyResult, DestinationError>;
  /** Writes a batch of one kind and returns one result per record, in batch order. */
  readonly write: (
    kind: string,
    batch: ReadonlyArray<OutboundRecord>,
  ) => Effect.Effect<ReadonlyArray<WriteResult>, DestinationError>;
  /** Finds records already written for these source records, by the marker field. */
  readonly lookup: (
    kind: string,
    refs: ReadonlyArray<RecordRef>,
  ) => Effect.Effect<ReadonlyMap<string, string>, DestinationError>;
  /** Reads records back by destination id, page by page. */
  readonly readBack: (
    kind: string,
    ids: ReadonlyArray<string>,
  ) => Stream.Stream<ReadBackRecord, DestinationError>;
  /** Deletes records by destination id and reports what could not be deleted and why. */
  readonly remove: (
    kind: string,
    ids: ReadonlyArray<string>,
  ) => Effect.Effect<ReadonlyArray<RemoveResult>, DestinationError>;
  /**
   * Deletes schema items that `applySchema` created, newest first, for a rollback that removes
   * them; one result per item, in the order of the items. Destinations without it keep their
   * schema items.
   */
  readonly removeSchema?: (
    items: ReadonlyArray<CreatedSchemaItem>,
  ) => Effect.Effect<ReadonlyArray<RemoveResult>, DestinationError>;
}

/**
 * Orders object kinds so that every kind comes after the kinds it depends on; kinds without a
 * mutual dependency keep their declared order.
 *
 * @throws Error when the dependencies form a cycle or name an undeclared kind.
 */
export const orderKinds = (kinds: ReadonlyArray<ObjectKindSpec>): ReadonlyArray<string> => {
  const declared = new Map(kinds.map((spec) => [spec.kind, spec]));
  const ordered: Array<string> = [];
  const state = new Map<string, "visiting" | "done">();

  const visit = (kind: string, path: ReadonlyArray<string>): void => {
    const spec = declared.get(kind);
    if (spec === undefined) {
      throw new Error(`Kind "${kind}" is a dependency of "${path.at(-1)}" but is not declared`);
    }
    if (state.get(kind) === "done") return;
    if (state.get(kind) === "visiting") {
      throw new Error(`Kinds depend on each other in a cycle: ${[...path, kind].join(" -> ")}`);
    }

    state.set(kind, "visiting");
    for (const dependency of spec.dependsOn) visit(dependency, [...path, kind]);
    state.set(kind, "done");
    ordered.push(kind);
  };

  for (const spec of kinds) visit(spec.kind, []);
  return ordered;
};
