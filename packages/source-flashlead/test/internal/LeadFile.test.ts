import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { afterEach, describe, expect, it } from "@effect/vitest";
import type { Finding, Inventory } from "@ferry/core";
import { Effect } from "effect";

import { makeFlashLeadSource } from "../../src/index.js";

const sampleExport = fileURLToPath(
  new URL("../../../../examples/flashlead-to-pipedrive/sample-export/", import.meta.url),
);

const discover = (folder: string): Promise<Inventory> =>
  Effect.runPromise(makeFlashLeadSource({ folder }).discover());

const leadFindings = (inventory: Inventory): ReadonlyArray<Finding> =>
  inventory.findings.filter((f) => f.code === "missing-leads" || f.code === "no-lead-id-column");

describe("LeadFile", () => {
  const folders: Array<string> = [];
  afterEach(async () => {
    for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
  });

  /** Copies the sample export and rewrites its leads.csv; `undefined` removes the file. */
  const sampleWithLeads = async (edit: (text: string) => string | undefined): Promise<string> => {
    const folder = await mkdtemp(join(tmpdir(), "ferry-lead-file-"));
    folders.push(folder);
    await cp(sampleExport, folder, { recursive: true });
    const path = join(folder, "leads.csv");
    const text = edit(await readFile(path, "utf8"));
    if (text === undefined) await rm(path);
    else await writeFile(path, text);
    return folder;
  };

  // Records of the sample export with a lead id: contacts, invoices, activities and threads.
  const references = { contacts: 135, invoices: 158, activities: 1426, threads: 53 };
  const total =
    references.contacts + references.invoices + references.activities + references.threads;

  it("finds nothing on the sample export", async () => {
    expect(leadFindings(await discover(sampleExport))).toEqual([]);
  });

  it("reports a missing leads file", async () => {
    const inventory = await discover(await sampleWithLeads(() => undefined));
    const [found, ...others] = leadFindings(inventory);
    expect(others).toEqual([]);
    expect(found).toMatchObject({ code: "missing-leads", severity: "error", count: total });
    expect(found?.message).toContain(
      "Records of other files refer to leads by id (1,772: contacts.csv 135, invoices.csv 158, activity_log.csv 1,426 and message_threads.csv 53)",
    );
    expect(found?.message).toContain("the export has no leads file");
    expect(found?.message).toContain("Add the leads export (leads.csv, with its rows)");
  });

  it("reports an empty leads file", async () => {
    const inventory = await discover(await sampleWithLeads(() => ""));
    const found = leadFindings(inventory)[0];
    expect(found).toMatchObject({ code: "missing-leads", severity: "error", count: total });
    expect(found?.message).toContain("leads.csv was not read: the file is empty");
  });

  it("reports a leads file with a header only", async () => {
    const inventory = await discover(await sampleWithLeads((text) => text.split("\n")[0]));
    const found = leadFindings(inventory)[0];
    expect(found).toMatchObject({ code: "missing-leads", severity: "error", count: total });
    expect(found?.message).toContain("leads.csv holds no lead record (0 rows rejected)");
  });

  it("names a renamed id column", async () => {
    const folder = await sampleWithLeads((text) => text.replace("Lead ID,", "Identifier,"));
    const inventory = await discover(folder);
    const [found, ...others] = leadFindings(inventory);
    expect(others).toEqual([]);
    expect(found).toMatchObject({ code: "no-lead-id-column", severity: "error", count: total });
    expect(found?.details).toMatchObject({
      candidate: "Identifier",
      accepted: ["id", "lead id", "record id", "identifiant", "identificador", "kennung"],
    });
    expect(found?.message).toContain("leads.csv has no lead id column");
    expect(found?.message).toContain("Its headers are Identifier, First Name,");
    expect(found?.message).toContain(
      "The column Identifier has a different value on every row (L000001, L000002, L000003)",
    );
    expect(found?.message).toContain("rename its header to Lead ID");
  });

  it("reports a missing id column without a candidate", async () => {
    // The id column is dropped from every line, so no column contains ids.
    const folder = await sampleWithLeads((text) =>
      text
        .split("\n")
        .map((line) => line.replace(/^(\uFEFF)?[^,]*,/, "$1"))
        .join("\n"),
    );
    const found = leadFindings(await discover(folder))[0];
    expect(found).toMatchObject({ code: "no-lead-id-column", severity: "error" });
    expect(found?.details).not.toHaveProperty("candidate");
    expect(found?.message).toContain("Add the lead id column to the export");
  });

  it("warns about an id-like column alone", async () => {
    const folder = await mkdtemp(join(tmpdir(), "ferry-lead-file-"));
    folders.push(folder);
    const leads = "Identifier,First Name\nL-1,Ana\nL-2,Bia\n";
    await writeFile(join(folder, "leads.csv"), leads);
    const [found, ...others] = leadFindings(await discover(folder));
    expect(others).toEqual([]);
    expect(found).toMatchObject({ code: "no-lead-id-column", severity: "warning", count: 0 });
    expect(found?.details).toMatchObject({ candidate: "Identifier" });
  });

  it("accepts leads without ids when nothing refers to them", async () => {
    const folder = await mkdtemp(join(tmpdir(), "ferry-lead-file-"));
    folders.push(folder);
    await writeFile(join(folder, "leads.csv"), "First Name,Email\nAna,ana@example.test\n");
    expect(leadFindings(await discover(folder))).toEqual([]);
  });
});
