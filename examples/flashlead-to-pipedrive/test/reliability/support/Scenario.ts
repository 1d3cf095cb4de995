/**
 * A small migration set up for the reliability tests. It has a generated Flash Lead export and
 * Pipedrive sandboxes on 127.0.0.1 (plan premium, a sped-up clock). Its plan is proposed and
 * confirmed through the reference pipeline, with the owners decided the way `ferry demo` does.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { Inventory } from "@ferry/core";
import { type Sandbox, type SandboxOptions, startSandbox } from "@ferry/dest-pipedrive/sandbox";
import { type MappingPlan, writePlan } from "@ferry/mapping";
import { generateExport } from "@ferry/source-flashlead/generator";

import { confirm, discover, propose } from "../../../src/ReferencePipeline.js";

/** Time scale of every sandbox in the suite: the 2-second burst window lasts 0.1 s. */
export const timeScale = 20;

/** E-mail of a sandbox's admin user. */
const sandboxAdmin = "admin@ferry-sandbox.test";

/** A generated export with a confirmed plan. */
export interface PreparedPlan {
  readonly folder: string;
  readonly exportDir: string;
  readonly planPath: string;
  readonly remove: () => void;
}

/** Environment that points the reference pipeline at a sandbox. */
export const sandboxEnv = (sandbox: Sandbox, token = sandbox.adminToken): NodeJS.ProcessEnv => ({
  PIPEDRIVE_BASE_URL: sandbox.url,
  PIPEDRIVE_API_TOKEN: token,
  PIPEDRIVE_PLAN: "premium",
  FERRY_TIME_SCALE: String(sandbox.control.rateLimits().timeScale),
});

/** Starts a sandbox of the suite's plan and time scale. */
export const startSuiteSandbox = (options: SandboxOptions = {}): Promise<Sandbox> =>
  startSandbox({ plan: "premium", timeScale, ...options });

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
      ? { ...owner, action: "map" as const, user: sandboxAdmin, reason: "not in the team" }
      : { ...owner, action: "add" as const, reason: "a team member" };
  });
  return { ...plan, owners };
};

/**
 * Generates an export of `leads` leads and proposes, decides and confirms its plan against a
 * fresh sandbox, which is closed again. The plan applies to any new sandbox of the suite.
 */
export const preparePlan = async (options: {
  readonly leads: number;
  readonly seed: number;
  /** Changes the generated export before the plan is proposed. */
  readonly edit?: (exportDir: string) => void;
}): Promise<PreparedPlan> => {
  const folder = mkdtempSync(join(tmpdir(), "ferry-reliability-"));
  const exportDir = join(folder, "export");
  await generateExport({ folder: exportDir, leads: options.leads, seed: options.seed });
  options.edit?.(exportDir);

  const sandbox = await startSuiteSandbox();
  try {
    const stateDir = join(folder, "proposal-state");
    const env = sandboxEnv(sandbox);
    const planPath = join(folder, "plan.yaml");
    const discovery = await discover(exportDir, { stateDir, env, dailyBudget: 150_000 });
    const proposal = await propose(exportDir, planPath, { stateDir, env });
    await writePlan(planPath, decideOwners(proposal.plan, discovery.inventory));
    await confirm(planPath, "reliability suite", { stateDir, env });
    return {
      folder,
      exportDir,
      planPath,
      remove: () => rmSync(folder, { recursive: true, force: true }),
    };
  } finally {
    await sandbox.close();
  }
};
