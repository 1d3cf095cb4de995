/**
 * Every `ferry` command run in this process against a sandbox over HTTP, in the order of a real
 * migration: the exit codes (0 done, 1 issues to read, 2 usage or plan, 3 halted and resumable)
 * and that nothing printed contains the API token.
 */
import { cpSync, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

import { Ledger, utcDay } from "@ferry/core";
import type { SerializedState } from "@ferry/dest-pipedrive/sandbox";
import { loadPlan, writePlan } from "@ferry/mapping";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  type CliResult,
  editLeads,
  idMap,
  leadRows,
  liveChanges,
  mapOwnersToAdmin,
  openWorld,
  runCli,
  secretToken,
  seedLookalikes,
  type World,
  withJobTitle,
} from "./Harness.js";

describe("ferry", () => {
  let world: World;
  let state: ["--state", string];
  let initial: SerializedState;
  const printed: Array<CliResult> = [];
  const ferry = async (...args: ReadonlyArray<string>): Promise<CliResult> => {
    const result = await runCli(world, args);
    printed.push(result);
    return result;
  };
  const newerExport = (name: string, changed: ReadonlyArray<string>, title: string): string => {
    const folder = join(world.root, name);
    cpSync(world.exportDir, folder, { recursive: true });
    editLeads(folder, (text, id) => [changed.includes(id) ? withJobTitle(text, title) : text]);
    return folder;
  };

  beforeAll(async () => {
    world = await openWorld({ leads: 30, seed: 21 });
    state = ["--state", world.stateDir];
    // Records with the names and e-mails of the first leads were in the account before.
    await seedLookalikes(world, 3);
    initial = world.sandbox.control.snapshot();
  });
  afterAll(async () => {
    for (const result of printed) {
      expect(result.stdout).not.toContain(secretToken);
      expect(result.stderr).not.toContain(secretToken);
    }
    // Neither the ledger nor any report contains the token either.
    const files = readdirSync(world.stateDir, { recursive: true, encoding: "utf8" });
    for (const file of files) {
      const path = join(world.stateDir, file);
      if (statSync(path).isFile()) {
        expect({ path, token: readFileSync(path).includes(secretToken) }).toEqual({
          path,
          token: false,
        });
      }
    }
    expect(files).toContain("ledger.sqlite");
    await world.close();
  });

  it("prints help and rejects unknown commands", async () => {
    const help = await ferry("help");
    expect(help.code).toBe(0);
    for (const name of [
      "discover",
      "propose",
      "confirm",
      "migrate",
      "verify",
      "delta",
      "rollback",
      "report",
    ]) {
      expect(help.stdout).toContain(`ferry ${name}`);
    }
    const unknown = await ferry("teleport");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command "teleport"');
  });

  it("walks a migration from discover to report", async () => {
    const discovered = await ferry("discover", world.exportDir, ...state);
    expect(discovered.code).toBe(0);
    expect(discovered.stdout).toMatch(/lead\s+30 records, 0 rejected/);
    expect(existsSync(join(world.stateDir, "reports", "discovery", "discovery.md"))).toBe(true);

    const proposed = await ferry("propose", world.exportDir, "--plan", world.planPath, ...state);
    expect(proposed.code).toBe(0);
    expect(proposed.stdout).toContain(`Plan written to ${world.planPath}`);
    await writePlan(world.planPath, mapOwnersToAdmin(await loadPlan(world.planPath)));

    const estimateLine = (stdout: string) =>
      stdout.split("\n").find((line) => line.startsWith("Estimated Pipedrive tokens"));
    const planned = await ferry("discover", world.exportDir, "--plan", world.planPath, ...state);
    expect(planned.code).toBe(0);
    expect(estimateLine(planned.stdout)).toBe(estimateLine(discovered.stdout));
    expect(planned.stdout).not.toContain("was drafted from");
    const noPlan = join(world.stateDir, "no-such-plan.yaml");
    const missingPlan = await ferry("discover", world.exportDir, "--plan", noPlan, ...state);
    expect(missingPlan.code).toBe(2);
    expect(missingPlan.stderr).toContain(noPlan);

    const unasked = await ferry("confirm", world.planPath, ...state);
    expect(unasked.code).toBe(2);
    expect(unasked.stderr).toContain("pass --yes to confirm");
    const confirmed = await ferry("confirm", world.planPath, "--yes", "--by", "Ana", ...state);
    expect(confirmed.code).toBe(0);
    expect(confirmed.stdout).toContain("Confirmed by Ana");
    expect(confirmed.stdout).toMatch(/\d+ field mappings: \d+ with a Pipedrive field/);

    const badSample = await ferry("migrate", world.planPath, "--sample", "ten", ...state);
    expect(badSample.code).toBe(2);
    expect(badSample.stderr).toContain('--sample must be a whole number of at least 1, got "ten"');

    const sample = await ferry("migrate", world.planPath, "--sample", "8", ...state);
    expect(sample.code).toBe(0);
    expect(sample.stdout).toMatch(/Run 1 \(sample\)/);
    expect(sample.stdout).toContain(`Destination: the Pipedrive API at ${world.sandbox.url}`);

    const full = await ferry("migrate", world.planPath, ...state);
    expect(full.code).toBe(0);
    expect(full.stdout).toMatch(/Run 2 /);
    // Without --run, verify checks the sample run and the full run, which both own records.
    const verified = await ferry("verify", ...state);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/Verified run 1: [1-9]\d* records read back, 0 differences/);
    expect(verified.stdout).toMatch(/Verified run 2: \d+ records read back, 0 differences/);

    // A person renames a record in Pipedrive: verify reports the difference with exit code 1.
    const person = idMap(world.stateDir).find(
      (entry) => entry.destKind === "person" && entry.createdRun === 2,
    );
    const renamed = await fetch(`${world.sandbox.url}/api/v2/persons/${person?.destId}`, {
      method: "PATCH",
      headers: { "content-type": "application/json", "x-api-token": secretToken },
      body: JSON.stringify({ name: "Renamed By Hand" }),
    });
    expect(renamed.status).toBe(200);
    const differs = await ferry("verify", ...state);
    expect(differs.code).toBe(1);
    expect(differs.stdout).toContain(`(id ${person?.destId}) name: expected`);
    expect(differs.stdout).toContain('got "Renamed By Hand"');

    const rows = leadRows(world.exportDir);
    const cutover = newerExport("export-cutover", [rows[3]?.id ?? ""], "Head of Testing");
    const delta = await ferry("delta", world.planPath, cutover, ...state);
    expect(delta.code).toBe(0);
    expect(delta.stdout).toMatch(/Run 3 \(delta\)/);
    expect(delta.stdout).toMatch(/person\s+\d+\s+0\s+1\s/);

    const reported = await ferry("report", "--format", "md", ...state);
    expect(reported.code).toBe(0);
    expect(reported.stdout.trim()).toBe(join(world.stateDir, "reports", "run-3", "report.md"));
    expect(existsSync(reported.stdout.trim())).toBe(true);

    const twoScopes = await ferry("rollback", "--run", "1", "--all", ...state);
    expect(twoScopes.code).toBe(2);
    const undone = await ferry("rollback", ...state);
    expect(undone.code).toBe(0);
    expect(undone.stdout).toMatch(/Rollback 1 of run 3: 0 removed, 1 restored/);
  }, 60_000);

  it("exits 1 on a rejected phone", async () => {
    const rows = leadRows(world.exportDir);
    const id = rows[5]?.id ?? "";
    const folder = join(world.root, "export-bad-phone");
    cpSync(world.exportDir, folder, { recursive: true });
    editLeads(folder, (text, lead) => [
      lead === id ? text.replace(/\+44 20 7946 0\d{3}/, "+999 000 0001") : text,
    ]);
    expect(readFileSync(join(folder, "leads.csv"), "utf8")).toContain("+999 000 0001");

    const result = await ferry("delta", world.planPath, folder, ...state);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "Also rejected while reading and transforming: 1 (invalid-phone at transform 1)",
    );
  }, 60_000);

  it("halts on a spent budget and resumes", async () => {
    const rows = leadRows(world.exportDir);
    const later = newerExport("export-later", [rows[5]?.id ?? "", rows[6]?.id ?? ""], "Tester");
    const { dailyBudget } = world.sandbox.control.rateLimits();
    // Earlier runs of the day spent the whole budget, as the ledger counts it.
    const ledger = Ledger.open(world.stateDir);
    const day = utcDay(Date.now());
    ledger.addTokens(day, dailyBudget - ledger.tokensSpent(day));
    ledger.close();

    const halted = await ferry("delta", world.planPath, later, ...state);
    expect(halted.code).toBe(3);
    expect(halted.stderr).toContain("The run can be resumed: run the same command again.");

    // A second seat doubles the budget, so the same command goes on where the run stopped; the
    // seat stays for the tests that follow.
    world.env.PIPEDRIVE_SEATS = "2";
    const resumed = await ferry("delta", world.planPath, later, ...state);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain("resumed");
    expect(resumed.stdout).toMatch(/person\s+\d+\s+0\s+2\s/);
  }, 60_000);

  it("halts a rollback without lead deletion", async () => {
    const admin = world.sandbox.control.users().find((user) => user.isAdmin);
    world.sandbox.control.setUserPermissions(admin?.id ?? 0, { canDeleteLeads: false });
    const refused = await ferry("rollback", "--all", ...state);
    expect(refused.code).toBe(3);
    expect(refused.stdout).toContain("run the same command again");

    world.sandbox.control.setUserPermissions(admin?.id ?? 0, { canDeleteLeads: true });
    const finished = await ferry("rollback", "--all", ...state);
    expect(finished.code).toBe(0);
    const leads = world.sandbox.control.snapshot().collections.leads;
    expect(leads).toEqual([]);
    expect(liveChanges(initial, world.sandbox.control.snapshot())).toEqual([]);
  }, 60_000);

  it("redacts a rejected API token", async () => {
    const wrong = "tok-SECRET-wrong-1234567890";
    const saved = world.env.PIPEDRIVE_API_TOKEN;
    world.env.PIPEDRIVE_API_TOKEN = wrong;
    try {
      const refused = await ferry(
        "propose",
        world.exportDir,
        "--plan",
        join(world.root, "other.yaml"),
        ...state,
      );
      expect(refused.code).not.toBe(0);
      expect(refused.stdout + refused.stderr).not.toContain(wrong);
      expect(refused.stderr).toContain("ferry propose:");
    } finally {
      world.env.PIPEDRIVE_API_TOKEN = saved;
    }
  });
});
