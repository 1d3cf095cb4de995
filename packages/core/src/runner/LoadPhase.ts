/**
 * One record phase: the pending planned records of a destination kind, batch by batch. Each
 * record's links are resolved through the id map. The id map and the content hash then decide
 * between create, update and unchanged. A record that a person edited since Ferry wrote it is
 * queued as a conflict unless the policy overwrites it. Every write is journaled before it is
 * sent and settled after, and writes left unsettled by a lost response are settled against the
 * destination before the next batch.
 */
import { Chunk, Effect, Either, Stream } from "effect";

import type { OutboundRecord, ReadBackRecord, WriteResult } from "../Destination.js";
import { DestinationError } from "../DestinationError.js";
import type { Ledger } from "../ledger/Ledger.js";
import type { LedgerError } from "../ledger/LedgerError.js";
import type { IdMapEntry, PlannedRow, WrittenValues } from "../ledger/LedgerRows.js";
import { refKey } from "../ledger/RefLookups.js";
import { emitProgress } from "../Progress.js";
import { fieldDifferences, valuesOf } from "./FieldDifferences.js";
import { withLedger } from "./LedgerEffect.js";
import { resolveLinks } from "./LinkResolution.js";
import { gate, haltFor, type RunContext, retryTransient } from "./RunContext.js";
import type { RunHaltedError } from "./RunnerErrors.js";
import { settleIntents } from "./SettleIntents.js";

/** A record that will be written, with what the journal records about it. */
interface PlannedWrite {
  readonly row: PlannedRow;
  readonly payload: WrittenValues;
  readonly op: "create" | "update";
  readonly destId?: string;
  readonly previous?: WrittenValues;
  readonly previousMap?: { readonly hash: string; readonly written: WrittenValues };
  readonly createdRun?: number;
}

const reject = (
  ledger: Ledger,
  runId: number,
  row: PlannedRow,
  stage: "link" | "destination",
  code: string,
  message: string,
  value?: string,
) => {
  ledger.planned.setStatus(runId, row.kind, row.ref, "rejected");
  ledger.addRejection({
    runId,
    stage,
    kind: row.ref.kind,
    destKind: row.kind,
    file: row.file,
    line: row.line,
    code,
    message,
    sourceId: row.ref.sourceId,
    column: undefined,
    value,
  });
};

const queue = (
  ledger: Ledger,
  runId: number,
  row: PlannedRow,
  reason: string,
  message: string,
  value?: string,
) => {
  ledger.planned.setStatus(runId, row.kind, row.ref, "queued");
  ledger.addQueued(
    { runId, kind: row.kind, ref: row.ref, file: row.file, line: row.line, reason, message, value },
    false,
  );
};

/** A record Ferry wrote before whose plan changed, or whose links now resolve to other ids. */
interface UpdateCandidate {
  readonly row: PlannedRow;
  readonly payload: WrittenValues;
  readonly existing: IdMapEntry;
  /** Same content hash: only link targets changed, such as a parent created again. */
  readonly relinkOnly: boolean;
}

/** Decides the update of a record that Ferry wrote before and whose plan or links changed. */
const decideUpdate = (
  context: RunContext,
  { row, payload, existing, relinkOnly }: UpdateCandidate,
  current: ReadBackRecord | undefined,
): PlannedWrite | undefined => {
  const { ledger, runId } = context;
  if (current === undefined) {
    // The record was deleted in the destination: it is created again.
    return { row, payload, op: "create" };
  }

  // A link that changed because its target was created again is not a person's edit.
  const edited = fieldDifferences(existing.written, current).filter(
    (difference) => !relinkOnly || !difference.field.startsWith("links."),
  );
  if (edited.length > 0 && context.conflicts === "keep") {
    const fields = edited.map((difference) => difference.field).join(", ");
    queue(
      ledger,
      runId,
      row,
      "edited-in-destination",
      `${row.kind} ${existing.destId} was edited in the destination since Ferry wrote it (${fields}); it was not overwritten`,
      fields,
    );
    return undefined;
  }

  // A retry of an update that never arrived keeps the values from before the first attempt.
  const abandoned = ledger.journal.abandonedUpdate(runId, row.kind, row.ref);
  const keys: WrittenValues = {
    fields: { ...existing.written.fields, ...payload.fields },
    custom: { ...existing.written.custom, ...payload.custom },
    links: { ...existing.written.links, ...payload.links },
  };
  return {
    row,
    payload,
    op: "update",
    destId: existing.destId,
    previous: abandoned?.previous ?? valuesOf(keys, current),
    previousMap: abandoned?.previousMap ?? { hash: existing.hash, written: existing.written },
    createdRun: existing.createdRun,
  };
};

const sameLinks = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>) => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
};

/**
 * Sorts a batch into records settled without a write and the writes to send. A record whose
 * content hash and resolved links match the id map is unchanged, unless its destination id is
 * in `missing` (it was deleted in the destination), in which case it is created again.
 */
