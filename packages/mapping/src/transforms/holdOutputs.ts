/**
 * Holding a source record's outputs in the reconciliation queue: every planned record except
 * shared organizations becomes a queued record with the hold's reason.
 */
import type { TransformOutput } from "@ferry/core";
import { makeQueued } from "../internal/outputs.js";

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
  hold: { readonly email: string; readonly message: string },
): ReadonlyArray<TransformOutput> =>
  outputs.map((output) =>
    output._tag !== "PlannedRecord" || output.kind === "organization"
      ? output
      : makeQueued({
          kind: output.kind,
          ref: output.ref,
          origin: output.origin,
          reason: "owner-without-user",
          message: `${output.origin}: ${hold.message}`,
          value: hold.email,
        }),
  );
