/**
 * The owner of an activity-log row. A row whose Owner resolves to a user under the plan's owners
 * keeps that user. A row without an owner takes the owner of the lead or contact it belongs to.
 * A row whose owner cannot be used (held, unmapped, or not in the plan) takes it too, with a
 * lossy step that names the row's owner and the reason.
 */
import type { LossyStep, SourceRecord } from "@ferry/core";

import { makeLossy } from "../internal/outputs.js";
import { refOf } from "./MappedFields.js";
import type { NoteTarget } from "./NoteTarget.js";
import { activityKindOf } from "./planActivity.js";
import { ownerKey } from "./resolveOwner.js";
import type { TransformContext } from "./TransformContext.js";

/** The canonical name of the activity log's owner column. */
const logOwnerField = "owner_email";

const columns = new WeakMap<TransformContext, string | undefined>();

/**
 * Returns the field the activity log's owner is read from: the column mapped with the `owner`
 * transform, else `owner_email` unless the plan marks that column for review.
 */
const ownerColumn = (context: TransformContext): string | undefined => {
  if (columns.has(context)) return columns.get(context);
  const mapped = context.column("activity", "owner");
  const listed = context.plan.fields.find(
    (field) => field.object === "activity" && field.column === logOwnerField,
  );
  const column = mapped ?? (listed?.review === true ? undefined : logOwnerField);
  columns.set(context, column);
  return column;
};

const nounOf = (record: SourceRecord): string => {
  if (record.fields.activity_kind === "stage_transition") return "stage history note";
  return activityKindOf(record);
};

/**
 * Returns the target of one activity-log row with the row's own owner, and the lossy step when
 * the row names an owner that cannot be used and the parent's owner is taken instead.
 *
 * @example
 * ```ts
 * // row { owner_email: "ana@example.test" }, ana is a user; the lead's owner is bia
 * rowOwner(row, lead, { ...target, owner: "bia@example.test" }, context).target.owner;
 * // "ana@example.test"
 * ```
 */
export const rowOwner = (
  record: SourceRecord,
  parent: SourceRecord,
  target: NoteTarget,
  context: TransformContext,
): { target: NoteTarget; loss: LossyStep | undefined } => {
  const column = ownerColumn(context);
  const raw = column === undefined ? "" : (record.fields[column] ?? "");
  if (raw.trim() === "") return { target, loss: undefined };

  const resolution = context.ownerOf(raw);
  if (resolution._tag === "Owner") {
    return { target: { ...target, owner: resolution.email }, loss: undefined };
  }

  const email = ownerKey(raw);
  const reason =
    resolution._tag === "Hold" ? resolution.message : `owner ${email} is not in the plan's owners`;
  const parentName = `${parent.kind} ${parent.sourceId}`;
  const fallback =
    target.owner === undefined
      ? `has no owner, because ${parentName} has none either`
      : `takes the owner of ${parentName}, ${target.owner}`;
  const loss = makeLossy({
    ref: refOf(record),
    origin: record.origin,
    field: column ?? logOwnerField,
    code: "owner-from-parent",
    message: `${record.origin}: ${reason}. The ${nounOf(record)} is not held for that owner: it ${fallback}. To keep the row's owner, give ${email} a user in the plan's owners`,
    value: raw,
  });
  return { target, loss };
};
