/**
 * The options of a migration run and what a run returns. The Promise API and the Effect API
 * take the same options.
 */
import type { Destination } from "../Destination.js";
import type { RunTokens } from "../ledger/LedgerRows.js";
import type { Source } from "../Source.js";
import type { Pipeline } from "../Transform.js";
import type { AutomationItem } from "./AutomationItem.js";
import type { TimeWindow } from "./TimeWindow.js";

/**
 * Today's token spend, kept in the ledger. A destination built by a factory gets one, adds the
 * cost of each request with `add`, and can start its own limiter from `spentToday()`.
 */
export interface TokenAccount {
  /** The current budget day, `YYYY-MM-DD` in UTC. */
  readonly day: () => string;
  /** Tokens spent on the current day, by every run of this ledger. */
  readonly spentToday: () => number;
  /** Adds tokens spent now. */
  readonly add: (tokens: number) => void;
}

/** A destination, or a factory that builds one around the ledger's token account. */
export type DestinationInput = Destination | ((tokens: TokenAccount) => Destination);

/** Policy for a record that a person edited in the destination since Ferry wrote it. */
export type ConflictPolicy = "keep" | "overwrite";

/** Options of `runMigration` and `migrate`. */
export interface MigrationOptions {
  readonly source: Source;
  readonly destination: DestinationInput;
  readonly pipeline: Pipeline;
  /**
   * Folder of the ledger and the reports.
   * @default ".ferry"
   */
  readonly stateDir?: string;
  /** Moves a stratified sample of about this many records instead of everything. */
  readonly sample?: number;
  /** Stages and plans, decides what would be written, and writes nothing. */
  readonly dryRun?: boolean;
  /**
   * Records per `write` call.
   * @default 50
   */
  readonly batchSize?: number;
  /**
   * Policy for records edited in the destination since the last run, as the plan sets it.
   * @default "keep"
   */
  readonly conflicts?: ConflictPolicy;
  /** Tokens the run may spend per UTC day, counted through the token account. */
  readonly dailyTokenBudget?: number;
  /** Keeps the record phases and verification inside this window. */
  readonly window?: TimeWindow;
  /**
   * Outside the window: wait for it to open, or halt resumably.
   * @default "wait"
   */
  readonly outsideWindow?: "wait" | "halt";
  /**
   * Attempts of a call that failed with a transient error before the run halts.
   * @default 5
   */
  readonly maxAttempts?: number;
  /**
   * First wait before retrying a transient failure, doubled on each attempt, in milliseconds;
   * a `retryAfterMs` from the destination takes precedence.
   * @default 500
   */
  readonly retryDelayMs?: number;
  /** Automations the customer's admin must rebuild; derived from the schema changes when absent. */
  readonly automations?: ReadonlyArray<AutomationItem>;
  /**
   * Writes every record even when the account already has the marker fields of a Ferry
   * migration that this ledger has no record of, which makes a second copy of every record.
   * Without it such a run fails with `PriorMigrationError` before the schema phase.
   * @default false
   */
  readonly secondCopy?: boolean;
}

/** Counts of one phase. */
export interface PhaseCounts {
  readonly read: number;
  readonly loaded: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly rejected: number;
  readonly queued: number;
}

/** Summary of a finished run. */
export interface RunSummary {
  readonly runId: number;
  readonly mode: "full" | "sample" | "delta";
  readonly dryRun: boolean;
  /** Whether the run continued an interrupted run. */
  readonly resumed: boolean;
  /** Counts per record phase (destination kind), in write order. */
  readonly phases: ReadonlyArray<{ readonly phase: string; readonly counts: PhaseCounts }>;
  /** Unfinished writes settled against the destination before the run went on. */
  readonly settled: number;
  /**
   * Tokens this run spent over every attempt, as the token account counted them. They are all
   * zero when the destination was given as an object instead of a factory, because then
   * nothing counts them.
   */
  readonly tokens: RunTokens;
}
