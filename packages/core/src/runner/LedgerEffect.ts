/**
 * Effect wrappers around the synchronous ledger: opening it as a scoped resource and running
 * one of its methods with failures typed as `LedgerError`.
 */
import { Effect, type Scope } from "effect";

import { DEFAULT_STATE_DIR, Ledger } from "../ledger/Ledger.js";
import { LedgerError } from "../ledger/LedgerError.js";

/** Opens the ledger of a state folder and closes it when the scope closes. */
export const openLedger = (
  stateDir: string = DEFAULT_STATE_DIR,
): Effect.Effect<Ledger, LedgerError, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.try({
      try: () => Ledger.open(stateDir),
      catch: (cause) =>
        cause instanceof LedgerError
          ? cause
          : new LedgerError({ operation: "open", path: stateDir, detail: String(cause), cause }),
    }),
    (ledger) => Effect.sync(() => ledger.close()),
  );

/** Runs ledger work, turning a thrown error into a `LedgerError`. */
export const withLedger = <A>(
  ledger: Ledger,
  work: (ledger: Ledger) => A,
): Effect.Effect<A, LedgerError> =>
  Effect.try({
    try: () => work(ledger),
    catch: (cause) =>
      cause instanceof LedgerError
        ? cause
        : new LedgerError({ operation: "write", path: ledger.path, detail: String(cause), cause }),
  });
