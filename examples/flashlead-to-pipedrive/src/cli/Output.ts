/**
 * Output of the commands: every line goes through `redact` so no secret is printed, and every
 * failure becomes a message and an exit code.
 */
import { ExitCode } from "./Command.js";
import { redact } from "./Redact.js";

const secrets = (): ReadonlyArray<string | undefined> => [process.env.PIPEDRIVE_API_TOKEN];

/** Formats a count with its noun, adding "s" to the noun unless the count is 1. */
export const counted = (count: number, noun: string): string =>
  `${count} ${count === 1 ? noun : `${noun}s`}`;

/** Prints a line on standard output. */
export const say = (text: string): void => {
  process.stdout.write(`${redact(text, secrets())}\n`);
};

/** Prints a line on standard error. */
export const warn = (text: string): void => {
  process.stderr.write(`${redact(text, secrets())}\n`);
};

/** A wrong command line: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

const usageTags = new Set([
  "UsageError",
  "TargetError",
  "PlanError",
  "PlanNotConfirmedError",
  "PlanChangedError",
  "PlanNotApprovedError",
  "PipedriveConfigError",
  "SourceError",
  "RunNotFoundError",
  "EmptyPlanError",
  "NoLedgerError",
  "ApprovalNotInLedgerError",
  "PriorMigrationError",
  "SecondCopyError",
  "RollbackOrderError",
  "LaterRunsError",
]);

const tagOf = (error: unknown): string | undefined => {
  if (typeof error !== "object" || error === null) return undefined;
  const tagged = error as { _tag?: unknown; name?: unknown };
  if (typeof tagged._tag === "string") return tagged._tag;
  return typeof tagged.name === "string" ? tagged.name : undefined;
};

/** Chooses the exit code of a failure: 2 for usage and plan errors, 3 for a resumable halt. */
export const exitCodeOf = (error: unknown): number => {
  const tag = tagOf(error);
  if (tag !== undefined && usageTags.has(tag)) return ExitCode.usage;
  if (tag === "RunHaltedError") return ExitCode.halted;
  if (tag === "DestinationError" && (error as { haltsRun?: boolean }).haltsRun === true) {
    return ExitCode.halted;
  }
  return ExitCode.finishedWithIssues;
};

/**
 * Hints printed after a halt, by command. A migration and a rollback resume where they stopped,
 * and a verification starts over.
 */
const haltHints: Readonly<Record<string, string>> = {
  migrate: "The run can be resumed: run the same command again.",
  delta: "The run can be resumed: run the same command again.",
  demo: "The run can be resumed: run the same command again.",
  rollback: "The rollback can be resumed: run the same command again.",
};
const defaultHaltHint = "Fix the cause above, then run the same command again.";

/** Prints a failure with its message (never its stack) and returns its exit code. */
export const report = (command: string, error: unknown): number => {
  const message = error instanceof Error ? error.message : String(error);
  const code = exitCodeOf(error);
  warn(`ferry ${command}: ${message}`);
  if (code === ExitCode.halted) warn(haltHints[command] ?? defaultHaltHint);
  return code;
};
