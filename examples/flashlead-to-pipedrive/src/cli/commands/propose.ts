/**
 * `ferry propose EXPORT_DIR --plan plan.yaml`: drafts a mapping plan from the export and the
 * Pipedrive account's schema, for a person to review and confirm. It exits 1 when the export has
 * error findings, because a plan drafted from a file read in part misses records.
 */
import { propose } from "../../ReferencePipeline.js";
import { parseCommand, stateOption, text } from "../Arguments.js";
import { ExitCode } from "../Command.js";
import { defineCommand } from "../defineCommand.js";
import { counted, say, UsageError, warn } from "../Output.js";

export const proposeCommand = defineCommand({
  name: "propose",
  usage: "ferry propose EXPORT_DIR --plan plan.yaml [--state DIR]",
  summary: "draft a mapping plan for review",
  help: `  --plan FILE   plan file to write
  --state DIR   state folder (default .ferry)`,
  run: async (args) => {
    const parsed = parseCommand(
      args,
      { ...stateOption, plan: { type: "string" } },
      { min: 1, max: 1, names: "EXPORT_DIR" },
    );
    const planPath = text(parsed, "plan");
    if (planPath === undefined) throw new UsageError("--plan FILE is required");
    const [exportDir = ""] = parsed.positionals;
    const stateDir = text(parsed, "state");

    const result = await propose(exportDir, planPath, stateDir ? { stateDir } : {});
    say(
      `Plan written to ${result.planPath}: ${result.plan.fields.length} field mappings, ${result.plan.stages.length} stages, ${result.plan.owners.length} owners.`,
    );
    say(
      `${counted(result.toReview, "mapping")} ${result.toReview === 1 ? "is" : "are"} marked for review.`,
    );
    for (const warning of result.warnings) say(`warning: ${warning.message}`);
    if (result.errors.length > 0) {
      for (const finding of result.errors) say(`[error] ${finding.message}`);
      warn(
        `ferry propose: the plan was drafted from an export with ${counted(result.errors.length, "error finding")}, so it may miss records; fix the export, run propose again, and do not confirm this plan`,
      );
      return ExitCode.finishedWithIssues;
    }
    say(`Review the plan, then run: ferry confirm ${result.planPath}`);
    return ExitCode.done;
  },
});
