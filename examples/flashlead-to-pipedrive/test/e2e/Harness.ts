/**
 * The set-up the end-to-end tests share. Each test starts a Pipedrive sandbox on 127.0.0.1 (plan
 * premium, clock 20 times faster, a recognizable API token) and gets a temporary state folder
 * and a generated or bundled export. Helpers confirm a plan with its owners decided, and read
 * the sandbox's state and the ledger's id map.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { type IdMapEntry, Ledger } from "@ferry/core";
import { type Sandbox, type SerializedState, startSandbox } from "@ferry/dest-pipedrive/sandbox";
import { loadPlan, type MappingPlan, writePlan } from "@ferry/mapping";
import { generateExport } from "@ferry/source-flashlead/generator";
import { vi } from "vitest";

import { type CommonOptions, confirm, propose } from "../../src/ReferencePipeline.js";

/** The sandbox admin's API token; tests assert that no output contains it. */
export const secretToken = "tok-SECRET-e2e-7f3a9c1d5b8e2f40";

/** E-mail of the sandbox's admin user. */
export const sandboxAdmin = "admin@ferry-sandbox.test";

/** Destination kinds and the sandbox collection of each. */
export const collectionOf = {
  organization: "organizations",
  person: "persons",
  deal: "deals",
  lead: "leads",
  note: "notes",
  activity: "activities",
  file: "files",
} as const;

/** A destination kind of Pipedrive. */
export type DestKind = keyof typeof collectionOf;

/** One test's world: the sandbox, the environment that names it, and the folders. */
export interface World {
  readonly sandbox: Sandbox;
  readonly env: NodeJS.ProcessEnv;
  readonly root: string;
  readonly stateDir: string;
  readonly exportDir: string;
  readonly planPath: string;
  readonly options: CommonOptions;
  readonly close: () => Promise<void>;
}

/** Options of `openWorld`: a generated export of `leads` leads, or a copy of `copyFrom`. */
export interface WorldOptions {
  readonly leads?: number;
  readonly seed?: number;
  readonly copyFrom?: string;
}

