/**
 * `ferry demo` (what `npm start` runs): the whole reference pipeline on the bundled sample export
 * into the embedded sandbox: discover, propose, a recorded demo confirmation, migrate, verify and
 * report. Running it again reuses the plan and creates nothing new.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";

import type { Inventory, ProgressEvent } from "@ferry/core";
import { loadPlan, type MappingPlan, planHash, writePlan } from "@ferry/mapping";

import {
  confirm,
  discover,
  migrate,
  propose,
  verifyRun,
  writeReports,
} from "../../ReferencePipeline.js";
import { sampleExportFolder } from "../../SampleExport.js";
import { stateFolder } from "../../StateFolder.js";
import { targetDailyBudget } from "../../Target.js";
import { parseCommand, stateOption, text } from "../Arguments.js";
import { ExitCode } from "../Command.js";
import { defineCommand } from "../defineCommand.js";
import { say, UsageError } from "../Output.js";
import { ProgressRenderer } from "../ProgressRenderer.js";
import {
  estimateLines,
  hasIssues,
  reportLines,
  runLines,
  runTokenLines,
  stepRejectionLines,
  verificationLines,
} from "../Summaries.js";

const demoConfirmer = "ferry demo (automatic demo confirmation)";

/** E-mail of the embedded sandbox's admin user. */
const sandboxAdmin = "admin@ferry-sandbox.test";

/**
 * Decides the owners the way a person would for a trial in the sandbox, where seats cost
 * nothing: team members become users (inactive ones inactive), and owners missing from the team
 * are mapped to the sandbox's admin.
 */
const decideOwners = (plan: MappingPlan, inventory: Inventory): MappingPlan => {
  const missing = new Set(
    inventory.findings
      .filter((finding) => finding.code === "owner-not-in-team")
      .flatMap((finding) => (finding.details as ReadonlyArray<{ value: string }> | undefined) ?? [])
      .map((owner) => owner.value.toLowerCase()),
  );
  const owners = plan.owners.map((owner) => {
    if (owner.action !== "queue") return owner;
    return missing.has(owner.email.toLowerCase())
      ? {
          ...owner,
          action: "map" as const,
          user: sandboxAdmin,
          reason: "demo: not in the team, so mapped to the sandbox admin",
        }
      : {
          ...owner,
          action: "add" as const,
          reason: "demo: a team member, added as a sandbox user",
        };
  });
  return { ...plan, owners };
};

const isConfirmed = async (planPath: string): Promise<boolean> => {
  if (!existsSync(planPath)) return false;
  const plan = await loadPlan(planPath);
  return plan.approval?.hash === planHash(plan);
};

export const demoCommand = defineCommand({
  name: "demo",
  usage: "ferry demo [--state DIR]",
  summary: "run the whole pipeline on the bundled sample export into the embedded sandbox",
  help: "  --state DIR   state folder (default .ferry)",
  run: async (args) => {
    const parsed = parseCommand(args, stateOption, {
      min: 0,
      max: 0,
      names: "no positional arguments",
    });
    const env = process.env;
    if (env.PIPEDRIVE_API_TOKEN !== undefined && env.PIPEDRIVE_API_TOKEN !== "") {
      throw new UsageError(
        "the demo runs only against the embedded sandbox; unset PIPEDRIVE_API_TOKEN to run it",
      );
    }
    const folder = stateFolder(text(parsed, "state"));
    const options = { stateDir: folder.root };
    const exportDir = sampleExportFolder();
    const planPath = join(folder.root, "demo-plan.yaml");

    say(`1. Discover ${exportDir}`);
    const discovery = await discover(exportDir, { ...options, dailyBudget: targetDailyBudget() });
    for (const object of discovery.inventory.objects) {
      say(
        `   ${object.kind.padEnd(15)} ${String(object.recordCount).padStart(6)} records, ${object.rejectedCount} rejected`,
      );
    }
    for (const line of estimateLines(discovery.estimate)) say(`   ${line}`);

    if (await isConfirmed(planPath)) {
      say(`2. Propose: reusing the confirmed plan ${planPath}`);
      say("3. Confirm: the plan is already confirmed");
    } else {
      say(`2. Propose a plan into ${planPath}`);
      const proposal = await propose(exportDir, planPath, options);
      say(`   ${proposal.plan.fields.length} field mappings, ${proposal.toReview} left for review`);
      say("   Owners: team members become sandbox users, other owners map to the sandbox admin");
      await writePlan(planPath, decideOwners(proposal.plan, discovery.inventory));
      say("3. Confirm the plan (a demo confirmation, recorded as such)");
      await confirm(planPath, demoConfirmer, options);
    }

    say("4. Migrate into the embedded Pipedrive sandbox");
    const renderer = new ProgressRenderer({ stream: process.stderr });
    const migrated = await migrate(planPath, {
      ...options,
      onProgress: (event: ProgressEvent) => renderer.render(event),
    }).finally(() => renderer.stop());
    for (const line of runLines(migrated.summary)) say(`   ${line}`);
    for (const line of stepRejectionLines(migrated.stepRejections, migrated.summary.mode))
      say(`   ${line}`);
    const { ledgerTokensByDay, dailyBudget } = migrated;
    for (const line of runTokenLines(migrated.summary, ledgerTokensByDay, dailyBudget)) {
      say(`   ${line}`);
    }

    say("5. Verify by reading every record back");
    const verification = await verifyRun({ ...options, runId: migrated.summary.runId });
    for (const line of verificationLines(verification)) say(`   ${line}`);

    // The reports are written again after the verification, so that they contain its result.
    say("6. Report");
    const reports = await writeReports({ ...options, runId: migrated.summary.runId });
    for (const line of reportLines(reports)) say(`   ${line}`);
    if (hasIssues(migrated.summary, migrated.stepRejections)) {
      say(
        "   The sample export contains deliberately damaged rows and owners outside the team: the rejected and queued ones are listed in the rejections file and the report",
      );
    }
    return verification.differences.length === 0 ? ExitCode.done : ExitCode.finishedWithIssues;
  },
});
