/**
 * The records that hang off a lead or contact: invoices as deals, the stage history and other
 * activities, message threads, the notes column and attachments. A record whose lead or contact
 * has no target (its person was rejected) is rejected with the reason.
 */
import type { LossyStep, Rejection, SourceRecord, TransformOutput } from "@ferry/core";
import { makeLossy, makePlanned, makeRejection } from "../internal/outputs.js";
import { normalizeDate } from "../normalize/normalizeDate.js";
import { refOf } from "./MappedFields.js";
import type { NoteTarget } from "./NoteTarget.js";
import { activityKindOf, planActivity } from "./planActivity.js";
import { planAttachments } from "./planAttachments.js";
import { type InvoiceLinks, planInvoice } from "./planInvoice.js";
import { planNotesColumn } from "./planNotesColumn.js";
import { planThread } from "./planThread.js";
import { rowOwner } from "./rowOwner.js";
import {
  lostTime,
  type StageHistoryEnd,
  type StageTransition,
  stageTimes,
  stageTransitions,
  transitionNote,
} from "./stageHistory.js";
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

/** Reads where the stage history of a lead or contact ends: its stage and its last update. */
const historyEnd = (parent: SourceRecord, context: TransformContext): StageHistoryEnd => {
  const settings = context.settings(parent.kind);
  const updatedRaw = parent.fields.updated_at ?? "";
  const updated = normalizeDate(updatedRaw, settings.dateOrder, settings.timeZone);
  const column = context.column(parent.kind, "stage");
  const stage = column === undefined ? "" : (parent.fields[column]?.trim() ?? "");
  return {
    record: parent,
    stage: column === undefined || stage === "" ? undefined : { column, value: stage },
    updatedRaw,
    updated: updated.ok ? updated.value.timestamp : undefined,
  };
};

/** Returns the index of the planned deal or lead of the target in `outputs`, or -1. */
const mainIndex = (outputs: ReadonlyArray<TransformOutput>, target: NoteTarget): number =>
  target.kind === "person"
    ? -1
    : outputs.findIndex(
        (output) =>
          output._tag === "PlannedRecord" &&
          output.kind === target.kind &&
          output.ref.sourceId === target.ref.sourceId,
      );

/**
 * Adds the stage-history custom fields to the planned deal or lead of the target, and to a lost
 * deal the time it was lost. Without that time, Pipedrive would set it to the time of the
 * write, so a lost deal whose loss date is unknown gets a lossy step instead.
 */
const withHistory = (
  outputs: Array<TransformOutput>,
  target: NoteTarget,
  transitions: ReadonlyArray<StageTransition>,
  end: StageHistoryEnd,
): void => {
  const times = stageTimes(transitions, end);
  if (times.loss !== undefined) outputs.push(times.loss);
  const index = mainIndex(outputs, target);
  const main = outputs[index];
  if (main?._tag !== "PlannedRecord") return;

  const fields = { ...main.fields };
  if (main.kind === "deal" && fields.status === "lost" && fields.lost_time === undefined) {
    const at = lostTime(transitions, end);
    if (at === undefined) outputs.push(unknownLoss(end));
    else fields.lost_time = at;
  }
  if (fields.lost_time === main.fields.lost_time && Object.keys(times.custom).length === 0) return;
  outputs[index] = makePlanned({ ...main, fields, custom: { ...main.custom, ...times.custom } });
};

const unknownLoss = (end: StageHistoryEnd): LossyStep =>
  makeLossy({
    ref: refOf(end.record),
    origin: end.record.origin,
    field: end.stage?.column ?? "stage",
    code: "lost-time-unknown",
    message: `${end.record.origin}: ${end.record.kind} ${end.record.sourceId} is lost, but no stage transition into ${end.stage?.value ?? "its stage"} ends its history and its updated_at is empty or not a date, so the loss date is unknown and Pipedrive sets the deal's lost time to the time of the migration. Fill in updated_at to date the loss`,
    value: end.updatedRaw,
  });

/**
 * Returns the target of one log row with the row's own owner, pushing the owner's lossy step
 * when there is one. A held parent's rows keep its target, because they are queued with it.
 */
const ownedTarget = (
  record: SourceRecord,
  parent: SourceRecord,
  target: NoteTarget,
  context: TransformContext,
  parentHeld: boolean,
  outputs: Array<TransformOutput>,
): NoteTarget => {
  if (parentHeld) return target;
  const owned = rowOwner(record, parent, target, context);
  if (owned.loss !== undefined) outputs.push(owned.loss);
  return owned.target;
};

/**
 * Plans the activity log of a lead or contact: stage history notes and other entries, each owned
 * by its row's owner. Entries that become a kind the activity route leaves out are skipped with
 * their rejections, and the stage history notes need `note` in the route. The time-in-stage
 * fields and a lost deal's lost time are kept whenever the log is read, because they belong to
 * the deal or lead.
 */
const planLog = (
  parent: SourceRecord,
  context: TransformContext,
  activities: ReadonlyArray<SourceRecord>,
  target: NoteTarget,
  outputs: Array<TransformOutput>,
  parentHeld: boolean,
): void => {
  const kinds = context.routeKinds("activity");
  const transitions = stageTransitions(activities);
  if (kinds.has("note")) {
    for (const transition of transitions) {
      const owned = ownedTarget(transition.record, parent, target, context, parentHeld, outputs);
      outputs.push(transitionNote(transition, owned));
    }
  }
  withHistory(outputs, target, transitions, historyEnd(parent, context));

  for (const activity of activities) {
    if (!kinds.has(activityKindOf(activity))) continue;
    // A transition without a time cannot be placed in the history, so it is rejected.
    const untimed = (activity.fields.timestamp_iso ?? "") === "";
    if (untimed) {
      // The entry is rejected for its time, so its owner does not matter.
      outputs.push(...planActivity(activity, target));
    } else if (!isTransition(activity)) {
      const owned = ownedTarget(activity, parent, target, context, parentHeld, outputs);
      outputs.push(...planActivity(activity, owned));
    }
  }
};

/**
 * Plans everything joined to one lead or contact, appending to `outputs`. With `parentHeld`,
 * the caller queues every output for the parent's owner, so log rows keep the parent's target
 * and record no owner fallback.
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
  parentHeld = false,
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
  planLog(owner, context, related.activities, target, outputs, parentHeld);

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