const decideBatch = (
  context: RunContext,
  batch: ReadonlyArray<PlannedRow>,
  missing: ReadonlySet<string>,
) =>
  Effect.gen(function* () {
    const { ledger, runId, destination } = context;
    const writes: Array<PlannedWrite> = [];
    const updates: Array<UpdateCandidate> = [];

    yield* withLedger(ledger, (l) =>
      l.transaction(() => {
        for (const row of batch) {
          const outcome = resolveLinks(l, runId, row);
          if (outcome._tag === "Rejected") {
            reject(l, runId, row, "link", outcome.code, outcome.message, outcome.value);
            continue;
          }
          if (outcome._tag === "Queued") {
            queue(l, runId, row, outcome.code, outcome.message, outcome.value);
            continue;
          }

          const payload = { fields: row.fields, custom: row.custom, links: outcome.links };
          const existing = l.idMapGet(row.kind, row.ref);
          if (existing === undefined) writes.push({ row, payload, op: "create" });
          else if (existing.hash !== row.hash) {
            updates.push({ row, payload, existing, relinkOnly: false });
          } else if (!sameLinks(existing.written.links, payload.links)) {
            updates.push({ row, payload, existing, relinkOnly: true });
          } else if (missing.has(existing.destId)) {
            // Deleted in the destination since Ferry wrote it: it is created again.
            writes.push({ row, payload, op: "create" });
          } else {
            l.planned.setStatus(runId, row.kind, row.ref, "unchanged", existing.destId);
          }
        }
      }),
    );

    if (updates.length > 0) {
      const kind = batch[0]?.kind ?? "";
      const ids = updates.map((update) => update.existing.destId);
      const current = yield* Stream.runCollect(destination.readBack(kind, ids));
      const byId = new Map(Chunk.toReadonlyArray(current).map((record) => [record.id, record]));
      yield* withLedger(ledger, (l) =>
        l.transaction(() => {
          for (const update of updates) {
            const write = decideUpdate(context, update, byId.get(update.existing.destId));
            if (write !== undefined) writes.push(write);
          }
        }),
      );
    }
    return writes;
  });

const toOutbound = (write: PlannedWrite): OutboundRecord => ({
  kind: write.row.kind,
  ref: write.row.ref,
  fields: write.payload.fields,
  custom: write.payload.custom,
  links: write.payload.links,
  ...(write.destId === undefined ? {} : { destinationId: write.destId }),
});

/** Records the results of a write call, one transaction for the batch. */
const recordResults = (
  context: RunContext,
  writes: ReadonlyArray<PlannedWrite>,
  seqs: ReadonlyArray<number>,
  results: ReadonlyArray<WriteResult>,
) =>
  withLedger(context.ledger, (l) =>
    l.transaction(() => {
      writes.forEach((write, index) => {
        const seq = seqs[index] as number;
        const result = results[index];
        if (result === undefined) return; // Left as an intent; settled by lookup.

        if (result._tag === "WriteRejected") {
          l.journal.settle(seq, "rejected", undefined, result);
          reject(l, context.runId, write.row, "destination", result.reason, result.message);
          return;
        }
        l.journal.settle(seq, "done", result.id, result);
        l.idMapPut({
          destKind: write.row.kind,
          ref: write.row.ref,
          destId: result.id,
          hash: write.row.hash,
          written: write.payload,
          createdRun: write.op === "create" ? context.runId : (write.createdRun ?? context.runId),
          updatedRun: write.op === "update" ? context.runId : undefined,
        });
        l.planned.setStatus(
          context.runId,
          write.row.kind,
          write.row.ref,
          write.op === "create" ? "created" : "updated",
          result.id,
        );
      });
    }),
  );

/**
 * Rejects the records of a write call that failed as a whole with an error that is neither
 * transient nor halting. Records that the destination wrote anyway are found by lookup first.
 */
const rejectFailedBatch = (
  context: RunContext,
  writes: ReadonlyArray<PlannedWrite>,
  error: DestinationError,
) =>
  Effect.gen(function* () {
    yield* settleIntents(
      context.ledger,
      context.destination,
      context.ledger.journal.open(context.runId),
    );
    yield* withLedger(context.ledger, (l) =>
      l.transaction(() => {
        for (const write of writes) {
          const planned = l.planned.get(context.runId, write.row.kind, write.row.ref);
          if (planned?.status !== "pending") continue;
          reject(l, context.runId, write.row, "destination", error.reason, error.message);
        }
      }),
    );
  });

