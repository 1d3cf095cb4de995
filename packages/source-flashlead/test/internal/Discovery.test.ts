import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "@effect/vitest";
import type { Finding, Inventory } from "@ferry/core";
import { Effect } from "effect";

import { type FlashLeadSourceOptions, makeFlashLeadSource } from "../../src/index.js";
import { fixture, readItems } from "../support/readFixture.js";

const sampleExport = fileURLToPath(
  new URL("../../../../examples/flashlead-to-pipedrive/sample-export/", import.meta.url),
);

const discover = (folder: string, options: Partial<FlashLeadSourceOptions> = {}) =>
  Effect.runPromise(makeFlashLeadSource({ folder, ...options }).discover());

const finding = (inventory: Inventory, code: string, kind?: string): Finding | undefined =>
  inventory.findings.find((f) => f.code === code && (kind === undefined || f.kind === kind));

const objectOf = (inventory: Inventory, kind: string) =>
  inventory.objects.find((o) => o.kind === kind);

describe("Discovery", () => {
  describe("discover", () => {
    it("classifies files by name and by header", async () => {
      const inventory = await discover(fixture("classify"));
      expect(
        inventory.objects.map((o) => [o.kind, o.files.map((f) => [f.path, f.recognizedBy])]),
      ).toEqual([
        ["lead", [["Leads_2024-05-01.CSV", "name"]]],
        ["contact", [["FlashLead Export - Contacts (1).csv", "name"]]],
        ["invoice", [["export1.csv", "header"]]],
      ]);
      expect(inventory.unclassified.map((u) => u.path)).toEqual([
        "empty.csv",
        "mystery.csv",
        "readme.md",
      ]);
      expect(inventory.findings.filter((f) => f.code === "unclassified-file")).toHaveLength(3);
    });

    it("reports encoding, delimiter and row counts per file", async () => {
      const semicolon = await discover(fixture("semicolon"));
      expect(objectOf(semicolon, "lead")?.files).toEqual([
        { path: "leads.csv", encoding: "utf-8", delimiter: ";", rows: 3, recognizedBy: "name" },
      ]);
      const windows = await discover(fixture("windows-1252"));
      expect(objectOf(windows, "lead")?.files[0]?.encoding).toBe("windows-1252");
      expect(finding(windows, "windows-1252")?.details).toEqual({
        file: "leads.csv",
        firstInvalidByte: 17,
      });
      const bom = await discover(fixture("bom"));
      expect(objectOf(bom, "lead")?.files[0]?.encoding).toBe("utf-8-bom");
    });

    it("counts placeholders per column", async () => {
      const inventory = await discover(fixture("placeholders"));
      const columns = objectOf(inventory, "lead")?.columns ?? [];
      const phone = columns.find((c) => c.name === "phone");
      const city = columns.find((c) => c.name === "city");
      expect(phone?.emptyCount).toBe(3);
      expect(phone?.placeholders).toEqual([
        { value: "#N/A", count: 1 },
        { value: "N/A", count: 1 },
        { value: "not found", count: 1 },
      ]);
      expect(phone?.fillRate).toBe(0.25);
      expect(city?.placeholders.map((p) => p.value).sort()).toEqual(["-", "N/A", "null"]);
      expect(finding(inventory, "excel-wrapper", "lead")?.count).toBe(1);
    });

    it("profiles digits lost, short rows and rejections", async () => {
      const semicolon = await discover(fixture("semicolon"));
      expect(finding(semicolon, "digits-lost", "lead")?.count).toBe(1);
      const short = await discover(fixture("short-row"));
      expect(objectOf(short, "lead")).toMatchObject({
        recordCount: 2,
        rejectedCount: 0,
        warningCount: 1,
      });
      expect(finding(short, "short-row", "lead")?.count).toBe(1);
      const long = await discover(fixture("long-row"));
      expect(objectOf(long, "lead")).toMatchObject({ recordCount: 2, rejectedCount: 1 });
      expect(finding(long, "rejected-long-row", "lead")?.details).toEqual([
        expect.objectContaining({ file: "leads.csv", line: 3 }),
      ]);
    });

    it("reports an ambiguous date column for a person to decide", async () => {
      const ambiguous = await discover(fixture("dates-ambiguous"));
      expect(finding(ambiguous, "ambiguous-date-column", "activity")?.message).toContain(
        '"activity.timestamp": "day-first"',
      );
      const decided = await discover(fixture("dates-ambiguous"), {
        dateOrder: { "activity.timestamp": "day-first" },
      });
      expect(finding(decided, "ambiguous-date-column")).toBeUndefined();
      const dayFirst = await discover(fixture("dates-day-first"));
      const timestamp = objectOf(dayFirst, "activity")?.columns.find((c) => c.name === "timestamp");
      expect(timestamp?.inferredType).toBe("datetime");
      expect(timestamp?.format).toBe("day-first, with time");
    });

    it("reports files that fast-csv cannot parse", async () => {
      const folder = await mkdtemp(join(tmpdir(), "ferry-unparseable-"));
      const huge = "x".repeat(1_100_000);
      await writeFile(join(folder, "leads.csv"), `id,notes\n1,fine\n2,"${huge}\n3,after\n`);
      await writeFile(join(folder, "contacts.csv"), `"${huge}\n`);
      const inventory = await discover(folder);
      await rm(folder, { recursive: true, force: true });

      expect(finding(inventory, "unparseable-file", "lead")?.details).toMatchObject({ line: 3 });
      expect(objectOf(inventory, "lead")?.recordCount).toBe(1);
      expect(inventory.unclassified).toEqual([
        { path: "contacts.csv", reason: expect.stringContaining("cannot parse its first row") },
      ]);
    });

    it("reports a first row that looks like data", async () => {
      const folder = await mkdtemp(join(tmpdir(), "ferry-headerless-"));
      await writeFile(
        join(folder, "leads.csv"),
        "L1,Testa,testa@example.test,2024-03-05,Facebook\nL2,Fictia,f@example.test,2024-03-06,Site\n",
      );
      const inventory = await discover(folder);
      await rm(folder, { recursive: true, force: true });

      const found = finding(inventory, "header-looks-like-data", "lead");
      expect(found?.severity).toBe("error");
      expect(found?.message).toContain("testa@example.test (e-mail), 2024-03-05 (date)");
      expect(found?.details).toEqual({
        file: "leads.csv",
        cells: [
          { position: 2, value: "testa@example.test", looksLike: "e-mail" },
          { position: 3, value: "2024-03-05", looksLike: "date" },
        ],
      });
      expect(finding(inventory, "header-not-recognized")).toBeUndefined();
      expect(objectOf(inventory, "lead")?.recordCount).toBe(1);
      expect(objectOf(inventory, "lead")?.rejectedCount).toBe(1);
      expect(objectOf(inventory, "lead")?.files[0]?.rows).toBe(2);
    });

    it("warns about a first row with no known label", async () => {
      const folder = await mkdtemp(join(tmpdir(), "ferry-headerless-"));
      await writeFile(join(folder, "leads.csv"), "Alfa,Bravo,Charlie\nL2,Fictia,f@example.test\n");
      const inventory = await discover(folder);
      await rm(folder, { recursive: true, force: true });

      expect(finding(inventory, "header-not-recognized", "lead")?.details).toEqual({
        file: "leads.csv",
      });
      expect(objectOf(inventory, "lead")?.recordCount).toBe(1);
      const classified = await discover(fixture("bom"));
      expect(finding(classified, "header-not-recognized")).toBeUndefined();
    });

    it("rejects a first row with one e-mail as data", async () => {
      const folder = await mkdtemp(join(tmpdir(), "ferry-headerless-"));
      await writeFile(
        join(folder, "leads.csv"),
        "L1,Testa,testa@example.test\nL2,Fictia,f@example.test\n",
      );
      const inventory = await discover(folder);
      await rm(folder, { recursive: true, force: true });

      expect(finding(inventory, "header-looks-like-data", "lead")).toBeDefined();
      expect(finding(inventory, "header-not-recognized", "lead")).toBeUndefined();
      expect(objectOf(inventory, "lead")).toMatchObject({ recordCount: 1, rejectedCount: 1 });
    });

    it("counts quote repairs as warnings", async () => {
      const inventory = await discover(fixture("unterminated"));
      expect(finding(inventory, "unparseable-file")).toBeUndefined();
      expect(finding(inventory, "unclosed-quote", "lead")?.count).toBe(1);
      expect(objectOf(inventory, "lead")).toMatchObject({ recordCount: 3, rejectedCount: 0 });
    });
  });

  describe("sample export", () => {
    it("accounts for every row as a record or a rejection", async () => {
      const inventory = await discover(sampleExport);
      const expected = {
        team_member: 4,
        lead: 300,
        contact: 135,
        invoice: 158,
        activity: 1426,
        message_thread: 53,
      };
      for (const [kind, rows] of Object.entries(expected)) {
        const object = objectOf(inventory, kind);
        expect(object?.files[0]?.rows, kind).toBe(rows);
        expect((object?.recordCount ?? 0) + (object?.rejectedCount ?? 0), kind).toBe(rows);
      }
      const leads = await readItems(sampleExport, "lead");
      expect(leads.records.length + leads.rejections.length).toBe(300);
      expect(leads.records.length).toBe(objectOf(inventory, "lead")?.recordCount);
    });

    it("finds the audit's points", async () => {
      const inventory = await discover(sampleExport);
      expect(finding(inventory, "owner-not-in-team", "lead")?.details).toEqual([
        expect.objectContaining({ value: "sem.equipe@example.test" }),
      ]);
      expect(finding(inventory, "owner-inactive", "lead")?.message).toContain(
        "inventa.demo@example.test",
      );
      expect(finding(inventory, "missing-owner", "lead")?.count).toBeGreaterThan(0);
      expect(finding(inventory, "duplicate-email", "lead")?.count).toBeGreaterThan(0);
      expect(finding(inventory, "leads-with-invoices")?.count).toBeGreaterThan(50);
      expect(finding(inventory, "stage-history")?.count).toBeGreaterThan(300);
      expect(finding(inventory, "stages")?.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ value: "Won" })]),
      );
      expect(finding(inventory, "lead-sources")?.count).toBe(5);
      expect(finding(inventory, "tags")?.count).toBe(5);
      expect(finding(inventory, "digits-lost", "lead")?.count).toBeGreaterThan(0);
      expect(finding(inventory, "ambiguous-date-column")).toBeUndefined();
    });

    it("keeps each message thread whole", async () => {
      const { records, rejections } = await readItems(sampleExport, "message_thread");
      expect(records).toHaveLength(53);
      expect(rejections).toHaveLength(0);
      for (const record of records) {
        const lines = (record.fields.thread ?? "").split("\n");
        expect(lines.length, record.sourceId).toBe(Number(record.fields.message_count));
      }
      expect(records[1]?.origin.line).toBeGreaterThan(records[0]?.origin.line ?? 0);
    });

    it("adds the volume and the token estimate", async () => {
      const inventory = await discover(sampleExport, {
        estimateTokens: (counted) => {
          const volume = counted.findings.find((f) => f.code === "migration-volume");
          return { tokens: (volume?.count ?? 0) * 10, dailyBudget: 5000 };
        },
      });
      const volume = finding(inventory, "migration-volume");
      expect(volume?.count).toBe(4 + 300 + 135 + 158 + 1426 + 53);
      expect(volume?.details).toMatchObject({ messageThreads: 53, records: { lead: 300 } });
      expect(finding(inventory, "token-estimate")?.details).toEqual({
        tokens: 20760,
        dailyBudget: 5000,
        days: 5,
      });
    });
  });
});
