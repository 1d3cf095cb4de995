/**
 * The mapping plan: the contract between what was found in an export and what lands in the
 * destination. It is drafted by a proposer, edited by a person as YAML, confirmed, and then run.
 * Every field is documented in docs/mapping-plan.md.
 */
import { isTimeZone } from "@ferry/core";
import { Schema } from "effect";

import { routeProblem } from "./routeRules.js";

/** Current version of the plan format. */
export const planVersion = 1;

/** Date order of a source file's date columns. */
export const PlanDateOrder = Schema.Literal("day-first", "month-first", "year-first");

const TimeZone = Schema.String.pipe(
  Schema.filter((name) => isTimeZone(name) || `"${name}" is not an IANA time zone name`),
);
const CurrencyCode = Schema.String.pipe(
  Schema.pattern(/^[A-Z]{3}$/, { message: () => "expected an ISO 4217 code such as EUR" }),
);
const CountryCode = Schema.String.pipe(
  Schema.pattern(/^[A-Z]{2}$/, { message: () => "expected an ISO 3166 code such as BR" }),
);
const Confidence = Schema.Number.pipe(Schema.between(0, 1));

/** Reading and typing settings of one source file. */
export const SourceFileSettings = Schema.Struct({
  /** Source object kind the file holds. */
  object: Schema.String,
  /** Path relative to the export folder. */
  path: Schema.String,
  encoding: Schema.String,
  delimiter: Schema.String,
  dateOrder: PlanDateOrder,
  /** IANA time zone of times written without an offset. */
  timeZone: TimeZone,
  /** BCP 47 locale whose separators money and numbers use, such as `pt-BR`. */
  numberLocale: Schema.String,
  defaultCurrency: CurrencyCode,
  defaultPhoneCountry: CountryCode,
});
export type SourceFileSettings = typeof SourceFileSettings.Type;

/**
 * A source object and the destination kinds its records become. The kinds must fit the
 * object's rule in `routeRules`, so an edit the transforms cannot follow is rejected.
 */
export const ObjectRoute = Schema.Struct({
  from: Schema.String,
  to: Schema.Array(Schema.String),
  reason: Schema.optional(Schema.String),
}).pipe(
  Schema.filter((route) => {
    const problem = routeProblem(route.from, route.to);
    return problem === undefined ? true : { path: ["to"], message: problem };
  }),
);
export type ObjectRoute = typeof ObjectRoute.Type;

/** Rules that decide what a source lead becomes. */
export const LeadSplit = Schema.Struct({
  /** A lead with at least one invoice becomes a person, whatever its stage. */
  invoiceMakesPerson: Schema.Boolean,
  /** Custom field on the lead and the person that keeps the original stage. */
  originalStageField: Schema.String,
});
export type LeadSplit = typeof LeadSplit.Type;

/** Destination field types the plan can create custom fields with. */
export const CustomFieldType = Schema.Literal(
  "varchar",
  "text",
  "double",
  "monetary",
  "enum",
  "set",
  "date",
  "time",
  "phone",
  "address",
);
export type CustomFieldType = typeof CustomFieldType.Type;

/** A standard field of a destination kind, by its key. */
export const StandardTarget = Schema.Struct({ kind: Schema.String, field: Schema.String });

/** A custom field of a destination kind, by name, created when missing. */
export const CustomTarget = Schema.Struct({
  kind: Schema.String,
  custom: Schema.String,
  type: CustomFieldType,
  options: Schema.optional(Schema.Array(Schema.String)),
});

/** The destination field of a source column. */
export const FieldTarget = Schema.Union(StandardTarget, CustomTarget);
export type FieldTarget = typeof FieldTarget.Type;

/** The typing a source value goes through on its way to the target. */
export const ValueTransform = Schema.Literal(
  "text",
  "email",
  "phone",
  "date",
  "datetime",
  "money",
  "currency",
  "number",
  "boolean",
  "url",
  "first-name",
  "last-name",
  "full-name",
  "stage",
  "lead-source",
  "tags",
  "owner",
  "note",
  "attachment",
  "reference",
);
export type ValueTransform = typeof ValueTransform.Type;

/** One source column and where it goes; without a target the column is not migrated. */
export const FieldMapping = Schema.Struct({
  object: Schema.String,
  column: Schema.String,
  target: Schema.optional(FieldTarget),
  transform: ValueTransform,
  confidence: Confidence,
  reason: Schema.String,
  /** Set when a person must decide; a column marked for review is not migrated. */
  review: Schema.optional(Schema.Boolean),
});
export type FieldMapping = typeof FieldMapping.Type;

/** The outcome of records in one source stage. */
export const StageOutcome = Schema.Literal("lead", "deal", "won", "lost", "customer");
export type StageOutcome = typeof StageOutcome.Type;

