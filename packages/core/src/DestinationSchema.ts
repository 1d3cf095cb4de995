/**
 * What a Destination reports about itself from `describe()`: users, pipelines, fields with their
 * per-account keys and options, labels and limits. Everything is resolved by name at run time.
 */
import { Schema } from "effect";

/** A user of the destination account. */
export const DestinationUser = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  /** Lowercased, trimmed e-mail address. */
  email: Schema.String,
  isActive: Schema.Boolean,
  isAdmin: Schema.Boolean,
});
export type DestinationUser = typeof DestinationUser.Type;

/** One stage of a pipeline, in display order. */
export const DestinationStage = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  order: Schema.Int,
  /** Deal probability in percent, when the destination keeps one. */
  probability: Schema.optional(Schema.Number),
});
export type DestinationStage = typeof DestinationStage.Type;

/** A pipeline with its stages in order. */
export const DestinationPipeline = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  stages: Schema.Array(DestinationStage),
});
export type DestinationPipeline = typeof DestinationPipeline.Type;

/** One option of a single- or multi-option field. */
export const FieldOption = Schema.Struct({ id: Schema.String, label: Schema.String });
export type FieldOption = typeof FieldOption.Type;

/** A field of an object kind, standard or custom. */
export const DestinationField = Schema.Struct({
  /** The key writes must use, such as `email` or a per-account custom field hash. */
  key: Schema.String,
  name: Schema.String,
  /** The destination's own type name, such as `varchar`, `enum` or `set`. */
  type: Schema.String,
  isCustom: Schema.Boolean,
  /** Whether the API accepts the field on writes. */
  isWritable: Schema.Boolean,
  options: Schema.Array(FieldOption),
});
export type DestinationField = typeof DestinationField.Type;

/** A label that records can carry, such as a Pipedrive lead label. */
export const DestinationLabel = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  /** Object kind the label applies to. */
  kind: Schema.String,
  color: Schema.optional(Schema.String),
});
export type DestinationLabel = typeof DestinationLabel.Type;

/** A kind of activity, such as a call or a meeting. */
export const DestinationActivityType = Schema.Struct({
  /** The key writes use, such as `call`. */
  key: Schema.String,
  name: Schema.String,
  isActive: Schema.Boolean,
});
export type DestinationActivityType = typeof DestinationActivityType.Type;

/** Limits of the destination account that a plan must respect. */
export const DestinationLimits = Schema.Struct({
  /** Maximum number of custom fields the account's plan allows, across object kinds. */
  customFieldCap: Schema.optional(Schema.Int),
  /** Custom fields that already exist. */
  customFieldCount: Schema.optional(Schema.Int),
  /** Request budget per day, in the destination's own unit. */
  dailyBudget: Schema.optional(Schema.Number),
});
export type DestinationLimits = typeof DestinationLimits.Type;

/**
 * The destination's schema.
 *
 * @example
 * ```ts
 * const schema: DestinationSchema = {
 *   users: [{ id: "1", name: "Ana", email: "ana@example.test", isActive: true, isAdmin: true }],
 *   pipelines: [],
 *   fields: { person: [{ key: "email", name: "Email", type: "varchar", isCustom: false, isWritable: true, options: [] }] },
 *   labels: [],
 *   activityTypes: [{ key: "call", name: "Call", isActive: true }],
 *   limits: { customFieldCap: 30, customFieldCount: 0 },
 * };
 * ```
 */
export const DestinationSchema = Schema.Struct({
  users: Schema.Array(DestinationUser),
  pipelines: Schema.Array(DestinationPipeline),
  /** Fields by object kind. */
  fields: Schema.Record({ key: Schema.String, value: Schema.Array(DestinationField) }),
  labels: Schema.Array(DestinationLabel),
  activityTypes: Schema.Array(DestinationActivityType),
  limits: DestinationLimits,
});
export type DestinationSchema = typeof DestinationSchema.Type;
