/**
 * Builds the runner's pipeline from a mapping plan: the schema changes it needs, the source
 * kinds to stage with the fields joins search by, and the transform that reads the staging
 * store a page of leads or contacts at a time and joins each page with one query per joined
 * kind. Only a page and its joined records are held in memory. The dedupe keys and the planned
 * organizations of the run are in the run state's temporary database.
 */
import type {
  DestinationSchema,
  Pipeline,
  Rejection,
  SourceRecord,
  Staging,
  TransformOutput,
} from "@ferry/core";
import { Chunk, Effect, Stream } from "effect";
import {
  leadsOf,
  type Orphan,
  orphansOf,
  relatedByParent,
  unclaimedByContact,
} from "./internal/joinPage.js";
import { kindName } from "./internal/kindNames.js";
import { makeRejection } from "./internal/outputs.js";
import type { MappingPlan } from "./Plan.js";
import { planHash } from "./planHash.js";
import { planSchemaChanges } from "./schemaChanges.js";
import { holdOutputs } from "./transforms/holdOutputs.js";
import { activityKindOf } from "./transforms/planActivity.js";
import { planContact } from "./transforms/planContact.js";
import { genericKinds, planGeneric } from "./transforms/planGeneric.js";
import { planLead } from "./transforms/planLead.js";
import { planRelated, type RelatedRecords } from "./transforms/planRelated.js";
import { planTeamMember } from "./transforms/planTeamMember.js";
import { RunState } from "./transforms/RunState.js";
import { ownerKey } from "./transforms/resolveOwner.js";
import {
  makeTransformContext,
  type TransformContext,
  type TransformOptions,
  withColumnHeaders,
} from "./transforms/TransformContext.js";
import { droppedColumns, unmappedColumns } from "./transforms/unmappedColumns.js";

/** Source kinds the pipeline stages, in reading order. */
const stagedKinds = ["team_member", "lead", "contact", "invoice", "activity", "message_thread"];
/** Kinds joined to leads and contacts. */
const joinedKinds = ["invoice", "activity", "message_thread"] as const;

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
  const held = planned.hold !== undefined;
  planRelated(record, related, planned.target, planned.links, context, outputs, held);
  return planned.hold === undefined ? outputs : holdOutputs(outputs, planned.hold);
};

/** Names the lead and contact ids of a record, leaving out those it does not have. */
const missingParents = (record: SourceRecord): string => {
  const named = (["lead", "contact"] as const)
    .map((kind) => [kind, record.fields[`${kind}_id`]?.trim() ?? ""] as const)
    .filter(([, id]) => id !== "")
    .map(([kind, id]) => `${kind} "${id}"`);
  if (named.length === 0) return "it names no lead or contact";
  return `${named.join(" and ")} ${named.length === 1 ? "is" : "are"} not in the export`;
};

const orphan = ({ record, rejectedParent: parent }: Orphan): Rejection => {
  return makeRejection({
    kind: record.kind,
    origin: record.origin,
    code: parent === undefined ? "orphan-record" : "parent-rejected",
    message:
      parent === undefined
        ? `${record.origin}: ${missingParents(record)}, so the ${kindName(record.kind)} has no record to belong to; add the lead or contact to the export, or correct the id`
        : `${record.origin}: its ${parent.kind} ${parent.sourceId} was rejected (${parent.rejection.origin}, ${parent.rejection.code}), so the ${kindName(record.kind)} has no record to belong to; fix that row and this one follows it`,
    sourceId: record.sourceId,
  });
};

/** Applies a synchronous step to every record of a chunk and flattens the outputs. */
const flatChunk = <A>(
  chunk: Chunk.Chunk<SourceRecord>,
  step: (record: SourceRecord) => ReadonlyArray<A>,
): Chunk.Chunk<A> => {
  const outputs: Array<A> = [];
  for (const record of chunk) outputs.push(...step(record));
  return Chunk.unsafeFromArray(outputs);
};

/**
 * Rejects the joined records whose lead and contact are both missing, a page at a time. Log
 * entries that become a kind the activity route leaves out are skipped, as for joined ones.
 */
