/**
 * `readBack()`: reads records by id in pages and normalizes them. v2 kinds use the list
 * endpoints' `ids` filter, 100 ids a request. v1 kinds (leads, notes, files) have no such filter,
 * so up to 10 ids are read one by one (2 tokens each). More are found by paging through the whole
 * list (20 tokens per page of 500, or 100 for files) and keeping the requested ones.
 * `readBackTokens` computes what such a read costs, for estimates.
 */
import type { DestinationError, ReadBackRecord } from "@ferry/core";
import { Effect, Option, Stream } from "effect";

import type { Catalog } from "./Catalog.js";
import { dataOf, streamList } from "./internal/paging.js";
import { kindPaths, type PipedriveKind } from "./Payloads.js";
import type { PipedriveClient } from "./PipedriveClient.js";
import { normalizeRecord } from "./ReadBack.js";
import { tokenCost } from "./TokenCosts.js";

/** Ids per request with the v2 `ids` filter. */
const idsPerRequest = 100;

/** Up to this many v1 ids are read one by one instead of by listing. */
const singleReadThreshold = 10;

const chunksOf = <A>(items: ReadonlyArray<A>, size: number): Array<ReadonlyArray<A>> => {
  const chunks: Array<ReadonlyArray<A>> = [];
  for (let start = 0; start < items.length; start += size)
    chunks.push(items.slice(start, start + size));
  return chunks;
};

const readOne = (client: PipedriveClient, kind: PipedriveKind, id: string) =>
  client.request({ method: "GET", path: `${kindPaths[kind]}/${id}`, idempotent: true, kind }).pipe(
    Effect.map((response) =>
      Option.fromNullable(dataOf(response.body) as Record<string, unknown> | null),
    ),
    Effect.catchIf(
      (error) => error.reason === "not-found",
      () => Effect.succeed(Option.none()),
    ),
  );

const rawRecords = (
  client: PipedriveClient,
  kind: PipedriveKind,
  ids: ReadonlyArray<string>,
): Stream.Stream<Record<string, unknown>, DestinationError> => {
  const path = kindPaths[kind];
  if (path.startsWith("/api/v2/")) {
    return Stream.fromIterable(chunksOf(ids, idsPerRequest)).pipe(
      Stream.flatMap((chunk) => streamList(client, path, { ids: chunk.join(",") }, { kind })),
    );
  }

  if (ids.length <= singleReadThreshold) {
    return Stream.fromIterable(ids).pipe(
      Stream.mapEffect((id) => readOne(client, kind, id)),
      Stream.filterMap((item) => item),
    );
  }

  const requested = new Set(ids);
  const pageSize = kind === "file" ? 100 : 500;
  return streamList(client, path, {}, { kind, pageSize }).pipe(
    Stream.filter((item) => requested.has(String(item.id))),
  );
};

/**
 * Estimates the tokens `readBackRecords` spends on `count` distinct ids of a kind, at the costs
 * of `tokenCost`, when the account contains `listed` records of that kind. Only v1 kinds depend
 * on `listed`, because past 10 ids they page through the whole list.
 */
export const readBackTokens = (kind: PipedriveKind, count: number, listed = count): number => {
  if (count === 0) return 0;
  const path = kindPaths[kind];
  if (path.startsWith("/api/v2/")) {
    return Math.ceil(count / idsPerRequest) * (tokenCost("GET", path) ?? 0);
  }
  if (count <= singleReadThreshold) return count * (tokenCost("GET", `${path}/1`) ?? 0);
  const pageSize = kind === "file" ? 100 : 500;
  return Math.max(1, Math.ceil(listed / pageSize)) * (tokenCost("GET", path) ?? 0);
};

/** Streams the records with these ids, normalized; ids that do not exist are left out. */
export const readBackRecords = (
  client: PipedriveClient,
  catalog: Effect.Effect<Catalog, DestinationError>,
  kind: PipedriveKind,
  ids: ReadonlyArray<string>,
): Stream.Stream<ReadBackRecord, DestinationError> => {
  if (ids.length === 0) return Stream.empty;
  return Stream.unwrap(
    Effect.map(catalog, (resolved) =>
      rawRecords(client, kind, [...new Set(ids)]).pipe(
        Stream.map((raw) => normalizeRecord(kind, raw, resolved)),
      ),
    ),
  );
};
