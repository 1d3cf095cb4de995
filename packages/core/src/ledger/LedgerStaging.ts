/**
 * The `Staging` a transform reads, backed by the ledger's staging tables. Scans read pages of
 * `STAGING_PAGE_SIZE` rows, so no scan keeps a whole kind in memory. `findMany` and `getMany`
 * read what a page of parents needs with one query.
 */
import { Chunk, Effect, Option, Stream } from "effect";

import type { SourceRecord } from "../SourceRecord.js";
import type { Staging } from "../Transform.js";
import type { Ledger } from "./Ledger.js";
import { STAGING_PAGE_SIZE } from "./StagingStore.js";

type Page = ReadonlyArray<SourceRecord & { seq: number }>;

const strip = (page: Page): Chunk.Chunk<SourceRecord> =>
  Chunk.fromIterable(page.map(({ seq: _seq, ...record }) => record as SourceRecord));

const rest = (read: (afterSeq: number) => Page, afterSeq: number): Stream.Stream<SourceRecord> =>
  Stream.paginateChunkEffect(afterSeq, (after) =>
    Effect.sync(() => {
      const page = read(after);
      const last = page.at(-1);
      const next =
        last === undefined || page.length < STAGING_PAGE_SIZE
          ? Option.none()
          : Option.some(last.seq);
      return [strip(page), next] as const;
    }),
  );

// The first page is read in a plain suspended stream, because most finds fit in one page and a
// paginating stream costs several times more to start.
const pages = (read: (afterSeq: number) => Page): Stream.Stream<SourceRecord> =>
  Stream.suspend(() => {
    const first = read(0);
    const last = first.at(-1);
    if (last === undefined || first.length < STAGING_PAGE_SIZE)
      return Stream.fromChunk(strip(first));
    return Stream.concat(Stream.fromChunk(strip(first)), rest(read, last.seq));
  });

/** Groups records by a value, keeping the order they come in. */
const groupBy = (
  matches: Iterable<{ readonly value: string; readonly record: SourceRecord }>,
): ReadonlyMap<string, ReadonlyArray<SourceRecord>> => {
  const groups = new Map<string, Array<SourceRecord>>();
  for (const { value, record } of matches) {
    const group = groups.get(value);
    if (group === undefined) groups.set(value, [record]);
    else group.push(record);
  }
  return groups;
};

/** Scans a kind page by page and keeps the records whose field is one of the values. */
const scanMatches = (
  ledger: Ledger,
  runId: number,
  kind: string,
  field: string,
  values: ReadonlyArray<string>,
) => {
  const valueSet = new Set(values);
  const matches: Array<{ value: string; record: SourceRecord }> = [];
  let page = ledger.staging.page(runId, kind, 0);
  while (page.length > 0) {
    for (const { seq: _seq, ...record } of page) {
      const value = record.fields[field];
      if (value !== undefined && valueSet.has(value)) matches.push({ value, record });
    }
    const last = page.at(-1);
    if (last === undefined || page.length < STAGING_PAGE_SIZE) break;
    page = ledger.staging.page(runId, kind, last.seq);
  }
  return matches;
};

/**
 * Makes the `Staging` of one run. `find` and `findMany` use the index when the field was
 * indexed at staging time and otherwise scan the kind page by page. Which fields are indexed
 * is read once per kind and field, because staging is over before a transform runs.
 */
export const makeLedgerStaging = (ledger: Ledger, runId: number): Staging => {
  const indexed = new Map<string, boolean>();
  const isIndexed = (kind: string, field: string): boolean => {
    const key = `${kind}\u0000${field}`;
    const known = indexed.get(key);
    if (known !== undefined) return known;
    const found = ledger.staging.isIndexed(runId, kind, field);
    indexed.set(key, found);
    return found;
  };

  return {
    all: (kind) => pages((afterSeq) => ledger.staging.page(runId, kind, afterSeq)),

    get: (kind, sourceId) =>
      Effect.sync(() => Option.fromNullable(ledger.staging.get(runId, kind, sourceId))),

    find: (kind, field, value) =>
      isIndexed(kind, field)
        ? pages((afterSeq) => ledger.staging.findPage(runId, kind, field, value, afterSeq))
        : pages((afterSeq) => ledger.staging.page(runId, kind, afterSeq)).pipe(
            Stream.filter((record) => record.fields[field] === value),
          ),

    findMany: (kind, field, values) =>
      Effect.sync(() =>
        groupBy(
          isIndexed(kind, field)
            ? ledger.staging.findAll(runId, kind, field, values)
            : scanMatches(ledger, runId, kind, field, values),
        ),
      ),

    getMany: (kind, sourceIds) =>
      Effect.sync(
        () =>
          new Map(
            ledger.staging
              .getAll(runId, kind, sourceIds)
              .map((record) => [record.sourceId, record]),
          ),
      ),

    count: (kind) => Effect.sync(() => ledger.staging.count(runId, kind)),

    rejections: (kind, sourceIds) =>
      Effect.sync(() => ledger.sourceRejections(runId, kind, sourceIds)),
    columnHeaders: () => Effect.sync(() => ledger.sourceFiles.headers(runId)),
  };
};
