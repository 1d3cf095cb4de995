/**
 * `ferry propose EXPORT_DIR --plan plan.yaml`: drafts a mapping plan from the export and the
 * Pipedrive account's schema, for a person to review and confirm.
 */
import { propose } from "../../ReferencePipeline.js";
import { parseCommand, stateOption, text } from "../Arguments.js";
import { ExitCode } from "../Command.js";
import { defineCommand } from "../defineCommand.js";
import { say, UsageError } from "../Output.js";

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
    say(`${result.toReview} mapping(s) are marked for review.`);
    for (const warning of result.warnings) say(`warning: ${warning.message}`);
    say(`Review the plan, then run: ferry confirm ${result.planPath}`);
    return ExitCode.done;
  },
});
