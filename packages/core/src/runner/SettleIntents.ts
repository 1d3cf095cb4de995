/**
 * Settling of journaled writes whose result the ledger never recorded, because the process
 * died or the response was lost. A create is looked up in the destination by its source-id
 * marker; an update is read back and compared with what it sent. A write that did not happen
 * is marked `absent`, and its record stays pending, so it is sent again.
 */
import { Chunk, Effect, Stream } from "effect";

import type { Destination } from "../Destination.js";
import type { DestinationError } from "../DestinationError.js";
import type { Ledger } from "../ledger/Ledger.js";
import type { LedgerError } from "../ledger/LedgerError.js";
import type { JournalEntry } from "../ledger/LedgerRows.js";
import { fieldDifferences } from "./FieldDifferences.js";
import { withLedger } from "./LedgerEffect.js";

const groupBy = <A>(items: ReadonlyArray<A>, key: (item: A) => string) => {
  const groups = new Map<string, Array<A>>();
  for (const item of items) {
    const name = key(item);
    const group = groups.get(name);
    if (group === undefined) groups.set(name, [item]);
    else group.push(item);
  }
  return groups;
};

const markDone = (ledger: Ledger, entry: JournalEntry, destId: string) =>
  withLedger(ledger, (l) =>
    l.transaction(() => {
      l.journal.settle(entry.seq, "done", destId, { settled: "lookup" });
      const previous = l.idMapGet(entry.destKind, entry.ref);
      l.idMapPut({
        destKind: entry.destKind,
        ref: entry.ref,
        destId,
        hash: entry.hash,
        written: entry.payload,
        createdRun: entry.op === "create" ? entry.runId : (previous?.createdRun ?? entry.runId),
        updatedRun: entry.op === "update" ? entry.runId : undefined,
      });
      l.planned.setStatus(
        entry.runId,
        entry.destKind,
        entry.ref,
        entry.op === "create" ? "created" : "updated",
        destId,
      );
    }),
  );

const markAbsent = (ledger: Ledger, entry: JournalEntry) =>
  withLedger(ledger, (l) => l.journal.settle(entry.seq, "absent"));

const settleCreates = (
  ledger: Ledger,
  destination: Destination,
  destKind: string,
  entries: ReadonlyArray<JournalEntry>,
) =>
  Effect.forEach(
    groupBy(entries, (entry) => entry.ref.kind).values(),
    (group) =>
      Effect.gen(function* () {
        const found = yield* destination.lookup(
          destKind,
          group.map((entry) => entry.ref),
        );
        for (const entry of group) {
          const destId = found.get(entry.ref.sourceId);
          if (destId === undefined) yield* markAbsent(ledger, entry);
          else yield* markDone(ledger, entry, destId);
        }
      }),
    { discard: true },
  );

const settleUpdates = (
  ledger: Ledger,
  destination: Destination,
  destKind: string,
  entries: ReadonlyArray<JournalEntry>,
) =>
  Effect.gen(function* () {
    const ids = entries.flatMap((entry) => (entry.destId === undefined ? [] : [entry.destId]));
    const current = yield* Stream.runCollect(destination.readBack(destKind, ids));
    const byId = new Map(Chunk.toReadonlyArray(current).map((record) => [record.id, record]));

    for (const entry of entries) {
      const record = entry.destId === undefined ? undefined : byId.get(entry.destId);
      const applied = record !== undefined && fieldDifferences(entry.payload, record).length === 0;
      if (applied && entry.destId !== undefined) yield* markDone(ledger, entry, entry.destId);
      else yield* markAbsent(ledger, entry);
    }
  });

/**
 * Settles journaled writes against the destination and returns how many were settled.
 */
export const settleIntents = (
  ledger: Ledger,
  destination: Destination,
  entries: ReadonlyArray<JournalEntry>,
): Effect.Effect<number, DestinationError | LedgerError> =>
  Effect.gen(function* () {
    for (const [destKind, group] of groupBy(entries, (entry) => entry.destKind)) {
      const creates = group.filter((entry) => entry.op === "create");
      const updates = group.filter((entry) => entry.op === "update");
      if (creates.length > 0) yield* settleCreates(ledger, destination, destKind, creates);
      if (updates.length > 0) yield* settleUpdates(ledger, destination, destKind, updates);
    }
    return entries.length;
  });
