/**
 * `ferry discover EXPORT_DIR`: audits an export folder and prints its inventory, its findings
 * and the token estimate; the reports go under the state folder.
 */
import { planMultipliers } from "@ferry/dest-pipedrive";

import { discover } from "../../ReferencePipeline.js";
import { parseCommand, positiveInteger, stateOption, text } from "../Arguments.js";
import { ExitCode } from "../Command.js";
import { defineCommand } from "../defineCommand.js";
import { say } from "../Output.js";
import { estimateLines } from "../Summaries.js";

const defaultBudget = (): number => {
  const plan = (process.env.PIPEDRIVE_PLAN ?? "lite").toLowerCase() as keyof typeof planMultipliers;
  const seats = Number(process.env.PIPEDRIVE_SEATS ?? "1");
  return 30_000 * (planMultipliers[plan] ?? 1) * (Number.isInteger(seats) && seats > 0 ? seats : 1);
};

export const discoverCommand = defineCommand({
  name: "discover",
  usage: "ferry discover EXPORT_DIR [--plan PLAN] [--budget TOKENS] [--state DIR]",
  summary: "audit a Flash Lead Sales export and estimate its Pipedrive tokens",
  help: `  --plan PLAN       mapping plan for the estimate to follow (default: the plan that propose would write)
  --budget TOKENS   daily Pipedrive token budget for the estimate (default: 30,000 x the multiplier of PIPEDRIVE_PLAN x PIPEDRIVE_SEATS)
  --state DIR       state folder (default .ferry)`,
  run: async (args) => {
    const parsed = parseCommand(
      args,
      { ...stateOption, budget: { type: "string" }, plan: { type: "string" } },
      { min: 1, max: 1, names: "EXPORT_DIR" },
    );
    const [exportDir = ""] = parsed.positionals;
    const dailyBudget = positiveInteger("budget", text(parsed, "budget")) ?? defaultBudget();
    const stateDir = text(parsed, "state");
    const planPath = text(parsed, "plan");
    const result = await discover(exportDir, {
      dailyBudget,
      ...(stateDir ? { stateDir } : {}),
      ...(planPath ? { planPath } : {}),
    });

    for (const object of result.inventory.objects) {
      say(
        `${object.kind.padEnd(15)} ${String(object.recordCount).padStart(8)} records, ${object.rejectedCount} rejected, ${object.warningCount} with warnings`,
      );
    }
    for (const file of result.inventory.unclassified)
      say(`unclassified: ${file.path} (${file.reason})`);
    for (const finding of result.inventory.findings)
      say(`[${finding.severity}] ${finding.message}`);
    for (const line of estimateLines(result.estimate)) say(line);
    say(`Discovery report: ${result.markdownPath} and ${result.jsonPath}`);
    return ExitCode.done;
  },
});
