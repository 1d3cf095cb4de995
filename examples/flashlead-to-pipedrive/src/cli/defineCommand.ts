/**
 * Builds a `Command` whose failures are printed with the command's usage (for usage errors) and
 * turned into exit codes, so each command module only parses and calls the pipeline.
 */
import type { Command } from "./Command.js";
import { report, UsageError, warn } from "./Output.js";

/** Defines a command from its run function, which may throw. */
export const defineCommand = (spec: {
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
  /** Option lines of the command's help text. */
  readonly help: string;
  readonly run: (args: ReadonlyArray<string>) => Promise<number>;
}): Command => ({
  name: spec.name,
  usage: spec.usage,
  summary: spec.summary,
  run: async (args) => {
    if (args.includes("--help") || args.includes("-h")) {
      process.stdout.write(`Usage: ${spec.usage}\n\n${spec.summary}\n\n${spec.help}\n`);
      return 0;
    }
    try {
      return await spec.run(args);
    } catch (error) {
      const code = report(spec.name, error);
      if (error instanceof UsageError) warn(`Usage: ${spec.usage}`);
      return code;
    }
  },
});
