/**
 * `removeSchema()`: deletes the schema items `applySchema()` created, for a rollback that
 * removes them. Items come newest first, so stages go before their pipeline and options before
 * their field. Pipedrive users cannot be deleted, so a created user is deactivated instead. An
 * item already gone counts as removed; other failures are reported with their reason, except
 * those that halt a run (budget, token, block), which fail the call.
 */
import type { CreatedSchemaItem, DestinationError, RemoveResult } from "@ferry/core";
import { Effect } from "effect";

import { fieldKindOf, fieldKinds } from "./Catalog.js";
import { dataOf } from "./internal/paging.js";
import type { ApiRequest, PipedriveClient } from "./PipedriveClient.js";

const unsupported = (item: CreatedSchemaItem): RemoveResult => ({
  id: item.id,
  removed: false,
  reason: `schema items of type "${item.type}" cannot be removed; remove ${item.name} by hand`,
});

const fieldsPath = (item: CreatedSchemaItem): string | undefined => {
  const kind = item.kind === undefined ? undefined : fieldKindOf(item.kind);
  return kind === undefined ? undefined : fieldKinds[kind];
};

/** The activity type's numeric id: `applySchema` records the key that activities use. */
const activityTypeId = (client: PipedriveClient, key: string) =>
  client.request({ method: "GET", path: "/api/v1/activityTypes", idempotent: true }).pipe(
    Effect.map((response) => {
      const types = dataOf(response.body);
      const list = Array.isArray(types) ? (types as Array<Record<string, unknown>>) : [];
      const found = list.find((type) => type.key_string === key || String(type.id) === key);
      return found === undefined ? undefined : String(found.id);
    }),
  );

const requestFor = (
  client: PipedriveClient,
  item: CreatedSchemaItem,
): Effect.Effect<ApiRequest | undefined, DestinationError> => {
  const remove = (path: string, json?: unknown): ApiRequest => ({
    method: "DELETE",
    path,
    idempotent: true,
    ...(json === undefined ? {} : { json }),
  });
  const fields = fieldsPath(item);

  switch (item.type) {
    case "pipeline":
      return Effect.succeed(remove(`/api/v2/pipelines/${item.id}`));
    case "stage":
      return Effect.succeed(remove(`/api/v2/stages/${item.id}`));
    case "field":
      return Effect.succeed(fields === undefined ? undefined : remove(`${fields}/${item.id}`));
    case "option":
      return Effect.succeed(
        fields === undefined || item.parentId === undefined
          ? undefined
          : remove(`${fields}/${item.parentId}/options`, [{ id: Number(item.id) }]),
      );
    case "label":
      return Effect.succeed(remove(`/api/v1/leadLabels/${item.id}`));
    case "activity-type":
      return Effect.map(activityTypeId(client, item.id), (id) =>
        id === undefined ? undefined : remove(`/api/v1/activityTypes/${id}`),
      );
    case "user":
      return Effect.succeed({
        method: "PUT",
        path: `/api/v1/users/${item.id}`,
        json: { active_flag: false },
        idempotent: true,
      });
    default:
      return Effect.succeed(undefined);
  }
};

const removeOne = (
  client: PipedriveClient,
  item: CreatedSchemaItem,
): Effect.Effect<RemoveResult, DestinationError> =>
  Effect.gen(function* () {
    const request = yield* requestFor(client, item);
    // An activity type that is no longer listed is already gone.
    if (request === undefined && item.type === "activity-type") {
      return { id: item.id, removed: true };
    }
    if (request === undefined) return unsupported(item);

    yield* client.request(request);
    return item.type === "user"
      ? {
          id: item.id,
          removed: true,
          reason: "deactivated, because Pipedrive users cannot be deleted",
        }
      : { id: item.id, removed: true };
  }).pipe(
    Effect.catchIf(
      (error) => error.reason === "not-found",
      () => Effect.succeed<RemoveResult>({ id: item.id, removed: true }),
    ),
    Effect.catchIf(
      (error) => !error.haltsRun || error.reason === "forbidden",
      (error) =>
        Effect.succeed<RemoveResult>({
          id: item.id,
          removed: false,
          reason:
            error.apiMessage === undefined ? error.reason : `${error.reason}: ${error.apiMessage}`,
        }),
    ),
  );

/** Removes schema items one at a time, in the order given; one result per item, in that order. */
export const removeSchemaItems = (
  client: PipedriveClient,
  items: ReadonlyArray<CreatedSchemaItem>,
): Effect.Effect<ReadonlyArray<RemoveResult>, DestinationError> =>
  Effect.forEach(items, (item) => removeOne(client, item));
