/**
 * The `ferry` command line: parses the command and hands it to its module.
 */
import { parseArgs } from "node:util";

const usage = `Usage: ferry <command> [options]

Commands:
  help      print this text
`;

/** Runs one command line and returns the process exit code. */
export const main = async (argv: ReadonlyArray<string>): Promise<number> => {
  const { positionals } = parseArgs({ args: [...argv], allowPositionals: true, strict: false });
  const [command] = positionals;

  if (command === undefined || command === "help") {
    process.stdout.write(usage);
    return 0;
  }
  process.stderr.write(`Unknown command "${command}".\n\n${usage}`);
  return 2;
};
