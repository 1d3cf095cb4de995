/**
 * `ferry verify`: reads back every record a run wrote and prints each field that differs from
 * what the plan wrote. Without --run it verifies every finished run that was not rolled back,
 * because the records of a migration may come from a sample run and a full run.
 */
import { isMissingOrGoneLink } from "@ferry/core";

import { verifyMigrationRuns, verifyRun } from "../../ReferencePipeline.js";
import { parseCommand, positiveInteger, stateOption, text } from "../Arguments.js";
import { ExitCode } from "../Command.js";
import { defineCommand } from "../defineCommand.js";
import { say } from "../Output.js";
import { verificationLines } from "../Summaries.js";

export const verifyCommand = defineCommand({
  name: "verify",
  usage: "ferry verify [--run ID] [--state DIR]",
  summary: "read back what a run wrote and compare every mapped field",
  help: `  --run ID      run to verify (default: every finished run whose records are in the destination, such as a sample run and the full run after it)
  --state DIR   state folder (default .ferry)`,
  run: async (args) => {
    const parsed = parseCommand(
      args,
      { ...stateOption, run: { type: "string" } },
      { min: 0, max: 0, names: "no positional arguments" },
    );
    const runId = positiveInteger("run", text(parsed, "run"));
    const stateDir = text(parsed, "state");
    const options = stateDir ? { stateDir } : {};
    const results =
      runId === undefined
        ? await verifyMigrationRuns(options)
        : [await verifyRun({ ...options, runId })];
    for (const result of results) {
      for (const line of verificationLines(result)) say(line);
    }
    const repairable = results.some((result) => result.differences.some(isMissingOrGoneLink));
    if (repairable) {
      say(
        `Records that are missing, and links to records that are gone, are written again by the next run with this state folder: ferry delta plan.yaml EXPORT_DIR${stateDir ? ` --state ${stateDir}` : ""} with the export of the migration, or a newer one.`,
      );
    }
    const clean = results.every((result) => result.differences.length === 0);
    return clean ? ExitCode.done : ExitCode.finishedWithIssues;
  },
});
