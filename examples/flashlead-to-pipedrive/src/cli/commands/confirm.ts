/**
 * `ferry confirm plan.yaml`: shows what the plan will do and records a person's confirmation
 * (who, when, the plan's content hash) in the plan file and the ledger. Without `--yes` it
 * asks on the terminal.
 */
import { createInterface } from "node:readline/promises";

import { loadPlan, type MappingPlan } from "@ferry/mapping";

import { approvalInLedger, confirm } from "../../ReferencePipeline.js";
import { flag, parseCommand, stateOption, text } from "../Arguments.js";
import { ExitCode } from "../Command.js";
import { defineCommand } from "../defineCommand.js";
import { say, UsageError } from "../Output.js";

const planLines = (plan: MappingPlan): ReadonlyArray<string> => [
  `Plan for ${plan.location}:`,
  ...plan.routes.map(
    (route) =>
      `  ${route.from} -> ${route.to.length === 0 ? "(no Pipedrive kind)" : route.to.join(", ")}`,
  ),
  `  ${plan.fields.length} field mappings: ${plan.fields.filter((field) => field.target !== undefined).length} with a Pipedrive field, ${plan.fields.filter((field) => field.review === true).length} left for review`,
  ...plan.stages.map(
    (stage) =>
      `  stage "${stage.value}" -> ${stage.to ?? "review"}${stage.pipeline === undefined ? "" : ` (${stage.pipeline} / ${stage.stage ?? ""})`}`,
  ),
  ...plan.owners.map(
    (owner) =>
      `  owner ${owner.email} -> ${owner.action}${owner.user === undefined ? "" : ` ${owner.user}`}`,
  ),
];

const ask = async (question: string): Promise<boolean> => {
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await prompt.question(question);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    prompt.close();
  }
};

export const confirmCommand = defineCommand({
  name: "confirm",
  usage: "ferry confirm plan.yaml [--yes] [--by NAME] [--state DIR]",
  summary: "confirm a reviewed plan so that records may move",
  help: `  --yes         confirm without asking
  --by NAME     who confirms (default: the USER environment variable)
  --state DIR   state folder (default .ferry)`,
  run: async (args) => {
    const parsed = parseCommand(
      args,
      { ...stateOption, yes: { type: "boolean" }, by: { type: "string" } },
      { min: 1, max: 1, names: "plan.yaml" },
    );
    const [planPath = ""] = parsed.positionals;
    const by = text(parsed, "by") ?? process.env.USER ?? "unknown";
    const stateDir = text(parsed, "state");

    const plan = await loadPlan(planPath);
    for (const line of planLines(plan)) say(line);

    if (!flag(parsed, "yes")) {
      if (process.stdin.isTTY !== true) {
        throw new UsageError("standard input is not a terminal; pass --yes to confirm");
      }
      if (!(await ask(`Confirm this plan as ${by}? [y/N] `))) {
        say("Not confirmed; nothing was recorded.");
        return ExitCode.finishedWithIssues;
      }
    }

    const options = stateDir ? { stateDir } : {};
    const earlier = approvalInLedger(plan, options);
    const confirmed = await confirm(planPath, by, options);
    say(
      `Confirmed by ${by} at ${confirmed.approval?.at ?? ""} (plan hash ${confirmed.approval?.hash ?? ""}).`,
    );
    if (earlier !== undefined) {
      say(
        `This plan was already confirmed by ${earlier.approvedBy} at ${earlier.approvedAt}. The new confirmation counts for the runs from now on; the reports of earlier runs keep the one they ran under.`,
      );
    }
    return ExitCode.done;
  },
});
