/**
 * The `Staging` a transform reads, backed by the ledger's staging tables. Scans read pages of
 * `STAGING_PAGE_SIZE` rows, so no scan keeps a whole kind in memory.
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

/**
 * Makes the `Staging` of one run. `find` uses the index when the field was indexed at staging
 * time and otherwise scans the kind page by page.
 */
export const makeLedgerStaging = (ledger: Ledger, runId: number): Staging => ({
  all: (kind) => pages((afterSeq) => ledger.staging.page(runId, kind, afterSeq)),

  get: (kind, sourceId) =>
    Effect.sync(() => Option.fromNullable(ledger.staging.get(runId, kind, sourceId))),

  find: (kind, field, value) =>
    ledger.staging.isIndexed(runId, kind, field)
      ? pages((afterSeq) => ledger.staging.findPage(runId, kind, field, value, afterSeq))
      : pages((afterSeq) => ledger.staging.page(runId, kind, afterSeq)).pipe(
          Stream.filter((record) => record.fields[field] === value),
        ),

  count: (kind) => Effect.sync(() => ledger.staging.count(runId, kind)),
});
