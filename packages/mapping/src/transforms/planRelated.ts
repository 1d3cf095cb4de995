/**
 * The records that hang off a lead or contact: invoices as deals, the stage history and other
 * activities, message threads, the notes column and attachments. A record whose lead or contact
 * has no target (its person was rejected) is rejected with the reason.
 */
import type { FieldValue, Rejection, SourceRecord, TransformOutput } from "@ferry/core";
import { makePlanned, makeRejection } from "../internal/outputs.js";
import { normalizeDate } from "../normalize/normalizeDate.js";
import type { NoteTarget } from "./NoteTarget.js";
import { activityKindOf, planActivity } from "./planActivity.js";
import { planAttachments } from "./planAttachments.js";
import { type InvoiceLinks, planInvoice } from "./planInvoice.js";
import { planNotesColumn } from "./planNotesColumn.js";
import { planThread } from "./planThread.js";
import { planStageHistory, stageTransitions } from "./stageHistory.js";
import type { TransformContext } from "./TransformContext.js";

/** Staged records joined to one lead or contact. */
export interface RelatedRecords {
  readonly invoices: ReadonlyArray<SourceRecord>;
  readonly activities: ReadonlyArray<SourceRecord>;
  readonly threads: ReadonlyArray<SourceRecord>;
}

const noTarget = (record: SourceRecord, owner: SourceRecord): Rejection =>
  makeRejection({
    kind: record.kind,
    origin: record.origin,
    code: "parent-not-planned",
    message: `${record.origin}: its ${owner.kind} ${owner.sourceId} (${owner.origin}) was rejected, so it has no record to attach to`,
    sourceId: record.sourceId,
  });

const isTransition = (record: SourceRecord) => record.fields.activity_kind === "stage_transition";

/** Adds the stage-history custom fields to the planned deal or lead of the target. */
const withHistory = (
  outputs: Array<TransformOutput>,
  target: NoteTarget,
  custom: Record<string, FieldValue>,
): void => {
  if (Object.keys(custom).length === 0 || target.kind === "person") return;
  const index = outputs.findIndex(
    (output) =>
      output._tag === "PlannedRecord" &&
      output.kind === target.kind &&
      output.ref.sourceId === target.ref.sourceId,
  );
  const main = outputs[index];
  if (main?._tag !== "PlannedRecord") return;
  outputs[index] = makePlanned({ ...main, custom: { ...main.custom, ...custom } });
};

/**
 * Plans the activity log of a lead or contact: stage history notes and other entries. Entries
 * that become a kind the activity route leaves out are skipped with their rejections, and the
 * stage history notes need `note` in the route. The time-in-stage fields are kept whenever the
 * log is read, because they belong to the deal or lead.
 */
const planLog = (
  owner: SourceRecord,
  context: TransformContext,
  activities: ReadonlyArray<SourceRecord>,
  target: NoteTarget,
  outputs: Array<TransformOutput>,
): void => {
  const kinds = context.routeKinds("activity");
  const transitions = stageTransitions(activities);
  const settings = context.settings(owner.kind);
  const updated = normalizeDate(
    owner.fields.updated_at ?? "",
    settings.dateOrder,
    settings.timeZone,
  );
  const until = updated.ok ? updated.value.timestamp : undefined;
  const history = planStageHistory(transitions, target, until);
  if (kinds.has("note")) outputs.push(...history.notes);
  withHistory(outputs, target, history.custom);

  for (const activity of activities) {
    if (!kinds.has(activityKindOf(activity))) continue;
    // A transition without a time cannot be placed in the history, so it is rejected.
    const untimed = (activity.fields.timestamp_iso ?? "") === "";
    if (!isTransition(activity) || untimed) outputs.push(...planActivity(activity, target));
  }
};

/**
 * Plans everything joined to one lead or contact, appending to `outputs`.
 *
 * @example
 * ```ts
 * planRelated(lead, { invoices, activities, threads }, target, links, context, outputs);
 * ```
 */
export const planRelated = (
  owner: SourceRecord,
  related: RelatedRecords,
  target: NoteTarget | undefined,
  links: InvoiceLinks,
  context: TransformContext,
  outputs: Array<TransformOutput>,
): void => {
  if (target === undefined) {
    const all = [...related.invoices, ...related.activities, ...related.threads];
    outputs.push(...all.map((record) => noTarget(record, owner)));
    return;
  }

  for (const invoice of related.invoices) {
    const { deal, problems } = planInvoice(invoice, links, context);
    outputs.push(...problems, deal);
    outputs.push(
      ...planAttachments(invoice, { link: "deal_id", ref: deal.ref, kind: "deal" }, context),
    );
  }
  planLog(owner, context, related.activities, target, outputs);

  const person: NoteTarget | undefined =
    links.person === undefined
      ? undefined
      : {
          link: "person_id",
          ref: links.person,
          kind: "person",
          ...(links.owner === undefined ? {} : { owner: links.owner }),
        };
  for (const thread of related.threads) {
    outputs.push(planThread(thread, person ?? target, context.settings("message_thread")));
  }

  const note = planNotesColumn(owner, target, context);
  if (note !== undefined) outputs.push(note);
  outputs.push(...planAttachments(owner, target, context));
};