/** One source stage and its outcome; without `to` the stage's leads wait in the queue. */
export const StageMapping = Schema.Struct({
  value: Schema.String,
  to: Schema.optional(StageOutcome),
  /** Lead label, for `lead`. */
  label: Schema.optional(Schema.String),
  /** Pipeline and stage names, for `deal` and `lost` (a lost deal sits in its last stage). */
  pipeline: Schema.optional(Schema.String),
  stage: Schema.optional(Schema.String),
  confidence: Confidence,
  reason: Schema.String,
  /** Set when a person must decide the outcome. */
  review: Schema.optional(Schema.Boolean),
});
export type StageMapping = typeof StageMapping.Type;

/** A source value and the option it becomes. */
export const OptionMapping = Schema.Struct({ value: Schema.String, option: Schema.String });
export type OptionMapping = typeof OptionMapping.Type;

/** Lead sources to the options of a single-option custom field. */
export const LeadSourceMap = Schema.Struct({
  /** Name of the single-option custom field on persons and deals. */
  field: Schema.String,
  values: Schema.Array(OptionMapping),
});

/** Tags to the options of a multi-option custom field. */
export const TagMap = Schema.Struct({
  /** Name of the multi-option custom field on persons and deals. */
  field: Schema.String,
  /** Characters a tag list is split on. */
  separators: Schema.Array(Schema.String),
  values: Schema.Array(OptionMapping),
});

/** The decision about the records of one source owner. */
export const OwnerAction = Schema.Literal("user", "add", "map", "queue");

/** One source owner, by e-mail. */
export const OwnerMapping = Schema.Struct({
  email: Schema.String,
  name: Schema.optional(Schema.String),
  /**
   * `user`: an existing user with the same e-mail; `add`: create the user (a paid seat);
   * `map`: records go to the user named in `user`; `queue`: records wait in the queue.
   */
  action: OwnerAction,
  user: Schema.optional(Schema.String),
  /** Whether an added user is active. */
  active: Schema.optionalWith(Schema.Boolean, { default: () => true }),
  reason: Schema.String,
});
export type OwnerMapping = typeof OwnerMapping.Type;

/** A pipeline with its stages in order. */
export const PlanPipeline = Schema.Struct({
  name: Schema.String,
  stages: Schema.Array(
    Schema.Struct({
      name: Schema.String,
      probability: Schema.optional(Schema.Number.pipe(Schema.between(0, 100))),
    }),
  ),
});
export type PlanPipeline = typeof PlanPipeline.Type;

/** Pipedrive visibility: 1 owner only, 3 owner's group, 5 group and subgroups, 7 company. */
export const VisibleTo = Schema.Literal(1, 3, 5, 7);

/** Visibility per destination kind; a kind left out takes the account's default. */
export const Visibility = Schema.Struct({
  organization: Schema.optional(VisibleTo),
  person: Schema.optional(VisibleTo),
  deal: Schema.optional(VisibleTo),
  lead: Schema.optional(VisibleTo),
});

/** The keys duplicates are found by. */
export const DedupePolicy = Schema.Struct({
  keys: Schema.Array(Schema.Literal("email", "phone")),
});

/** The kinds of records that wait in the reconciliation queue instead of being written. */
export const QueuePolicy = Schema.Struct({
  duplicates: Schema.Boolean,
  ownersWithoutUser: Schema.Boolean,
});

/** Invoice settings: the pipeline their deals go to and how statuses map. */
export const InvoiceSettings = Schema.Struct({
  pipeline: Schema.String,
  stage: Schema.String,
  wonStatuses: Schema.Array(Schema.String),
  lostStatuses: Schema.Array(Schema.String),
});

/** The approval of a plan: its content hash, the person who confirmed it, and when. */
export const PlanApproval = Schema.Struct({
  hash: Schema.String,
  by: Schema.String,
  at: Schema.String,
});
export type PlanApproval = typeof PlanApproval.Type;

/**
 * A mapping plan.
 *
 * @example
 * ```ts
 * const plan = Schema.decodeUnknownSync(MappingPlan)(YAML.parse(text));
 * plan.stages.find((stage) => stage.value === "Won")?.to; // "won"
 * ```
 */
export const MappingPlan = Schema.Struct({
  version: Schema.Literal(planVersion),
  source: Schema.String,
  /** Export folder the plan was drafted from. */
  location: Schema.String,
  files: Schema.Array(SourceFileSettings),
  routes: Schema.Array(ObjectRoute),
  leadSplit: LeadSplit,
  fields: Schema.Array(FieldMapping),
  stages: Schema.Array(StageMapping),
  leadSources: LeadSourceMap,
  tags: TagMap,
  owners: Schema.Array(OwnerMapping),
  /**
   * E-mail of the Pipedrive user who owns records without an owner: an empty owner cell, or an
   * owner missing from `owners` while `queue.ownersWithoutUser` is false. Without it they are
   * owned by the API token's user, and each such record is recorded as a lossy step.
   */
  defaultOwner: Schema.optional(Schema.String),
  pipelines: Schema.Array(PlanPipeline),
  invoices: InvoiceSettings,
  visibility: Visibility,
  dedupe: DedupePolicy,
  queue: QueuePolicy,
  approval: Schema.optional(PlanApproval),
});
export type MappingPlan = typeof MappingPlan.Type;
/** The plan as written in a file, before defaults apply. */
export type MappingPlanEncoded = typeof MappingPlan.Encoded;
