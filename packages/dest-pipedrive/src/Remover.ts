/**
 * `remove()`: deletes records one by one (v2 `DELETE /{entity}/{id}`, v1 for leads, notes and
 * files) and reports what it could not delete and why. A record already gone counts as removed.
 * A lead needs the delete-leads permission (`can_delete_leads`); without it the API answers
 * 403 and the lead is reported, not removed. Failures that halt a run (budget, token, block)
 * fail the call instead.
 */
import type { DestinationError, RemoveResult } from "@ferry/core";
import { Effect } from "effect";

import { kindPaths, type PipedriveKind } from "./Payloads.js";
import type { PipedriveClient } from "./PipedriveClient.js";

const reasonText = (kind: PipedriveKind, error: DestinationError): string => {
  if (error.reason === "forbidden" && kind === "lead") {
    return "deleting leads needs the delete-leads permission (can_delete_leads) for the token's user";
  }
  return error.apiMessage === undefined ? error.reason : `${error.reason}: ${error.apiMessage}`;
};

/** Deletes records of one kind by id. */
export const removeRecords = (
  client: PipedriveClient,
  kind: PipedriveKind,
  ids: ReadonlyArray<string>,
): Effect.Effect<ReadonlyArray<RemoveResult>, DestinationError> =>
  Effect.forEach(
    ids,
    (id) =>
      client
        .request({ method: "DELETE", path: `${kindPaths[kind]}/${id}`, idempotent: true, kind })
        .pipe(
          Effect.as<RemoveResult>({ id, removed: true }),
          Effect.catchIf(
            (error) => error.reason === "not-found",
            () => Effect.succeed<RemoveResult>({ id, removed: true }),
          ),
          Effect.catchIf(
            (error) =>
              error.reason === "forbidden" || error.reason === "validation" || !error.haltsRun,
            (error) =>
              Effect.succeed<RemoveResult>({ id, removed: false, reason: reasonText(kind, error) }),
          ),
        ),
    { concurrency: client.config.concurrency },
  );
