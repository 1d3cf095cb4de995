// A migration world for the bench scripts: a Pipedrive sandbox on 127.0.0.1 started here, an
// environment that names it, a temporary state folder, an export (generated or copied), and a
// confirmed plan whose queued owners go to the sandbox admin so that the run creates no users.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { startSandbox } from "@ferry/dest-pipedrive/sandbox";
import { loadPlan, writePlan } from "@ferry/mapping";
import { generateExport } from "@ferry/source-flashlead/generator";

import { confirm, propose } from "../../examples/flashlead-to-pipedrive/dist/index.js";
import { repoRoot } from "./results.mjs";

/** The export bundled with the reference example. */
export const sampleExport = join(repoRoot, "examples/flashlead-to-pipedrive/sample-export");

/**
 * Starts a sandbox and prepares an export: `leads` generated leads (seed 1, with the problems
 * of real exports), or a copy of `copyFrom`.
 */
export const openWorld = async ({ leads, copyFrom, plan, seats, timeScale }) => {
  const root = mkdtempSync(join(tmpdir(), "ferry-bench-"));
  const exportDir = join(root, "export");
  if (copyFrom === undefined) {
    await generateExport({ folder: exportDir, leads, seed: 1, messy: true });
  } else {
    cpSync(copyFrom, exportDir, { recursive: true });
  }

  const sandbox = await startSandbox({ plan, seats, timeScale });
  const env = {
    PIPEDRIVE_API_TOKEN: sandbox.adminToken,
    PIPEDRIVE_BASE_URL: sandbox.url,
    PIPEDRIVE_PLAN: plan,
    PIPEDRIVE_SEATS: String(seats),
    FERRY_TIME_SCALE: String(timeScale),
  };
  const stateDir = join(root, "state");
  return {
    sandbox,
    env,
    root,
    stateDir,
    exportDir,
    planPath: join(root, "plan.yaml"),
    options: { stateDir, env },
    close: async () => {
      await sandbox.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
};

/** Proposes a plan for the world's export, maps queued owners to the admin, and confirms it. */
export const confirmPlan = async (world) => {
  await propose(world.exportDir, world.planPath, world.options);
  const plan = await loadPlan(world.planPath);
  const admin = world.sandbox.control.users().find((user) => user.isAdmin)?.email;
  await writePlan(world.planPath, {
    ...plan,
    owners: plan.owners.map((owner) =>
      owner.action === "queue"
        ? { ...owner, action: "map", user: admin, reason: "benchmark: mapped to the admin" }
        : owner,
    ),
  });
  return confirm(world.planPath, "bench", world.options);
};
