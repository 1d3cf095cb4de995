/**
 * Verification: every record a run wrote is read back from the destination and each mapped
 * field is compared with the values the plan produced and the run sent, links resolved through the id
 * map. Differences are stored in the ledger for the report.
 */
import { Chunk, Effect, Stream } from "effect";

import type { Destination } from "../Destination.js";
import type { DestinationError } from "../DestinationError.js";
import type { Ledger } from "../ledger/Ledger.js";
import type { LedgerError } from "../ledger/LedgerError.js";
import type { IdMapEntry, VerificationDifference } from "../ledger/LedgerRows.js";
import { emitProgress } from "../Progress.js";
import { type FieldDifference, fieldDifferences } from "./FieldDifferences.js";
import { withLedger } from "./LedgerEffect.js";
import { linkTargetKind } from "./LinkResolution.js";
import type { RunHaltedError } from "./RunnerErrors.js";

/** Records compared between two calls of `beforePage`. */
const PAGE = 100;

/** Result of a verification. */
export interface VerificationResult {
  readonly runId: number;
  /** Records read back. */
  readonly records: number;
  readonly differences: ReadonlyArray<VerificationDifference>;
  /**
   * Tokens this verification spent, as the token account counted them. It is 0 when the
   * destination was given as an object instead of a factory, because then nothing counts them.
   */
  readonly tokensSpent: number;
}

/** Hooks of `verifyRun`. */
export interface VerifyHooks {
  /** Runs before each page is read, so the caller can keep reads inside a budget and a window. */
  readonly beforePage?: Effect.Effect<void, RunHaltedError>;
  /** Returns the tokens spent so far by this verification. */
  readonly tokensSpent?: () => number;
}

/**
 * Verifies one kind with a single `readBack` call for all its ids. A destination may have to
 * list a whole collection to find records by id (Pipedrive v1 kinds), so reading in pages of
 * ids would list it once per page, and the cost would grow with the square of the count.
 */
const verifyKind = (
  destination: Destination,
  kind: string,
  entries: ReadonlyArray<IdMapEntry>,
  beforePage: Effect.Effect<void, RunHaltedError>,
  mapped: MappedIds,
) =>
  Effect.gen(function* () {
    const byId = new Map(entries.map((entry) => [entry.destId, entry]));
    const found = new Map<string, Array<VerificationDifference>>();
    let done = 0;

    yield* beforePage;
    yield* destination.readBack(kind, [...byId.keys()]).pipe(
      Stream.grouped(PAGE),
      Stream.runForEach((chunk) =>
        Effect.gen(function* () {
          for (const record of Chunk.toReadonlyArray(chunk)) {
            const entry = byId.get(record.id);
            if (entry === undefined || found.has(record.id)) continue;
            const base = { kind, ref: entry.ref, destId: entry.destId };
            found.set(
              record.id,
              [...fieldDifferences(entry.written, record), ...goneLinks(entry, mapped)].map(
                (difference) => ({ ...base, ...difference }),
              ),
            );
          }
          done = found.size;
          yield* emitProgress({
            _tag: "RecordsDone",
            phase: `verify ${kind}`,
            done,
            total: entries.length,
          });
          yield* beforePage;
        }),
      ),
    );

    // Differences in id-map order; a record that was not read back is missing.
    return entries.flatMap(
      (entry): ReadonlyArray<VerificationDifference> =>
        found.get(entry.destId) ?? [
          {
            kind,
            ref: entry.ref,
            destId: entry.destId,
            field: "*",
            expected: "present",
            actual: null,
          },
        ],
    );
  });

/** The destination ids of the id map, by kind. */
type MappedIds = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * Returns a difference for each link Ferry wrote whose target is no longer in the id map, such
 * as a record that a rollback of an earlier run deleted or that a later run created again with
 * a new id. It reads only the ledger. A link to a kind the id map does not hold is not checked.
 */
const goneLinks = (entry: IdMapEntry, mapped: MappedIds): ReadonlyArray<FieldDifference> =>
  Object.entries(entry.written.links).flatMap(([key, id]) => {
    const kind = linkTargetKind(key, {});
    const ids = mapped.get(kind);
    return ids === undefined || ids.has(id)
      ? []
      : [{ field: `links.${key}`, expected: `${kind}${GONE_LINK}`, actual: id }];
  });

/** End of the expected value of a difference for a link whose target left the id map. */
const GONE_LINK = " in the id map";

/**
 * Tells whether a difference is a missing record (`*`) or a link whose target is no longer in
 * the id map. The next run of the plan with the same ledger writes both again.
 */
export const isMissingOrGoneLink = (difference: VerificationDifference): boolean =>
  difference.field === "*" ||
  (difference.field.startsWith("links.") &&
    typeof difference.expected === "string" &&
    difference.expected.endsWith(GONE_LINK));

/** Verifies the records a run created or updated and stores the result in the ledger. */
export const verifyRun = (
  ledger: Ledger,
  destination: Destination,
  runId: number,
  hooks: VerifyHooks = {},
): Effect.Effect<VerificationResult, DestinationError | LedgerError | RunHaltedError> =>
  Effect.gen(function* () {
    const beforePage = hooks.beforePage ?? Effect.void;
    const all = ledger.idMapEntries();
    const mapped = new Map<string, Set<string>>();
    for (const entry of all) {
      const ids = mapped.get(entry.destKind) ?? new Set<string>();
      ids.add(entry.destId);
      mapped.set(entry.destKind, ids);
    }
    const entries = all.filter((entry) => entry.createdRun === runId || entry.updatedRun === runId);
    const byKind = new Map<string, Array<IdMapEntry>>();
    for (const entry of entries) {
      const group = byKind.get(entry.destKind) ?? [];
      group.push(entry);
      byKind.set(entry.destKind, group);
    }

    yield* emitProgress({ _tag: "PhaseStarted", phase: "verify", total: entries.length });
    const differences: Array<VerificationDifference> = [];
    for (const [kind, group] of byKind) {
      differences.push(...(yield* verifyKind(destination, kind, group, beforePage, mapped)));
    }
    yield* withLedger(ledger, (l) => l.verifications.save(runId, entries.length, differences));
    yield* emitProgress({
      _tag: "PhaseFinished",
      phase: "verify",
      counts: { records: entries.length, differences: differences.length },
    });
    const tokensSpent = hooks.tokensSpent?.() ?? 0;
    return { runId, records: entries.length, differences, tokensSpent };
  });
