/**
 * Team members matched to destination users by e-mail (trimmed, compared without case). Users
 * are not records: a member the plan adds becomes an `EnsureUser` schema change (inactive when
 * the member is inactive), and a member without a user and without a decision is queued.
 */
import type { SourceRecord, TransformOutput } from "@ferry/core";
import { makeLossy, makeQueued } from "../internal/outputs.js";
import { parseBoolean } from "../normalize/parseBoolean.js";
import { refOf } from "./MappedFields.js";
import { ownerKey } from "./resolveOwner.js";
import type { TransformContext } from "./TransformContext.js";

/**
 * Checks one team member against the plan's owners.
 *
 * @example
 * ```ts
 * // member { email: "Old@X.test", active: "no" } with no owner entry in the plan
 * planTeamMember(member, context); // [queued { reason: "owner-without-user", value: "old@x.test" }]
 * ```
 */
export const planTeamMember = (
  record: SourceRecord,
  context: TransformContext,
): ReadonlyArray<TransformOutput> => {
  const email = ownerKey(record.fields.email ?? "");
  if (email === "") return [];
  const owner = context.plan.owners.find((entry) => ownerKey(entry.email) === email);
  const active = parseBoolean(record.fields.active ?? "yes");

  if (owner === undefined || owner.action === "queue") {
    return [
      makeQueued({
        kind: "user",
        ref: refOf(record),
        origin: record.origin,
        reason: "owner-without-user",
        message: `${record.origin}: team member ${email} has no Pipedrive user; add the user, map the member to another user, or keep their records queued`,
        value: email,
      }),
    ];
  }
  if (owner.action === "add" && active.ok && active.value !== owner.active) {
    return [
      makeLossy({
        ref: refOf(record),
        origin: record.origin,
        field: "active",
        code: "user-activity-differs",
        message: `team member ${email} is ${active.value ? "active" : "inactive"} in the export but the plan adds the user as ${owner.active ? "active" : "inactive"}`,
        value: record.fields.active ?? "",
      }),
    ];
  }
  return [];
};
