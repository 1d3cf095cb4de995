/**
 * The `ferry` command line: finds the command and hands it its arguments.
 */
import { type Command, ExitCode } from "./Command.js";
import { commands } from "./commands/index.js";

const usage = (available: ReadonlyArray<Command>): string => {
  const lines = available.map((command) => `  ${command.usage.padEnd(48)} ${command.summary}`);
  return `Usage: ferry <command> [options]\n\nCommands:\n${lines.join("\n")}\n  ferry help${" ".repeat(39)}print this text\n`;
};

/** Runs one command line and returns the process exit code. */
export const main = async (argv: ReadonlyArray<string>): Promise<number> => {
  const [name, ...args] = argv;

  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(usage(commands));
    return ExitCode.done;
  }

  const command = commands.find((candidate) => candidate.name === name);
  if (command === undefined) {
    process.stderr.write(`Unknown command "${name}".\n\n${usage(commands)}`);
    return ExitCode.usage;
  }
  return command.run(args);
};
