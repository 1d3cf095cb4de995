/**
 * Finding records already written for source records, by their marker. Entities are searched
 * with v2 `itemSearch/field` on the `Ferry source id` field (exact match, 20 tokens and the
 * search burst limit per ref). Notes and activities carry the marker as an HTML comment, so
 * they are found by listing: the parent's list when the parent is known, the whole list
 * otherwise. Files carry no marker and are matched by parent and name in the files list.
 * Runners call this only to settle writes whose response was lost, never per record in a load.
 */
import type { DestinationError, RecordRef } from "@ferry/core";
import { Effect, Stream } from "effect";

import type { Catalog } from "./Catalog.js";
import { listAll, streamList } from "./internal/paging.js";
import { markerValue, readHtmlMarker } from "./Marker.js";
import type { PipedriveKind } from "./Payloads.js";
import type { PipedriveClient } from "./PipedriveClient.js";

const entityTypes = {
  organization: "organization",
  person: "person",
  deal: "deal",
  lead: "lead",
} as const;

const sameRef = (a: RecordRef | undefined, b: RecordRef): boolean =>
  a !== undefined && a.kind === b.kind && a.sourceId === b.sourceId;

/** Finds one entity by its marker value; undefined when there is none. */
const findEntity = (
  client: PipedriveClient,
  catalog: Catalog,
  kind: keyof typeof entityTypes,
  ref: RecordRef,
): Effect.Effect<string | undefined, DestinationError> =>
  Effect.gen(function* () {
    const marker = catalog.marker(kind);
    if (marker === undefined) return undefined;

    const items = yield* listAll(
      client,
      "/api/v2/itemSearch/field",
      { term: markerValue(ref), entity_type: entityTypes[kind], field: marker.key, match: "exact" },
      { pageSize: 100, kind },
    );
    const first = items[0];
    return first === undefined ? undefined : String(first.id);
  });

/** The list path and filter of one parent's notes or activities. */
const parentList = (kind: "note" | "activity", parent: { key: string; id: string }) => ({
  path: kind === "note" ? "/api/v1/notes" : "/api/v2/activities",
  params: { [parent.key]: parent.key === "lead_id" ? parent.id : Number(parent.id) },
});

/**
 * Finds notes or activities by the marker in their HTML, scanning the parent's list when it is
 * given and the whole list otherwise.
 */
const findByHtml = (
  client: PipedriveClient,
  kind: "note" | "activity",
  refs: ReadonlyArray<RecordRef>,
  parent?: { key: string; id: string },
): Effect.Effect<ReadonlyMap<string, string>, DestinationError> => {
  const source =
    parent === undefined
      ? { path: kind === "note" ? "/api/v1/notes" : "/api/v2/activities", params: {} }
      : parentList(kind, parent);
  const htmlKey = kind === "note" ? "content" : "note";
  const byMarker = new Map(refs.map((ref) => [markerValue(ref), ref]));
  const found = new Map<string, string>();

  return streamList(client, source.path, source.params, { kind }).pipe(
    Stream.runForEach((item) =>
      Effect.sync(() => {
        const { ref } = readHtmlMarker(item[htmlKey]);
        if (ref === undefined) return;
        const match = byMarker.get(markerValue(ref));
        if (match !== undefined && sameRef(ref, match)) found.set(match.sourceId, String(item.id));
      }),
    ),
    Effect.as(found as ReadonlyMap<string, string>),
  );
};

/**
 * Finds the newest file of a parent with this name. v1 has no files list per lead, so this pages
 * through `GET /v1/files` (100 a page) and matches the parent id and the name.
 */
export const findFileByName = (
  client: PipedriveClient,
  parent: { key: string; id: string },
  name: string,
): Effect.Effect<string | undefined, DestinationError> =>
  Effect.gen(function* () {
    const files = yield* listAll(client, "/api/v1/files", {}, { pageSize: 100, kind: "file" });
    const match = files
      .filter((file) => String(file[parent.key] ?? "") === parent.id)
      .filter((file) => file.name === name || file.file_name === name)
      .at(-1);
    return match === undefined ? undefined : String(match.id);
  });

/**
 * Finds records by marker and returns destination ids by source id. `parent` narrows notes and
 * activities to one parent's list.
 */
export const lookupRecords = (
  client: PipedriveClient,
  catalog: Catalog,
  kind: PipedriveKind,
  refs: ReadonlyArray<RecordRef>,
  parent?: { key: string; id: string },
): Effect.Effect<ReadonlyMap<string, string>, DestinationError> => {
  if (refs.length === 0) return Effect.succeed(new Map());
  if (kind === "note" || kind === "activity") return findByHtml(client, kind, refs, parent);
  if (kind === "file") return Effect.succeed(new Map());

  return Effect.gen(function* () {
    const ids = yield* Effect.forEach(refs, (ref) => findEntity(client, catalog, kind, ref), {
      concurrency: client.config.concurrency,
    });
    const found = new Map<string, string>();
    refs.forEach((ref, index) => {
      const id = ids[index];
      if (id !== undefined) found.set(ref.sourceId, id);
    });
    return found;
  });
};
