/**
 * Owner resolution: a source owner e-mail (trimmed, compared without case) becomes the e-mail of
 * a destination user, or a reason to hold the record in the reconciliation queue.
 */
import type { LossyStep, SourceRecord } from "@ferry/core";

import { makeLossy } from "../internal/outputs.js";
import type { MappingPlan } from "../Plan.js";

/** The resolution of an owner e-mail. */
export type OwnerResolution =
  | { readonly _tag: "Owner"; readonly email: string }
  /** The records are written without an owner, so Pipedrive gives them to the token's user. */
  | { readonly _tag: "NoOwner"; readonly message: string }
  | { readonly _tag: "Hold"; readonly email: string; readonly message: string };

/** The owner key of an e-mail: trimmed and lowercased. */
export const ownerKey = (email: string): string => email.trim().toLowerCase();

/**
 * Resolves a record without an owner to the plan's `defaultOwner`, or to no owner when the plan
 * has none. `reason` states why the record has no owner.
 */
const ownerless = (
  reason: string,
  plan: MappingPlan,
  users: ReadonlySet<string> | undefined,
): OwnerResolution => {
  if (plan.defaultOwner === undefined) {
    return {
      _tag: "NoOwner",
      message: `${reason} and the plan sets no defaultOwner, so the row's records are owned by the user of the API token; set defaultOwner in the plan to choose their user`,
    };
  }
  const user = ownerKey(plan.defaultOwner);
  return users === undefined || users.has(user)
    ? { _tag: "Owner", email: user }
    : {
        _tag: "Hold",
        email: user,
        message: `${reason}, and the plan's defaultOwner ${user} is not a user of the destination account`,
      };
};

/**
 * Resolves a source owner e-mail under the plan's owners. With the destination's `users`
 * (lowercased e-mails), an owner mapped to a user who does not exist is held too.
 *
 * @example
 * ```ts
 * resolveOwner(" Bia@Example.test", plan); // { _tag: "Owner", email: "bia@example.test" }
 * ```
 */
export const resolveOwner = (
  raw: string | undefined,
  plan: MappingPlan,
  users?: ReadonlySet<string>,
): OwnerResolution => {
  const email = ownerKey(raw ?? "");
  if (email === "") return ownerless("the owner cell is empty", plan, users);

  const owner = plan.owners.find((entry) => ownerKey(entry.email) === email);
  if (owner === undefined) {
    return plan.queue.ownersWithoutUser
      ? {
          _tag: "Hold",
          email,
          message: `owner ${email} is not in the plan's owners; add it and decide`,
        }
      : ownerless(`owner ${email} is not in the plan's owners`, plan, users);
  }

  const known = (user: string): OwnerResolution =>
    users === undefined || users.has(user)
      ? { _tag: "Owner", email: user }
      : {
          _tag: "Hold",
          email,
          message: `owner ${email} maps to ${user}, who is not a user of the destination account`,
        };

  switch (owner.action) {
    case "user":
      return known(email);
    case "add":
      return { _tag: "Owner", email };
    case "map":
      return owner.user === undefined
        ? { _tag: "Hold", email, message: `owner ${email} is mapped but names no user` }
        : known(ownerKey(owner.user));
    case "queue":
      return {
        _tag: "Hold",
        email,
        message: `owner ${email} has no Pipedrive user; the plan holds their records for a decision`,
      };
  }
};

/**
 * Records that a source record is planned without an owner, so that the report lists each
 * record Pipedrive gives to the API token's user. Returns nothing for any other resolution.
 *
 * @example
 * ```ts
 * // lead L-9 with an empty owner cell and a plan without defaultOwner
 * ownerlessStep(lead, context.owner(lead), "owner_email"); // [lossy { code: "no-owner", field: "owner_email" }]
 * ```
 */
export const ownerlessStep = (
  record: SourceRecord,
  owner: OwnerResolution,
  column: string | undefined,
): ReadonlyArray<LossyStep> =>
  owner._tag !== "NoOwner"
    ? []
    : [
        makeLossy({
          ref: { kind: record.kind, sourceId: record.sourceId },
          origin: record.origin,
          field: column ?? "owner",
          code: "no-owner",
          message: `${record.origin}: ${owner.message}`,
          value: record.fields[column ?? ""] ?? "",
        }),
      ];
