/**
 * Builds the runner's pipeline from a mapping plan: the schema changes it needs, the source
 * kinds to stage with the fields joins search by, and the transform that reads the staging
 * store lead by lead and contact by contact. Only the joins of the record at hand and small
 * sets of ids are held in memory.
 */
import type {
  DestinationSchema,
  Pipeline,
  Rejection,
  SourceRecord,
  Staging,
  TransformOutput,
} from "@ferry/core";
import { Chunk, Effect, Option, Stream } from "effect";
import { makeRejection } from "./internal/outputs.js";
import type { MappingPlan } from "./Plan.js";
import { planHash } from "./planHash.js";
import { planSchemaChanges } from "./schemaChanges.js";
import { holdOutputs } from "./transforms/holdOutputs.js";
import { planContact } from "./transforms/planContact.js";
import { genericKinds, planGeneric } from "./transforms/planGeneric.js";
import { planLead } from "./transforms/planLead.js";
import { planRelated, type RelatedRecords } from "./transforms/planRelated.js";
import { planTeamMember } from "./transforms/planTeamMember.js";
import { RunState } from "./transforms/RunState.js";
import {
  makeTransformContext,
  type TransformContext,
  type TransformOptions,
} from "./transforms/TransformContext.js";
import { droppedColumns, unmappedColumns } from "./transforms/unmappedColumns.js";

/** Source kinds the pipeline stages, in reading order. */
const stagedKinds = ["team_member", "lead", "contact", "invoice", "activity", "message_thread"];
/** Kinds joined to leads and contacts. */
const joinedKinds = ["invoice", "activity", "message_thread"] as const;

const collect = (stream: Stream.Stream<SourceRecord>) =>
  Stream.runCollect(stream).pipe(Effect.map(Chunk.toReadonlyArray));

/** Tells whether a staged record of the kind exists for the id. */
const exists = (staging: Staging, kind: string, id: string | undefined) =>
  id === undefined || id.trim() === ""
    ? Effect.succeed(false)
    : staging.get(kind, id).pipe(Effect.map(Option.isSome));

/** Joined records of a lead (by `lead_id`). */
const relatedToLead = (staging: Staging, id: string) =>
  Effect.all({
    invoices: collect(staging.find("invoice", "lead_id", id)),
    activities: collect(staging.find("activity", "lead_id", id)),
    threads: collect(staging.find("message_thread", "lead_id", id)),
  });

/** Joined records of a contact (by `contact_id`) that no staged lead claims. */
const relatedToContact = (staging: Staging, id: string) => {
  const unclaimed = (kind: string) =>
    collect(staging.find(kind, "contact_id", id)).pipe(
      Effect.flatMap((records) =>
        Effect.filter(records, (record) =>
          exists(staging, "lead", record.fields.lead_id).pipe(Effect.map((found) => !found)),
        ),
      ),
    );
  return Effect.all({
    invoices: unclaimed("invoice"),
    activities: unclaimed("activity"),
    threads: unclaimed("message_thread"),
  });
};

/** The columns a run drops, and those it already reported. */
interface Dropped {
  readonly columns: ReadonlySet<string>;
  readonly reported: Set<string>;
}

/** Plans one record with its joins, holding everything when its owner has no user. */
const finish = (
  planned: ReturnType<typeof planLead> | ReturnType<typeof planContact>,
  record: SourceRecord,
  related: RelatedRecords,
  context: TransformContext,
  dropped: Dropped,
): ReadonlyArray<TransformOutput> => {
  const outputs: Array<TransformOutput> = [...planned.outputs];
  for (const joined of [record, ...related.invoices, ...related.activities, ...related.threads]) {
    outputs.push(...unmappedColumns(joined, dropped.columns, dropped.reported));
  }
  planRelated(record, related, planned.target, planned.links, context, outputs);
  return planned.hold === undefined ? outputs : holdOutputs(outputs, planned.hold);
};

const orphan = (record: SourceRecord): Rejection =>
  makeRejection({
    kind: record.kind,
    origin: record.origin,
    code: "orphan-record",
    message: `${record.origin}: lead "${record.fields.lead_id ?? ""}" and contact "${record.fields.contact_id ?? ""}" are not in the export, so the ${record.kind} has no record to belong to`,
    sourceId: record.sourceId,
  });

