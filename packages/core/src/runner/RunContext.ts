/**
 * The state that the phases of one run share (the ledger, the run id, the destination and the
 * normalized options) and the gate that keeps API calls inside the budget and the time window.
 */
import { Clock, Duration, Effect, Schedule } from "effect";

import type { Destination } from "../Destination.js";
import { DestinationError } from "../DestinationError.js";
import type { Ledger } from "../ledger/Ledger.js";
import type { TokenOwner } from "../ledger/LedgerRows.js";
import { emitProgress } from "../Progress.js";
import type { ConflictPolicy, TokenAccount } from "./MigrationOptions.js";
import { type HaltReason, RunHaltedError } from "./RunnerErrors.js";
import { msUntilWindowOpens, type TimeWindow } from "./TimeWindow.js";

/** The shared state of one run's phases. */
export interface RunContext {
  readonly ledger: Ledger;
  readonly runId: number;
  readonly destination: Destination;
  readonly tokens: OwnedTokenAccount;
  readonly batchSize: number;
  readonly conflicts: ConflictPolicy;
  readonly maxAttempts: number;
  readonly retryDelayMs: number;
  readonly dailyTokenBudget: number | undefined;
  readonly window: TimeWindow | undefined;
  readonly outsideWindow: "wait" | "halt";
}

/** Returns the UTC day of an instant as `YYYY-MM-DD`. */
export const utcDay = (epochMs: number): string => new Date(epochMs).toISOString().slice(0, 10);

const nextUtcMidnight = (epochMs: number): string => {
  const next = new Date(epochMs);
  next.setUTCHours(24, 0, 0, 0);
  return next.toISOString();
};

/**
 * A token account whose spend the ledger also counts for one run, verification or rollback.
 * Tokens added before the owner is known (a destination factory's first request comes before
 * the run has an id) count for the owner once `attributeTo` names it.
 */
export interface OwnedTokenAccount extends TokenAccount {
  /** Counts the tokens added so far, and every token added from now on, for `owner`. */
  readonly attributeTo: (owner: TokenOwner) => void;
  /** Tokens added through this account since it was made. */
  readonly spentHere: () => number;
}

/**
 * Makes the token account of a ledger; its day is the current UTC day of the system clock.
 * Every token goes into the day's total, which the budget gate reads, and into the owner's
 * count once there is an owner.
 */
export const makeTokenAccount = (ledger: Ledger, owner?: TokenOwner): OwnedTokenAccount => {
  let current = owner;
  let added = 0;
  const unattributed = new Map<string, number>();
  return {
    day: () => utcDay(Date.now()),
    spentToday: () => ledger.tokensSpent(utcDay(Date.now())),
    add: (tokens) => {
      const day = utcDay(Date.now());
      ledger.addTokens(day, tokens, current);
      added += tokens;
      if (current === undefined) unattributed.set(day, (unattributed.get(day) ?? 0) + tokens);
    },
    attributeTo: (next) => {
      current = next;
      // NOTE: these tokens are in the day's total already, but a crash before this point
      // leaves them out of the owner's count.
      ledger.transaction(() => {
        for (const [day, tokens] of unattributed) ledger.tokens.attribute(next, day, tokens);
      });
      unattributed.clear();
    },
    spentHere: () => added,
  };
};

/**
 * Halts when the day's token budget is spent, and waits for (or halts outside) the time
 * window. Call it before every batch of API calls. While it waits it marks the run `paused`,
 * unless `marksRunPaused` is false (verification of a finished run).
 */
export const gate = (
  context: RunContext,
  phase: string,
  marksRunPaused = true,
): Effect.Effect<void, RunHaltedError> =>
  Effect.gen(function* () {
    const now = yield* Clock.currentTimeMillis;

    if (context.dailyTokenBudget !== undefined) {
      const spent = context.ledger.tokensSpent(utcDay(now));
      if (spent >= context.dailyTokenBudget) {
        yield* emitProgress({
          _tag: "RateLimitWait",
          phase,
          waitMs: 0,
          reason: "budget-exhausted",
        });
        return yield* new RunHaltedError({
          runId: context.runId,
          reason: "budget",
          phase,
          detail: `spent ${spent} of the daily budget of ${context.dailyTokenBudget} tokens`,
          resumeAfter: nextUtcMidnight(now),
        });
      }
    }

    if (context.window === undefined) return;
    const waitMs = msUntilWindowOpens(context.window, now);
    if (waitMs === 0) return;
    const opensAt = new Date(now + waitMs).toISOString();
    if (context.outsideWindow === "halt") {
      return yield* new RunHaltedError({
        runId: context.runId,
        reason: "time-window",
        phase,
        detail: `outside the time window ${context.window.start}-${context.window.end} (${context.window.timeZone})`,
        resumeAfter: opensAt,
      });
    }
    if (marksRunPaused) {
      yield* Effect.sync(() => context.ledger.setRunStatus(context.runId, "paused"));
    }
    yield* emitProgress({ _tag: "RateLimitWait", phase, waitMs, reason: "time-window" });
    yield* Effect.sleep(waitMs);
    if (marksRunPaused) {
      yield* Effect.sync(() => context.ledger.setRunStatus(context.runId, "running"));
    }
  });

const haltReasons: Partial<Record<DestinationError["reason"], HaltReason>> = {
  "budget-exhausted": "budget",
  forbidden: "forbidden",
  blocked: "blocked",
  unauthorized: "unauthorized",
  "payment-required": "payment-required",
  "plan-cap": "plan-cap",
};

/** Turns a destination failure that halts the run into a `RunHaltedError`. */
export const haltFor = (
  context: RunContext,
  phase: string,
  error: DestinationError,
): RunHaltedError =>
  new RunHaltedError({
    runId: context.runId,
    reason: haltReasons[error.reason] ?? "unavailable",
    phase,
    detail: error.message,
    ...(error.resetsAt === undefined ? {} : { resumeAfter: error.resetsAt }),
    cause: error,
  });

/**
 * Retries a destination call that failed with a transient error, with exponential backoff from
 * `retryDelayMs`, up to `maxAttempts` attempts. A halting failure, or a transient one that
 * outlasts the attempts, becomes a `RunHaltedError`.
 */
export const retryTransient = <A, E>(
  context: RunContext,
  phase: string,
  call: Effect.Effect<A, E | DestinationError>,
): Effect.Effect<A, E | DestinationError | RunHaltedError> =>
  call.pipe(
    Effect.retry({
      schedule: Schedule.exponential(Duration.millis(context.retryDelayMs)),
      times: Math.max(0, context.maxAttempts - 1),
      while: (error) => error instanceof DestinationError && error.isRetryable,
    }),
    Effect.catchIf(
      (error): error is DestinationError =>
        error instanceof DestinationError && (error.haltsRun || error.isRetryable),
      (error) => Effect.fail(haltFor(context, phase, error)),
    ),
  );