const orphans = (staging: Staging, kind: string, context: TransformContext) =>
  staging.all(kind).pipe(
    Stream.mapChunksEffect((chunk) => {
      const kinds = context.routeKinds("activity");
      const routed = Chunk.toReadonlyArray(chunk).filter(
        (record) => kind !== "activity" || kinds.has(activityKindOf(record)),
      );
      return orphansOf(staging, routed).pipe(
        Effect.map((found) => Chunk.unsafeFromArray(found.map(orphan))),
      );
    }),
  );

/**
 * Collects the trimmed `lead_id` of the invoices whose `lead_id` has surrounding spaces. An
 * exact join does not find those invoices, but a lead they name still counts as invoiced, so
 * only these ids are held in memory while every other lead's invoices come from its page join.
 */
const paddedInvoiceLeads = (staging: Staging) =>
  Stream.runFold(staging.all("invoice"), new Set<string>(), (padded, invoice) => {
    const id = invoice.fields.lead_id;
    if (id !== undefined && id !== id.trim()) padded.add(id.trim());
    return padded;
  });

/** The transform of a plan over a staging store. */
const transform = (planContext: TransformContext) => (staging: Staging) =>
  Stream.unwrapScoped(
    Effect.gen(function* () {
      const headers =
        staging.columnHeaders === undefined ? new Map() : yield* staging.columnHeaders();
      const context = withColumnHeaders(planContext, headers);
      const state = yield* Effect.acquireRelease(
        Effect.sync(() => new RunState()),
        (opened) => Effect.sync(() => opened.close()),
      );
      const dropped: Dropped = { columns: droppedColumns(context.plan), reported: new Set() };
      const padded = yield* paddedInvoiceLeads(staging);

      const members = staging
        .all("team_member")
        .pipe(Stream.mapChunks((chunk) => flatChunk(chunk, (r) => planTeamMember(r, context))));
      const leads = staging.all("lead").pipe(
        Stream.mapChunksEffect((chunk) =>
          relatedByParent(staging, "lead_id", Chunk.toReadonlyArray(chunk)).pipe(
            Effect.map((related) =>
              flatChunk(chunk, (record) => {
                const joined = related(record);
                const invoiced = joined.invoices.length > 0 || padded.has(record.sourceId);
                const planned = planLead(record, invoiced, context, state);
                return finish(planned, record, joined, context, dropped);
              }),
            ),
          ),
        ),
      );
      const contacts = staging.all("contact").pipe(
        Stream.mapChunksEffect((chunk) => {
          const page = Chunk.toReadonlyArray(chunk);
          return Effect.all([unclaimedByContact(staging, page), leadsOf(staging, page)]).pipe(
            Effect.map(([related, leadOf]) =>
              flatChunk(chunk, (record) =>
                finish(
                  planContact(record, leadOf(record), context, state),
                  record,
                  related(record),
                  context,
                  dropped,
                ),
              ),
            ),
          );
        }),
      );
      const generic = genericRoutes(context.plan).map((route) =>
        staging
          .all(route.from)
          .pipe(
            Stream.mapChunks((chunk) =>
              flatChunk(chunk, (record) => [
                ...planGeneric(record, route, context, state),
                ...unmappedColumns(record, dropped.columns, dropped.reported),
              ]),
            ),
          ),
      );
      const rest = Stream.concatAll(
        Chunk.fromIterable(joinedKinds.map((kind) => orphans(staging, kind, context))),
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
 * Builds the pipeline a runner runs for a confirmed plan. Only objects routed to at least one
 * kind are staged, and team members always are. With the destination's schema, owners mapped to
 * users that neither the account has nor the plan adds are held in the queue.
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
  // The users phase creates the users the plan adds before any record is written, so owners
  // mapped to them resolve as if they were already in the account.
  const users =
    destinationSchema === undefined
      ? undefined
      : new Set([
          ...destinationSchema.users.map((user) => ownerKey(user.email)),
          ...plan.owners.filter((owner) => owner.action === "add").map((o) => ownerKey(o.email)),
        ]);
  const context = makeTransformContext(plan, {
    ...options,
    ...(users === undefined ? {} : { users }),
  });
  // Team members are matched to users, so their route is empty and still stages them. Any
  // other object routed to no kind is not read at all.
  const routed = new Set(
    plan.routes
      .filter((route) => route.from === "team_member" || route.to.length > 0)
      .map((route) => route.from),
  );

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
