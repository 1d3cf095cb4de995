/**
 * `ferry rollback`: deletes what a run created and restores what it updated, newest first;
 * with `--schema` it also removes the schema items the runs created.
 */
import type { RollbackScope } from "@ferry/core";

import { rollbackRuns } from "../../ReferencePipeline.js";
import { flag, parseCommand, positiveInteger, stateOption, text } from "../Arguments.js";
import { ExitCode } from "../Command.js";
import { defineCommand } from "../defineCommand.js";
import { say, UsageError } from "../Output.js";

export const rollbackCommand = defineCommand({
  name: "rollback",
  usage:
    "ferry rollback [--run ID | --sample | --all] [--with-later-runs] [--schema] [--state DIR]",
  summary: "undo a run, the sample or everything Ferry wrote",
  help: `  --run ID            roll back this run (default: the newest run)
  --sample            roll back the sample runs
  --all               roll back every run
  --with-later-runs   also roll back the later runs that are not rolled back; without it, a
                      run whose records later runs reused, updated or link to is refused
  --schema            also remove the pipelines, fields and labels the runs created
  --state DIR         state folder (default .ferry)`,
  run: async (args) => {
    const parsed = parseCommand(
      args,
      {
        ...stateOption,
        run: { type: "string" },
        sample: { type: "boolean" },
        all: { type: "boolean" },
        "with-later-runs": { type: "boolean" },
        schema: { type: "boolean" },
      },
      { min: 0, max: 0, names: "no positional arguments" },
    );
    const runId = positiveInteger("run", text(parsed, "run"));
    const chosen = [runId !== undefined, flag(parsed, "sample"), flag(parsed, "all")];
    if (chosen.filter(Boolean).length > 1) {
      throw new UsageError("give at most one of --run, --sample and --all");
    }
    const scope: RollbackScope =
      runId !== undefined
        ? { run: runId }
        : flag(parsed, "sample")
          ? "sample"
          : flag(parsed, "all")
            ? "all"
            : "last";
    const stateDir = text(parsed, "state");

    const summary = await rollbackRuns(scope, {
      removeSchema: flag(parsed, "schema"),
      withLaterRuns: flag(parsed, "with-later-runs"),
      ...(stateDir ? { stateDir } : {}),
    });
    say(
      `Rollback ${summary.rollbackId} of ${summary.runIds.length === 1 ? "run" : "runs"} ${summary.runIds.join(", ")}: ${summary.removed} removed, ${summary.restored} restored, ${summary.schemaRemoved} schema items removed, ${summary.tokensSpent} tokens spent by this rollback.`,
    );
    for (const failure of summary.failures) say(`  not undone: ${JSON.stringify(failure)}`);
    if (!summary.finished) {
      say("The rollback is not finished; run the same command again to retry what failed.");
      return ExitCode.halted;
    }
    return ExitCode.done;
  },
});
