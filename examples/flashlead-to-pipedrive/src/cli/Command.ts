/**
 * The shape of one `ferry` command: its name, a one-line summary for the help text, and the
 * function that runs it with the arguments after the command name.
 */

/** Exit codes of the command line. */
export const ExitCode = {
  /** The job is done. */
  done: 0,
  /** The job finished with rejections or differences that a person should read. */
  finishedWithIssues: 1,
  /** The command line or the plan is invalid. */
  usage: 2,
  /** The run halted and can be resumed by running the same command again. */
  halted: 3,
} as const;

/** One command of the command line. */
export interface Command {
  readonly name: string;
  /** Usage line, such as `ferry discover EXPORT_DIR`. */
  readonly usage: string;
  readonly summary: string;
  /** Runs the command with its own arguments and returns the exit code. */
  readonly run: (args: ReadonlyArray<string>) => Promise<number>;
}
