/**
 * `ferry verify`: reads back every record a run wrote and prints each field that differs from
 * what the plan says.
 */
import { verifyRun } from "../../ReferencePipeline.js";
import { parseCommand, positiveInteger, stateOption, text } from "../Arguments.js";
import { ExitCode } from "../Command.js";
import { defineCommand } from "../defineCommand.js";
import { say } from "../Output.js";
import { verificationLines } from "../Summaries.js";

export const verifyCommand = defineCommand({
  name: "verify",
  usage: "ferry verify [--run ID] [--state DIR]",
  summary: "read back what a run wrote and compare every mapped field",
  help: `  --run ID      run to verify (default: the newest finished run)
  --state DIR   state folder (default .ferry)`,
  run: async (args) => {
    const parsed = parseCommand(
      args,
      { ...stateOption, run: { type: "string" } },
      { min: 0, max: 0, names: "no positional arguments" },
    );
    const runId = positiveInteger("run", text(parsed, "run"));
    const stateDir = text(parsed, "state");
    const result = await verifyRun({
      ...(runId === undefined ? {} : { runId }),
      ...(stateDir ? { stateDir } : {}),
    });
    for (const line of verificationLines(result)) say(line);
    return result.differences.length === 0 ? ExitCode.done : ExitCode.finishedWithIssues;
  },
});