/** Rejects the joined records whose lead and contact are both missing. */
const orphans = (staging: Staging, kind: string) =>
  staging.all(kind).pipe(
    Stream.filterEffect((record) =>
      Effect.map(
        Effect.all([
          exists(staging, "lead", record.fields.lead_id),
          exists(staging, "contact", record.fields.contact_id),
        ]),
        ([lead, contact]) => !lead && !contact,
      ),
    ),
    Stream.map(orphan),
  );

/** The transform of a plan over a staging store. */
const transform = (context: TransformContext) => (staging: Staging) =>
  Stream.unwrap(
    Effect.gen(function* () {
      const state = new RunState();
      const dropped: Dropped = { columns: droppedColumns(context.plan), reported: new Set() };
      const invoiced = new Set<string>();
      yield* Stream.runForEach(staging.all("invoice"), (invoice) =>
        Effect.sync(() => invoiced.add(invoice.fields.lead_id?.trim() ?? "")),
      );

      const members = staging
        .all("team_member")
        .pipe(Stream.mapConcat((record) => planTeamMember(record, context)));
      const leads = staging.all("lead").pipe(
        Stream.mapEffect((record) =>
          relatedToLead(staging, record.sourceId).pipe(
            Effect.map((related) =>
              finish(
                planLead(record, invoiced.has(record.sourceId), context, state),
                record,
                related,
                context,
                dropped,
              ),
            ),
          ),
        ),
        Stream.flattenIterables,
      );
      const contacts = staging.all("contact").pipe(
        Stream.mapEffect((record) =>
          relatedToContact(staging, record.sourceId).pipe(
            Effect.map((related) =>
              finish(planContact(record, context, state), record, related, context, dropped),
            ),
          ),
        ),
        Stream.flattenIterables,
      );
      const generic = genericRoutes(context.plan).map((route) =>
        staging
          .all(route.from)
          .pipe(
            Stream.mapConcat((record) => [
              ...planGeneric(record, route, context, state),
              ...unmappedColumns(record, dropped.columns, dropped.reported),
            ]),
          ),
      );
      const rest = Stream.concatAll(
        Chunk.fromIterable(joinedKinds.map((kind) => orphans(staging, kind))),
      );
      return members.pipe(
        Stream.concat(leads),
        Stream.concat(contacts),
        Stream.concat(Stream.concatAll(Chunk.fromIterable(generic))),
        Stream.concat(rest),
      );
    }),
  );

/** Routes of objects the Flash Lead transforms do not read, to persons or organizations. */
const genericRoutes = (plan: MappingPlan) =>
  plan.routes.filter(
    (route) => !stagedKinds.includes(route.from) && route.to.some((kind) => genericKinds.has(kind)),
  );

/** Options of `buildPipeline` beyond the plan. */
export interface PipelineOptions extends Omit<TransformOptions, "users"> {}

/**
 * Builds the pipeline a runner runs for a confirmed plan. With the destination's schema, owners
 * mapped to users the account does not have are held in the queue.
 *
 * @example
 * ```ts
 * const pipeline = buildPipeline(plan, yield* destination.describe(), { exportFolder: "/data/export" });
 * pipeline.sourceKinds; // ["team_member", "lead", "contact", "invoice", "activity", "message_thread"]
 * ```
 */
export const buildPipeline = (
  plan: MappingPlan,
  destinationSchema?: DestinationSchema,
  options: PipelineOptions = {},
): Pipeline => {
  const users =
    destinationSchema === undefined
      ? undefined
      : new Set(destinationSchema.users.map((user) => user.email.trim().toLowerCase()));
  const context = makeTransformContext(plan, {
    ...options,
    ...(users === undefined ? {} : { users }),
  });
  const routed = new Set(plan.routes.map((route) => route.from));

  return {
    planHash: planHash(plan),
    schemaChanges: planSchemaChanges(plan),
    sourceKinds: [
      ...stagedKinds.filter((kind) => routed.has(kind)),
      ...genericRoutes(plan).map((route) => route.from),
    ],
    indexes: {
      invoice: ["lead_id", "contact_id"],
      activity: ["lead_id", "contact_id"],
      message_thread: ["lead_id", "contact_id"],
    },
    transform: transform(context),
  };
};
