/**
 * `ferry discover EXPORT_DIR`: audits an export folder and prints its inventory, its findings
 * and the token estimate; the reports go under the state folder. It exits 1 when a finding is
 * an error, such as a file that cannot be parsed or an object whose every row is rejected.
 */
import type { Inventory } from "@ferry/core";

import { discover, errorFindings } from "../../ReferencePipeline.js";
import { targetDailyBudget } from "../../Target.js";
import { parseCommand, positiveInteger, stateOption, text } from "../Arguments.js";
import { ExitCode } from "../Command.js";
import { defineCommand } from "../defineCommand.js";
import { counted, say, warn } from "../Output.js";
import { estimateLines } from "../Summaries.js";

/**
 * Returns the files of an object that could not be parsed to their end, from the source's
 * `unparseable-file` findings, so that the object's line shows that its counts cover part of a file.
 */
const cutFiles = (
  inventory: Inventory,
  kind: string,
): ReadonlyArray<{ readonly file: string; readonly line: number }> =>
  inventory.findings.flatMap((finding) => {
    if (finding.code !== "unparseable-file" || finding.kind !== kind) return [];
    const details = finding.details as { file?: unknown; line?: unknown } | undefined;
    if (typeof details?.file !== "string" || typeof details.line !== "number") return [];
    return [{ file: details.file, line: details.line }];
  });

export const discoverCommand = defineCommand({
  name: "discover",
  usage: "ferry discover EXPORT_DIR [--plan PLAN] [--budget TOKENS] [--state DIR]",
  summary: "audit a Flash Lead Sales export and estimate its Pipedrive tokens",
  help: `  --plan PLAN       mapping plan for the estimate to follow (default: the plan that propose would write)
  --budget TOKENS   daily Pipedrive token budget for the estimate (default: the budget of the account migrate would use: 30,000 x the multiplier of PIPEDRIVE_PLAN x PIPEDRIVE_SEATS, where the plan defaults to growth for the embedded sandbox and lite for a company account)
  --state DIR       state folder (default .ferry)`,
  run: async (args) => {
    const parsed = parseCommand(
      args,
      { ...stateOption, budget: { type: "string" }, plan: { type: "string" } },
      { min: 1, max: 1, names: "EXPORT_DIR" },
    );
    const [exportDir = ""] = parsed.positionals;
    // The environment is checked even with --budget, so an invalid plan fails here and not in migrate.
    const accountBudget = targetDailyBudget();
    const dailyBudget = positiveInteger("budget", text(parsed, "budget")) ?? accountBudget;
    const stateDir = text(parsed, "state");
    const planPath = text(parsed, "plan");
    const result = await discover(exportDir, {
      dailyBudget,
      ...(stateDir ? { stateDir } : {}),
      ...(planPath ? { planPath } : {}),
    });

    for (const object of result.inventory.objects) {
      const cut = cutFiles(result.inventory, object.kind)
        .map((file) => `, ${file.file} unreadable from line ${file.line}`)
        .join("");
      say(
        `${object.kind.padEnd(15)} ${String(object.recordCount).padStart(8)} records, ${object.rejectedCount} rejected, ${object.warningCount} with warnings${cut}`,
      );
    }
    for (const file of result.inventory.unclassified)
      say(`unclassified: ${file.path} (${file.reason})`);
    for (const finding of result.inventory.findings)
      say(`[${finding.severity}] ${finding.message}`);
    if (result.planFromOtherFolder !== undefined) {
      say(
        `warning: the plan ${planPath} was drafted from ${result.planFromOtherFolder}, not from ${exportDir}; the estimate follows its mappings, which may not fit this export`,
      );
    }
    for (const line of estimateLines(result.estimate)) say(line);
    say(`Discovery report: ${result.markdownPath} and ${result.jsonPath}`);

    const errors = errorFindings(result.inventory);
    if (errors.length === 0) return ExitCode.done;
    warn(
      `ferry discover: ${counted(errors.length, "error finding")} above; fix the export and run discover again before you propose a plan`,
    );
    return ExitCode.finishedWithIssues;
  },
});
