/**
 * Verification: every record a run wrote is read back from the destination and each mapped
 * field is compared with what the plan said and the run sent, links resolved through the id
 * map. Differences are stored in the ledger for the report.
 */
import { Chunk, Effect, Stream } from "effect";

import type { Destination } from "../Destination.js";
import type { DestinationError } from "../DestinationError.js";
import type { Ledger } from "../ledger/Ledger.js";
import type { LedgerError } from "../ledger/LedgerError.js";
import type { IdMapEntry, VerificationDifference } from "../ledger/LedgerRows.js";
import { emitProgress } from "../Progress.js";
import { fieldDifferences } from "./FieldDifferences.js";
import { withLedger } from "./LedgerEffect.js";
import type { RunHaltedError } from "./RunnerErrors.js";

/** Ids per `readBack` call. */
const PAGE = 100;

/** What a verification found. */
export interface VerificationResult {
  readonly runId: number;
  /** Records read back. */
  readonly records: number;
  readonly differences: ReadonlyArray<VerificationDifference>;
}

const verifyKind = (
  destination: Destination,
  kind: string,
  entries: ReadonlyArray<IdMapEntry>,
  beforePage: Effect.Effect<void, RunHaltedError>,
) =>
  Effect.gen(function* () {
    const differences: Array<VerificationDifference> = [];
    for (let start = 0; start < entries.length; start += PAGE) {
      yield* beforePage;
      const page = entries.slice(start, start + PAGE);
      const read = yield* Stream.runCollect(
        destination.readBack(
          kind,
          page.map((entry) => entry.destId),
        ),
      );
      const byId = new Map(Chunk.toReadonlyArray(read).map((record) => [record.id, record]));

      for (const entry of page) {
        const record = byId.get(entry.destId);
        const base = { kind, ref: entry.ref, destId: entry.destId };
        if (record === undefined) {
          differences.push({ ...base, field: "*", expected: "present", actual: null });
          continue;
        }
        for (const difference of fieldDifferences(entry.written, record)) {
          differences.push({ ...base, ...difference });
        }
      }
      yield* emitProgress({
        _tag: "RecordsDone",
        phase: `verify ${kind}`,
        done: Math.min(start + PAGE, entries.length),
        total: entries.length,
      });
    }
    return differences;
  });

/**
 * Verifies the records a run created or updated and stores the result in the ledger.
 * `beforePage` runs before each page is read, so the caller can keep reads inside a budget and
 * a time window.
 */
export const verifyRun = (
  ledger: Ledger,
  destination: Destination,
  runId: number,
  beforePage: Effect.Effect<void, RunHaltedError> = Effect.void,
): Effect.Effect<VerificationResult, DestinationError | LedgerError | RunHaltedError> =>
  Effect.gen(function* () {
    const entries = ledger
      .idMapEntries([runId])
      .filter((entry) => entry.createdRun === runId || entry.updatedRun === runId);
    const byKind = new Map<string, Array<IdMapEntry>>();
    for (const entry of entries) {
      const group = byKind.get(entry.destKind) ?? [];
      group.push(entry);
      byKind.set(entry.destKind, group);
    }

    yield* emitProgress({ _tag: "PhaseStarted", phase: "verify", total: entries.length });
    const differences: Array<VerificationDifference> = [];
    for (const [kind, group] of byKind) {
      differences.push(...(yield* verifyKind(destination, kind, group, beforePage)));
    }
    yield* withLedger(ledger, (l) => l.verifications.save(runId, entries.length, differences));
    yield* emitProgress({
      _tag: "PhaseFinished",
      phase: "verify",
      counts: { records: entries.length, differences: differences.length },
    });
    return { runId, records: entries.length, differences };
  });
