/**
 * Paging over Pipedrive lists: v2 cursors (`additional_data.next_cursor`) and v1 offsets
 * (`additional_data.pagination.next_start`), 500 items a page unless the endpoint caps lower.
 */
import type { DestinationError } from "@ferry/core";
import { Chunk, Effect, Option, Stream } from "effect";

import type { ApiRequest, PipedriveClient } from "../PipedriveClient.js";

type Params = Readonly<Record<string, string | number | boolean>>;

interface Page {
  readonly items: ReadonlyArray<Record<string, unknown>>;
  readonly next: string | number | undefined;
}

const readPage = (body: unknown): Page => {
  const envelope = (body ?? {}) as {
    data?: unknown;
    additional_data?: {
      next_cursor?: string | null;
      pagination?: { more_items_in_collection?: boolean; next_start?: number };
    } | null;
  };
  const data = envelope.data;
  const items = Array.isArray(data) ? (data as Array<Record<string, unknown>>) : [];
  const extra = envelope.additional_data ?? undefined;
  const cursor = extra?.next_cursor ?? undefined;
  const pagination = extra?.pagination;
  const start = pagination?.more_items_in_collection === true ? pagination.next_start : undefined;
  return { items, next: cursor ?? start };
};

/** Streams every item of a list, page by page. */
export const streamList = (
  client: PipedriveClient,
  path: string,
  params: Params = {},
  options: { readonly pageSize?: number; readonly kind?: string } = {},
): Stream.Stream<Record<string, unknown>, DestinationError> => {
  const isV2 = path.startsWith("/api/v2/");
  const limit = options.pageSize ?? 500;

  const fetchPage = (next: string | number | undefined) => {
    const position =
      next === undefined ? {} : isV2 ? { cursor: String(next) } : { start: Number(next) };
    const request: ApiRequest = {
      method: "GET",
      path,
      searchParams: { ...params, limit, ...position },
      idempotent: true,
      ...(options.kind === undefined ? {} : { kind: options.kind }),
    };
    return client.request(request).pipe(Effect.map((response) => readPage(response.body)));
  };

  return Stream.paginateChunkEffect<
    string | number | undefined | null,
    Record<string, unknown>,
    DestinationError,
    never
  >(undefined, (next) =>
    fetchPage(next ?? undefined).pipe(
      Effect.map((page) => [
        Chunk.fromIterable(page.items),
        page.next === undefined || page.next === null ? Option.none() : Option.some(page.next),
      ]),
    ),
  );
};

/** Collects every item of a list. */
export const listAll = (
  client: PipedriveClient,
  path: string,
  params: Params = {},
  options: { readonly pageSize?: number; readonly kind?: string } = {},
): Effect.Effect<ReadonlyArray<Record<string, unknown>>, DestinationError> =>
  Stream.runCollect(streamList(client, path, params, options)).pipe(
    Effect.map((chunk) => Chunk.toReadonlyArray(chunk)),
  );

/** The `data` of a response envelope. */
export const dataOf = (body: unknown): unknown => (body as { data?: unknown } | null)?.data;
