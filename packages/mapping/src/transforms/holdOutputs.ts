/**
 * Holding a source record's outputs in the reconciliation queue: every planned record except
 * shared organizations becomes a queued record with the hold's reason.
 */
import type { Origin, RecordRef, SourceRecord, TransformOutput } from "@ferry/core";
import { makeQueued } from "../internal/outputs.js";
import { refOf } from "./MappedFields.js";
import { type OwnerResolution, ownerKey } from "./resolveOwner.js";
import type { TransformContext } from "./TransformContext.js";

/** The reason the outputs of a record wait in the queue, and the owner e-mail it concerns. */
export interface OwnerHold {
  readonly email: string;
  readonly message: string;
  /**
   * The lead or contact whose owner puts the outputs in the queue, with its owner cell as a key.
   * Outputs planned from its joined rows (invoices, log entries, threads) name it in their message.
   */
  readonly parent?: { readonly ref: RecordRef; readonly origin: Origin; readonly owner: string };
}

/**
 * Returns the hold of a lead or contact whose owner resolved to a hold, or undefined.
 *
 * @example
 * ```ts
 * // lead L-5 owned by dora@x.test, whom the plan queues
 * holdOf(lead, context.owner(lead), context)?.parent?.owner; // "dora@x.test"
 * ```
 */
export const holdOf = (
  record: SourceRecord,
  owner: OwnerResolution,
  context: TransformContext,
): OwnerHold | undefined => {
  if (owner._tag !== "Hold") return undefined;
  const cell = record.fields[context.column(record.kind, "owner") ?? ""] ?? "";
  return {
    email: owner.email,
    message: owner.message,
    parent: { ref: refOf(record), origin: record.origin, owner: ownerKey(cell) },
  };
};

/** Builds the queue message of a held output: its row's reason, or the parent it waits with. */
const heldMessage = (origin: Origin, hold: OwnerHold): string => {
  const parent = hold.parent;
  if (parent === undefined || String(origin) === String(parent.origin)) {
    return `${origin}: ${hold.message}`;
  }
  const named = `its ${parent.ref.kind} ${parent.ref.sourceId} (${parent.origin})`;
  return parent.owner === ""
    ? `${origin}: held with ${named}, because ${hold.message}`
    : `${origin}: held because ${named} belongs to ${parent.owner}, and ${hold.message}`;
};

/**
 * Turns planned records into queued records held for an owner decision.
 *
 * @example
 * ```ts
 * holdOutputs(outputs, { email: "old@x.test", message: "owner old@x.test has no Pipedrive user" });
 * ```
 */
export const holdOutputs = (
  outputs: ReadonlyArray<TransformOutput>,
  hold: OwnerHold,
): ReadonlyArray<TransformOutput> =>
  outputs.map((output) =>
    output._tag !== "PlannedRecord" || output.kind === "organization"
      ? output
      : makeQueued({
          kind: output.kind,
          ref: output.ref,
          origin: output.origin,
          reason: "owner-without-user",
          message: heldMessage(output.origin, hold),
          value: hold.email,
        }),
  );