/** Decides, journals and writes one batch. */
const processBatch = (
  context: RunContext,
  batch: ReadonlyArray<PlannedRow>,
  missing: ReadonlySet<string>,
) =>
  Effect.gen(function* () {
    const { ledger, runId, destination } = context;
    const writes = yield* decideBatch(context, batch, missing);
    if (writes.length === 0) return;

    const seqs = yield* withLedger(ledger, (l) =>
      l.transaction(() =>
        writes.map((write) =>
          l.journal.intent({
            runId,
            destKind: write.row.kind,
            ref: write.row.ref,
            op: write.op,
            payload: write.payload,
            hash: write.row.hash,
            previous: write.previous,
            previousMap: write.previousMap,
            destId: write.destId,
          }),
        ),
      ),
    );

    const kind = writes[0]?.row.kind ?? "";
    const sent = yield* destination.write(kind, writes.map(toOutbound)).pipe(Effect.either);
    if (Either.isRight(sent)) {
      yield* recordResults(context, writes, seqs, sent.right);
      return;
    }
    const error = sent.left;
    if (error.isRetryable || error.haltsRun) return yield* error;
    yield* rejectFailedBatch(context, writes, error);
  });

/** Settles what earlier attempts left open, else processes the next batch. */
const step = (
  context: RunContext,
  kind: string,
  missing: ReadonlySet<string>,
): Effect.Effect<"settled" | "written" | "done", DestinationError | LedgerError> =>
  Effect.gen(function* () {
    const open = context.ledger.journal.open(context.runId);
    if (open.length > 0) {
      yield* settleIntents(context.ledger, context.destination, open);
      return "settled";
    }
    const batch = context.ledger.planned.page(context.runId, kind, "pending", 0, context.batchSize);
    if (batch.length === 0) return "done";
    yield* processBatch(context, batch, missing);
    return "written";
  });

const waitBeforeRetry = (
  context: RunContext,
  kind: string,
  error: DestinationError,
  attempt: number,
) => {
  const waitMs = error.retryAfterMs ?? Math.min(30_000, context.retryDelayMs * 2 ** (attempt - 1));
  const reason = error.reason === "rate-limited" ? "rate-limited" : "burst-window";
  return emitProgress({ _tag: "RateLimitWait", phase: kind, waitMs, reason }).pipe(
    Effect.zipRight(Effect.sleep(waitMs)),
  );
};

/** Planned records read per page while collecting the ones a phase would leave unchanged. */
const PRESENCE_PAGE = 500;

/**
 * Reads back the pending records of a kind whose content hash matches the id map, which the
 * phase would leave unchanged, and returns the destination ids that are gone (deleted in the
 * destination since Ferry wrote them). The kind is read with one `readBack` call, as
 * verification reads it, so a destination that lists a whole collection to find records by id
 * lists it once.
 */
const missingRecords = (context: RunContext, kind: string) =>
  Effect.gen(function* () {
    const { ledger, runId, destination } = context;
    const ids: Array<string> = [];
    // Only records of earlier runs can be left unchanged, so a first run reads nothing.
    if (!ledger.hasIdMapOfOtherRuns(kind, runId)) return new Set<string>();
    let after = 0;
    for (;;) {
      const page = ledger.planned.linkPage(runId, kind, "pending", after, PRESENCE_PAGE);
      const last = page.at(-1);
      if (last === undefined) break;
      after = last.seq;
      const mapped = ledger.refs.idMapIds(
        kind,
        page.map((row) => row.ref),
      );
      for (const row of page) {
        const entry = mapped.get(refKey(row.ref));
        if (entry !== undefined && entry.hash === row.hash) ids.push(entry.destId);
      }
    }
    const missing = new Set(ids);
    if (missing.size === 0) return missing;
    yield* retryTransient(
      context,
      kind,
      destination
        .readBack(kind, ids)
        .pipe(Stream.runForEach((record) => Effect.sync(() => missing.delete(record.id)))),
    );
    return missing;
  });

/**
 * Writes every pending record of one destination kind. Transient destination failures are
 * retried up to `maxAttempts` times in a row; halting failures stop the run resumably.
 */
export const loadKind = (
  context: RunContext,
  kind: string,
  total: number,
): Effect.Effect<void, DestinationError | LedgerError | RunHaltedError> =>
  Effect.gen(function* () {
    let attempt = 0;
    yield* gate(context, kind);
    const missing = yield* missingRecords(context, kind);
    while (true) {
      yield* gate(context, kind);
      const outcome = yield* step(context, kind, missing).pipe(Effect.either);

      if (Either.isRight(outcome)) {
        // Settling alone is no progress: only a written batch resets the attempts.
        if (outcome.right === "written") attempt = 0;
        const pending = context.ledger.planned.countPending(context.runId, kind);
        yield* emitProgress({ _tag: "RecordsDone", phase: kind, done: total - pending, total });
        if (outcome.right === "done") return;
        continue;
      }

      const error = outcome.left;
      if (!(error instanceof DestinationError)) return yield* error;
      if (error.haltsRun) return yield* haltFor(context, kind, error);
      attempt += 1;
      if (!error.isRetryable) return yield* error;
      if (attempt >= context.maxAttempts) return yield* haltFor(context, kind, error);
      yield* Effect.logInfo(`Retrying after a transient failure: ${error.message}`).pipe(
        Effect.annotateLogs({ phase: kind, attempt, reason: error.reason }),
      );
      yield* waitBeforeRetry(context, kind, error, attempt);
    }
  });
