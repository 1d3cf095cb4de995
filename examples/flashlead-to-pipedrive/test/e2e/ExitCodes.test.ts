/**
 * Exit codes of `ferry` for exports a person must fix first, run in this process against a
 * sandbox over HTTP. Error findings make discover and propose exit 1. A plan with nothing to move
 * makes migrate exit 2, and so does an invalid PIPEDRIVE_PLAN for discover, as for migrate.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type CliResult, openWorld, runCli, type World } from "./Harness.js";

describe("ferry", () => {
  let world: World;
  let state: ["--state", string];
  const ferry = (...args: ReadonlyArray<string>): Promise<CliResult> => runCli(world, args);
  const folder = (name: string, files: Readonly<Record<string, string>>): string => {
    const path = join(world.root, name);
    mkdirSync(path, { recursive: true });
    for (const [file, text] of Object.entries(files)) writeFileSync(join(path, file), text);
    return path;
  };

  beforeAll(async () => {
    world = await openWorld({ leads: 5, seed: 3 });
    state = ["--state", world.stateDir];
  });
  afterAll(async () => {
    await world.close();
  });

  describe("discover", () => {
    it("exits 1 on a folder without known CSV", async () => {
      const empty = folder("readme-only", { "README.md": "not an export\n" });
      const result = await ferry("discover", empty, ...state);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(
        `[error] no CSV file of a known Flash Lead object in ${empty}`,
      );
      expect(result.stdout).toContain("pass the folder that contains the export's CSV files");
      expect(result.stderr).toContain("1 error finding above");
    });

    it("exits 1 when every row is rejected", async () => {
      const header = "Lead ID,First Name,Last Name,Email,Phone,Company,Stage,Owner,Notes";
      const rows = [1, 2, 3].map(
        (n) => `L00000${n};Ana${n};Lima;ana${n}@example.test;;Acme;New;;x`,
      );
      const semicolons = folder("semicolon-rows", {
        "leads.csv": `${[header, ...rows].join("\n")}\n`,
      });
      const result = await ferry("discover", semicolons, ...state);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/lead\s+0 records, 3 rejected/);
      expect(result.stdout).toContain("[error]");
    });

    const leadsHeader = "Lead ID,First Name,Last Name,Email,Phone,Company,Stage,Owner,Notes";
    const leadRow = (n: number, company = "Acme") =>
      `L${String(n).padStart(6, "0")},Ana,Lima,ana${n}@example.test,,${company},New,,${"x".repeat(40)}`;

    it("exits 1 on a file cut by a quote", async () => {
      // The quote is never closed and more than 1 MiB follows it. Its line ends after the quoted
      // cell, 3 cells short of the header, so the quote is not taken for a stray one and the
      // file is read up to it.
      const rows = Array.from({ length: 20_000 }, (_, i) =>
        i === 10 ? 'L000011,Ana,Lima,ana11@example.test,,"Acme unclosed' : leadRow(i + 1),
      );
      const cut = folder("unclosed", { "leads.csv": `${[leadsHeader, ...rows].join("\n")}\n` });
      const result = await ferry("discover", cut, ...state);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(
        /lead\s+10 records, 0 rejected, 0 with warnings, \S*leads\.csv unreadable from line 12/,
      );
      expect(result.stdout).toContain("[error]");
    });

    it("reads the rows after a stray quote", async () => {
      // The quote is never closed, but the lines after it read as complete rows.
      const rows = Array.from({ length: 20_000 }, (_, i) =>
        i === 10 ? leadRow(i + 1, '"Acme unclosed') : leadRow(i + 1),
      );
      const stray = folder("stray", { "leads.csv": `${[leadsHeader, ...rows].join("\n")}\n` });
      const result = await ferry("discover", stray, ...state);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/lead\s+20000 records, 0 rejected, 1 with warnings\n/);
      expect(result.stdout).toContain(
        "[warning] 1 lead records carry the warning stray-quote; for example leads.csv line 12 has a cell that starts with a quote not closed on that line",
      );
    });

    it("exits 1 on missing leads", async () => {
      const contacts = "Contact ID,Lead ID,First Name,Email\nC1,L000001,Ana,ana@example.test\n";
      const orphans = folder("no-leads", { "contacts.csv": contacts });
      const result = await ferry("discover", orphans, ...state);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(
        "[error] Records of other files refer to leads by id (1: contacts.csv 1), but the export has no leads file",
      );
    });

    it("exits 1 on a leads file without an id column", async () => {
      const leads = "Identifier,First Name,Email\nL000001,Ana,ana@example.test\n";
      const contacts = "Contact ID,Lead ID,First Name,Email\nC1,L000001,Ana,ana@example.test\n";
      const renamed = folder("renamed-id", { "leads.csv": leads, "contacts.csv": contacts });
      const result = await ferry("discover", renamed, ...state);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain("[error] leads.csv has no lead id column");
      expect(result.stdout).toContain("The column Identifier has a different value on every row");
    });

    it("exits 0 on a clean export", async () => {
      const result = await ferry("discover", world.exportDir, ...state);
      expect(result.code).toBe(0);
      expect(result.stdout).not.toContain("[error]");
    });

    it("rejects an invalid PIPEDRIVE_PLAN", async () => {
      const saved = world.env.PIPEDRIVE_PLAN;
      world.env.PIPEDRIVE_PLAN = "bogus";
      try {
        const result = await ferry("discover", world.exportDir, "--budget", "1000", ...state);
        expect(result.code).toBe(2);
        expect(result.stderr).toContain(
          'PIPEDRIVE_PLAN "bogus" is invalid; use one of lite, growth, premium, ultimate\n',
        );
      } finally {
        world.env.PIPEDRIVE_PLAN = saved;
      }
    });

    it("rejects an invalid PIPEDRIVE_SEATS", async () => {
      const saved = world.env.PIPEDRIVE_SEATS;
      world.env.PIPEDRIVE_SEATS = "0";
      try {
        const result = await ferry("discover", world.exportDir, ...state);
        expect(result.code).toBe(2);
        expect(result.stderr).toContain(
          'PIPEDRIVE_SEATS "0" is invalid; use a whole number of at least 1\n',
        );
      } finally {
        // runCli copies world.env into process.env, so the seats go back to a value, not undefined.
        world.env.PIPEDRIVE_SEATS = saved ?? "1";
      }
    });

    it("estimates with the account's budget", async () => {
      const premium = await ferry("discover", world.exportDir, ...state);
      expect(premium.stdout).toContain("at 150000 tokens a day");

      // Without a token the command line uses the embedded sandbox, whose plan is growth.
      const saved = { token: world.env.PIPEDRIVE_API_TOKEN, plan: world.env.PIPEDRIVE_PLAN };
      world.env.PIPEDRIVE_API_TOKEN = "";
      world.env.PIPEDRIVE_PLAN = "";
      try {
        const sandbox = await ferry("discover", world.exportDir, ...state);
        expect(sandbox.code).toBe(0);
        expect(sandbox.stdout).toContain("at 60000 tokens a day");
      } finally {
        world.env.PIPEDRIVE_API_TOKEN = saved.token;
        world.env.PIPEDRIVE_PLAN = saved.plan;
      }
    });
  });

  describe("discover --plan", () => {
    it("warns about a plan of another folder", async () => {
      const other = folder("other-export", {});
      const planPath = join(world.root, "other-plan.yaml");
      expect((await ferry("propose", other, "--plan", planPath, ...state)).code).toBe(1);

      const result = await ferry("discover", world.exportDir, "--plan", planPath, ...state);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(
        `warning: the plan ${planPath} was drafted from ${other}, not from ${world.exportDir}`,
      );
    });
  });

  describe("propose", () => {
    it("exits 1 on an export with errors", async () => {
      const empty = folder("empty-propose", {});
      const planPath = join(world.root, "empty-plan.yaml");
      const result = await ferry("propose", empty, "--plan", planPath, ...state);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain("[error] no CSV file of a known Flash Lead object");
      expect(result.stderr).toContain("do not confirm this plan");
    });
  });

  describe("migrate", () => {
    it("rejects a plan with nothing to move", async () => {
      const empty = folder("empty-migrate", {});
      const planPath = join(world.root, "nothing.yaml");
      expect((await ferry("propose", empty, "--plan", planPath, ...state)).code).toBe(1);
      const confirmed = await ferry("confirm", planPath, "--yes", "--by", "Ana", ...state);
      expect(confirmed.code).toBe(0);

      const before = world.sandbox.control.snapshot();
      const result = await ferry("migrate", planPath, ...state);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`the plan ${planPath} names no CSV file`);
      expect(result.stderr).toContain("there is nothing to migrate");
      // No field, pipeline or record was created for the empty plan.
      expect(world.sandbox.control.snapshot()).toEqual(before);
    });
  });

  describe("verify, report and rollback", () => {
    it.each([["verify"], ["report"], ["rollback", "--all"]])(
      "%s rejects a state folder without ledger",
      async (...command) => {
        const fresh = join(world.root, `fresh-${command[0]}`);
        const result = await ferry(...command, "--state", fresh);
        expect(result.code).toBe(2);
        expect(result.stderr).toContain(`no ledger in the state folder ${fresh}`);
        expect(result.stderr).toContain("pass --state with the folder that ferry migrate used");
        expect(existsSync(join(fresh, "ledger.sqlite"))).toBe(false);
      },
    );
  });
});