/** Starts a sandbox and writes an export into a new temporary folder. */
export const openWorld = async (options: WorldOptions = {}): Promise<World> => {
  const root = mkdtempSync(join(tmpdir(), "ferry-e2e-"));
  const exportDir = join(root, "export");
  if (options.copyFrom === undefined) {
    await generateExport({
      folder: exportDir,
      leads: options.leads ?? 60,
      seed: options.seed ?? 7,
    });
  } else {
    cpSync(options.copyFrom, exportDir, { recursive: true });
  }
  const sandbox = await startSandbox({ token: secretToken, plan: "premium", timeScale: 20 });
  const env: NodeJS.ProcessEnv = {
    PIPEDRIVE_API_TOKEN: secretToken,
    PIPEDRIVE_BASE_URL: sandbox.url,
    PIPEDRIVE_PLAN: "premium",
    FERRY_TIME_SCALE: "20",
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

/**
 * Decides every queued owner the way a person would for a sandbox account: records of owners
 * without a Pipedrive user go to the admin, so the run creates no users.
 */
export const mapOwnersToAdmin = (plan: MappingPlan): MappingPlan => ({
  ...plan,
  owners: plan.owners.map((owner) =>
    owner.action === "queue"
      ? {
          ...owner,
          action: "map" as const,
          user: sandboxAdmin,
          reason: "tested: mapped to the admin",
        }
      : owner,
  ),
});

/** Proposes a plan for the world's export, decides its owners and confirms it. */
export const confirmedPlan = async (world: World): Promise<MappingPlan> => {
  await propose(world.exportDir, world.planPath, world.options);
  await writePlan(world.planPath, mapOwnersToAdmin(await loadPlan(world.planPath)));
  return confirm(world.planPath, "e2e tester", world.options);
};

const isLive = (record: Record<string, unknown>): boolean =>
  record.is_deleted !== true && record.active_flag !== false && record.is_archived !== true;

/** Ids of the live (not deleted) records of one collection of a snapshot. */
export const liveIds = (state: SerializedState, kind: DestKind): ReadonlyArray<string> =>
  (state.collections[collectionOf[kind]] as ReadonlyArray<Record<string, unknown>>)
    .filter(isLive)
    .map((record) => String(record.id));

/** One live record of a snapshot by kind and id. */
export const recordOf = (
  state: SerializedState,
  kind: DestKind,
  id: string,
): Record<string, unknown> | undefined =>
  (state.collections[collectionOf[kind]] as ReadonlyArray<Record<string, unknown>>).find(
    (record) => String(record.id) === id,
  );

/** Reads the ledger's id map. */
export const idMap = (stateDir: string): ReadonlyArray<IdMapEntry> => {
  const ledger = Ledger.open(stateDir);
  try {
    return ledger.idMapEntries();
  } finally {
    ledger.close();
  }
};

/** Reads the tokens the ledger counts for today (UTC). */
export const tokensInLedger = (stateDir: string): number => {
  const ledger = Ledger.open(stateDir);
  try {
    return ledger.tokensSpent(new Date().toISOString().slice(0, 10));
  } finally {
    ledger.close();
  }
};

/** Id map entries grouped by destination kind. */
export const idMapByKind = (stateDir: string): Record<string, ReadonlyArray<IdMapEntry>> => {
  const groups: Record<string, Array<IdMapEntry>> = {};
  for (const entry of idMap(stateDir)) {
    const group = groups[entry.destKind] ?? [];
    group.push(entry);
    groups[entry.destKind] = group;
  }
  return groups;
};

/** The first cells of a leads.csv row. */
export interface LeadRow {
  readonly line: number;
  readonly id: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly company: string;
  readonly jobTitle: string;
  /** Whether the row contains a quoted cell (such as a list of tags) after the first cells. */
  readonly quoted: boolean;
}

const leadsFile = (exportDir: string): string => join(exportDir, "leads.csv");

/** Reads the first cells of the rows of an export's leads.csv that have no quotes in them. */
export const leadRows = (exportDir: string): ReadonlyArray<LeadRow> => {
  const lines = readFileSync(leadsFile(exportDir), "utf8")
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/);
  return lines.slice(1).flatMap((text, index) => {
    if (text === "") return [];
    const [id = "", firstName = "", lastName = "", email = "", , company = "", jobTitle = ""] =
      text.split(",", 7);
    // A messy export quotes some of these cells; such rows are left out.
    if ([id, firstName, lastName, email, company, jobTitle].some((cell) => cell.includes('"'))) {
      return [];
    }
    return [
      {
        line: index + 2,
        id,
        firstName,
        lastName,
        email,
        company,
        jobTitle,
        quoted: text.includes('"'),
      },
    ];
  });
};

/** Rewrites leads.csv: `edit` gets each data row's text and returns the new rows for it. */
export const editLeads = (
  exportDir: string,
  edit: (text: string, id: string) => ReadonlyArray<string>,
): void => {
  const [header = "", ...rows] = readFileSync(leadsFile(exportDir), "utf8").split("\n");
  const edited = rows.flatMap((text) =>
    text === "" ? [text] : edit(text, text.split(",", 1)[0] ?? ""),
  );
  writeFileSync(leadsFile(exportDir), [header, ...edited].join("\n"));
};

/** Replaces the job title (the seventh cell) of a leads.csv row. */
export const withJobTitle = (text: string, title: string): string => {
  const cells = text.split(",");
  cells[6] = title;
  return cells.join(",");
};

/**
 * Seeds records that were in the account before the migration and share names and e-mails with
 * the first leads of the export: a person and an organization per lead, and a deal.
 */
export const seedLookalikes = async (world: World, count: number): Promise<void> => {
  const rows = leadRows(world.exportDir).slice(0, count);
  await world.sandbox.control.seed({
    organizations: rows.map((row) => ({ name: row.company })),
    persons: rows.map((row) => ({
      name: `${row.firstName} ${row.lastName}`,
      emails: [{ value: row.email, primary: true, label: "work" }],
    })),
    deals: rows.map((row) => ({ title: `${row.firstName} ${row.lastName} deal` })),
  });
};

/** Collections that hold records; a rollback without schema removal leaves the schema items. */
const recordCollections = Object.values(collectionOf);

/**
 * Returns a record without `update_time`, which Pipedrive sets on every write, and with the
 * option ids of each multi-option custom field sorted, because such a value is a set.
 */
const comparable = (record: Record<string, unknown>): Record<string, unknown> => {
  const { update_time: _, custom_fields: custom, ...rest } = record;
  if (typeof custom !== "object" || custom === null) return rest;
  const fields = Object.entries(custom as Record<string, unknown>).map(([key, value]) => [
    key,
    Array.isArray(value) ? [...value].sort() : value,
  ]);
  return { ...rest, custom_fields: Object.fromEntries(fields) };
};

/**
 * Lists how the live records of `after` differ from those of `before`: records added and still
 * live, records removed or deleted, and records whose content changed. An empty list means
 * the account shows the same records as before. A restored record keeps the time of its restore
 * and may list the options of a multi-option field in another order, so both are left out.
 */
export const liveChanges = (
  before: SerializedState,
  after: SerializedState,
): ReadonlyArray<string> => {
  const out: Array<string> = [];
  for (const name of recordCollections) {
    const index = (state: SerializedState) =>
      new Map(
        (state.collections[name] as ReadonlyArray<Record<string, unknown>>)
          .filter(isLive)
          .map((record) => [String(record.id), JSON.stringify(comparable(record))]),
      );
    const left = index(before);
    const right = index(after);
    for (const [id, text] of right) {
      if (!left.has(id)) out.push(`${name} ${id} added`);
      else if (left.get(id) !== text) out.push(`${name} ${id} changed`);
    }
    for (const id of left.keys()) if (!right.has(id)) out.push(`${name} ${id} removed`);
  }
  return out;
};

/** What one command line printed and returned. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `ferry` in this process with the world's environment and captures what it prints. */
export const runCli = async (world: World, args: ReadonlyArray<string>): Promise<CliResult> => {
  const { main } = await import("../../src/cli/main.js");
  const saved = new Map(Object.keys(world.env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, world.env);
  const out: Array<string> = [];
  const err: Array<string> = [];
  const capture = (into: Array<string>) => (chunk: unknown) => {
    into.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString());
    return true;
  };
  const stdout = vi.spyOn(process.stdout, "write").mockImplementation(capture(out));
  const stderr = vi.spyOn(process.stderr, "write").mockImplementation(capture(err));
  try {
    const code = await main(args);
    return { code, stdout: out.join(""), stderr: err.join("") };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
};
