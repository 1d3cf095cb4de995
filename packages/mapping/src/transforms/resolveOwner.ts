/**
 * Owner resolution: a source owner e-mail (trimmed, compared without case) becomes the e-mail of
 * a destination user, or a reason to hold the record in the reconciliation queue.
 */
import type { MappingPlan } from "../Plan.js";

/** The resolution of an owner e-mail. */
export type OwnerResolution =
  | { readonly _tag: "Owner"; readonly email: string }
  | { readonly _tag: "NoOwner" }
  | { readonly _tag: "Hold"; readonly email: string; readonly message: string };

/** The owner key of an e-mail: trimmed and lowercased. */
export const ownerKey = (email: string): string => email.trim().toLowerCase();

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
  if (email === "") return { _tag: "NoOwner" };

  const owner = plan.owners.find((entry) => ownerKey(entry.email) === email);
  if (owner === undefined) {
    return plan.queue.ownersWithoutUser
      ? {
          _tag: "Hold",
          email,
          message: `owner ${email} is not in the plan's owners; add it and decide`,
        }
      : { _tag: "NoOwner" };
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
