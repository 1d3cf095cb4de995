/**
 * `ferry migrate plan.yaml`: runs (or resumes) the migration under a confirmed plan, with
 * progress on the terminal, and prints the counts, the tokens the run spent and the report's
 * paths.
 */
import type { ProgressEvent } from "@ferry/core";

import { type MigrateOptions, migrate } from "../../ReferencePipeline.js";
import { flag, parseCommand, positiveInteger, stateOption, text } from "../Arguments.js";
import { ExitCode } from "../Command.js";
import { defineCommand } from "../defineCommand.js";
import { say } from "../Output.js";
import { ProgressRenderer } from "../ProgressRenderer.js";
import {
  hasIssues,
  reportLines,
  runLines,
  runTokenLines,
  stepRejectionLines,
} from "../Summaries.js";

/** Runs a migration with a progress renderer and prints its summary; shared with `delta`. */
export const migrateAndPrint = async (
  planPath: string,
  options: Omit<MigrateOptions, "onProgress">,
): Promise<number> => {
  const renderer = new ProgressRenderer({ stream: process.stderr });
  let result: Awaited<ReturnType<typeof migrate>>;
  try {
    result = await migrate(planPath, {
      ...options,
      onProgress: (event: ProgressEvent) => renderer.render(event),
    });
  } finally {
    const waited = renderer.stop();
    if (waited > 0) say(`Waited ${Math.round(waited / 1000)}s on rate limits.`);
  }

  say(
    `Destination: ${result.target === "sandbox" ? "the embedded Pipedrive sandbox" : `the Pipedrive API at ${result.url}`}`,
  );
  for (const line of runLines(result.summary)) say(line);
  for (const line of stepRejectionLines(result.stepRejections, result.summary.mode)) say(line);
  for (const line of runTokenLines(result.summary, result.ledgerTokensByDay, result.dailyBudget)) {
    say(line);
  }
  say("Reports:");
  for (const line of reportLines(result.reports)) say(line);
  return hasIssues(result.summary, result.stepRejections)
    ? ExitCode.finishedWithIssues
    : ExitCode.done;
};

export const migrateCommand = defineCommand({
  name: "migrate",
  usage: "ferry migrate plan.yaml [--sample N] [--dry-run] [--second-copy] [--state DIR]",
  summary: "move the records under a confirmed plan (resumes an interrupted run)",
  help: `  --sample N      move a stratified sample of about N records first
  --dry-run       stage and plan, write nothing
  --second-copy   migrate even though the account already holds records of a Ferry
                  migration that this state folder has no record of (a second copy of each)
  --state DIR     state folder (default .ferry)`,
  run: async (args) => {
    const parsed = parseCommand(
      args,
      {
        ...stateOption,
        sample: { type: "string" },
        "dry-run": { type: "boolean" },
        "second-copy": { type: "boolean" },
      },
      { min: 1, max: 1, names: "plan.yaml" },
    );
    const [planPath = ""] = parsed.positionals;
    const sample = positiveInteger("sample", text(parsed, "sample"));
    const stateDir = text(parsed, "state");
    return migrateAndPrint(planPath, {
      ...(sample === undefined ? {} : { sample }),
      dryRun: flag(parsed, "dry-run"),
      secondCopy: flag(parsed, "second-copy"),
      ...(stateDir ? { stateDir } : {}),
    });
  },
});
