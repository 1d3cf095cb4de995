/**
 * Schema changes that a plan requests from a Destination before records move, and the result
 * `applySchema` returns. Applying the same changes twice creates nothing the second time.
 */
import { Schema } from "effect";

/** Ensure a pipeline exists with these stages, in this order. */
export const EnsurePipeline = Schema.TaggedStruct("EnsurePipeline", {
  name: Schema.String,
  stages: Schema.Array(
    Schema.Struct({ name: Schema.String, probability: Schema.optional(Schema.Number) }),
  ),
});

/** Ensure a custom field exists on an object kind, with at least these options. */
export const EnsureField = Schema.TaggedStruct("EnsureField", {
  kind: Schema.String,
  name: Schema.String,
  /** The destination's type name, such as `varchar`, `enum`, `set`, `monetary` or `date`. */
  type: Schema.String,
  options: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] }),
});

/** Ensure a record label exists. */
export const EnsureLabel = Schema.TaggedStruct("EnsureLabel", {
  kind: Schema.String,
  name: Schema.String,
  color: Schema.optional(Schema.String),
});

/** Ensure an activity type exists. */
export const EnsureActivityType = Schema.TaggedStruct("EnsureActivityType", {
  name: Schema.String,
  /** Icon or key hint for destinations that need one. */
  icon: Schema.optional(Schema.String),
});

/** Ensure a user exists for this e-mail address (it may take a paid seat). */
export const EnsureUser = Schema.TaggedStruct("EnsureUser", {
  email: Schema.String,
  name: Schema.String,
  isActive: Schema.Boolean,
});

/**
 * One schema change.
 *
 * @example
 * ```ts
 * const change: SchemaChange = EnsureField.make({
 *   kind: "person",
 *   name: "Lead source",
 *   type: "enum",
 *   options: ["Facebook", "Referral"],
 * });
 * ```
 */
export const SchemaChange = Schema.Union(
  EnsurePipeline,
  EnsureField,
  EnsureLabel,
  EnsureActivityType,
  EnsureUser,
);
export type SchemaChange = typeof SchemaChange.Type;

/** One item `applySchema` created, so that a run can journal it and a rollback remove it. */
export const CreatedSchemaItem = Schema.Struct({
  /** Item type: `pipeline`, `stage`, `field`, `option`, `label`, `activity-type`, `user`. */
  type: Schema.String,
  /** Destination id or key of the new item. */
  id: Schema.String,
  name: Schema.String,
  /** Object kind, for fields and labels. */
  kind: Schema.optional(Schema.String),
  /** Id of the item it belongs to: the pipeline of a stage, the field of an option. */
  parentId: Schema.optional(Schema.String),
});
export type CreatedSchemaItem = typeof CreatedSchemaItem.Type;

/** Result of `applySchema`: the items created and the items that already existed. */
export const SchemaApplyResult = Schema.Struct({
  created: Schema.Array(CreatedSchemaItem),
  /**
   * Items that the changes asked for and the destination already had, by change name, for the
   * report. Items the destination adds to every call on its own, such as marker fields, are
   * left out.
   */
  existing: Schema.Array(Schema.String),
});
export type SchemaApplyResult = typeof SchemaApplyResult.Type;
