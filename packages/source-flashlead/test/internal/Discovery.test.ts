import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "@effect/vitest";
import type { Finding, Inventory, SourceRecord } from "@ferry/core";
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
        {
          path: "leads.csv",
          encoding: "utf-8",
          delimiter: ";",
          rows: 3,
          skipped: { blank: 0, delimiterHint: 0 },
          recognizedBy: "name",
        },
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

  describe("skipped rows", () => {
    /** One file of the export: its bytes and what discovery must count in it. */
    interface SkipCase {
      readonly name: string;
      readonly kind: "lead" | "contact";
      readonly text: string;
      /** Header rows: 0 when the first row is data, which is rejected and counted in `rows`. */
      readonly header: 0 | 1;
      /** Line breaks inside quoted cells, which continue a row on the next line. */
      readonly breaksInQuotes: number;
      readonly rows: number;
      readonly skipped: { readonly blank: number; readonly delimiterHint: number };
      readonly records: number;
      readonly rejections: number;
    }

    const cases: ReadonlyArray<SkipCase> = [
      {
        name: "leads.csv",
        kind: "lead",
        text: [
          "sep=;",
          "id;first_name;email;notes",
          'L-1;Ana;ana@example.test;"first line\r\nsecond line\r\nthird line"',
          "",
          "L-2;Caio;caio@example.test;short",
          "   ",
          ";;;",
          "L-3;Bia;bia@example.test;ok;extra;extra",
          " ; ;\t; ",
          "L-4;Dani;dani@example.test;",
          "",
          "",
          "",
        ].join("\r\n"),
        header: 1,
        breaksInQuotes: 2,
        rows: 4,
        skipped: { blank: 6, delimiterHint: 1 },
        records: 3,
        rejections: 1,
      },
      {
        name: "Leads_2024-05-02.csv",
        kind: "lead",
        text: "id,first_name,email\n\t\nL-5,Eva,eva@example.test\n,,\n",
        header: 1,
        breaksInQuotes: 0,
        rows: 1,
        skipped: { blank: 2, delimiterHint: 0 },
        records: 1,
        rejections: 0,
      },
      {
        name: "contacts.csv",
        kind: "contact",
        text: [
          "",
          "",
          "id,first_name,email,notes",
          'C-1,Ivo,ivo@example.test,"line one\nline two"',
          ',"\n",,',
          "C-2,Rui,rui@example.test,",
          "",
        ].join("\n"),
        header: 1,
        breaksInQuotes: 2,
        rows: 2,
        skipped: { blank: 3, delimiterHint: 0 },
        records: 2,
        rejections: 0,
      },
      {
        name: "Contacts_2024-05-02.csv",
        kind: "contact",
        text: "C-3,Ana,ana@example.test\n\nC-4,Bia,bia@example.test\n",
        header: 0,
        breaksInQuotes: 0,
        rows: 2,
        skipped: { blank: 1, delimiterHint: 0 },
        records: 1,
        rejections: 1,
      },
    ];

    /** Physical lines of a text, the last one counted whether or not a line break ends it. */
    const physicalLines = (text: string): number => {
      const breaks = text.match(/\r\n|\r|\n/g)?.length ?? 0;
      return /(\r\n|\r|\n)$/.test(text) ? breaks : breaks + 1;
    };

    const writeExport = async (): Promise<string> => {
      const folder = await mkdtemp(join(tmpdir(), "ferry-skipped-"));
      for (const entry of cases) await writeFile(join(folder, entry.name), entry.text);
      return folder;
    };

    it("accounts for every line of each file", async () => {
      const folder = await writeExport();
      const inventory = await discover(folder);
      const leads = await readItems(folder, "lead");
      const contacts = await readItems(folder, "contact");
      await rm(folder, { recursive: true, force: true });

      for (const entry of cases) {
        const object = objectOf(inventory, entry.kind);
        const file = object?.files.find((f) => f.path === entry.name);
        expect(file?.rows, entry.name).toBe(entry.rows);
        expect(file?.skipped, entry.name).toEqual(entry.skipped);

        const items = entry.kind === "lead" ? leads : contacts;
        const records = items.records.filter((r) => r.origin.file === entry.name);
        const rejections = items.rejections.filter((r) => r.origin.file === entry.name);
        expect(records.length, entry.name).toBe(entry.records);
        expect(rejections.length, entry.name).toBe(entry.rejections);
        expect(records.length + rejections.length, entry.name).toBe(entry.rows);

        // Each row other than the header is a record, a rejection or a skipped row, and a row
        // whose quoted cells hold line breaks goes on for one more line per break.
        const { blank, delimiterHint } = entry.skipped;
        const rowLines = physicalLines(entry.text) - entry.breaksInQuotes;
        expect(rowLines, entry.name).toBe(entry.header + entry.rows + blank + delimiterHint);
      }

      expect(objectOf(inventory, "lead")).toMatchObject({ recordCount: 4, rejectedCount: 1 });
      expect(objectOf(inventory, "contact")).toMatchObject({ recordCount: 3, rejectedCount: 1 });
    });

    it("counts a row over three lines once", async () => {
      const folder = await writeExport();
      const leads = await readItems(folder, "lead");
      const contacts = await readItems(folder, "contact");
      await rm(folder, { recursive: true, force: true });

      const lines = (items: { records: ReadonlyArray<SourceRecord> }) =>
        items.records.map((r) => [r.origin.file, r.sourceId, r.origin.line]);
      expect(lines(leads)).toEqual([
        ["Leads_2024-05-02.csv", "L-5", 3],
        ["leads.csv", "L-1", 3],
        ["leads.csv", "L-2", 7],
        ["leads.csv", "L-4", 12],
      ]);
      expect(leads.rejections.map((r) => [r.origin.line, r.code])).toEqual([[10, "long-row"]]);
      const first = leads.records.find((r) => r.sourceId === "L-1");
      expect(first?.fields.notes).toBe("first line\r\nsecond line\r\nthird line");
      expect(lines(contacts)).toEqual([
        // The file has no header, so no column is the id and the id is a hash of the row.
        ["Contacts_2024-05-02.csv", expect.stringMatching(/^h:/), 3],
        ["contacts.csv", "C-1", 4],
        ["contacts.csv", "C-2", 8],
      ]);
    });

    it("counts skipped rows up to a parse failure", async () => {
      const folder = await mkdtemp(join(tmpdir(), "ferry-skipped-"));
      const huge = "x".repeat(1_100_000);
      const failing = `id,notes\n\n1,fine\n,\n2,"${huge}\n3,after\n`;
      await writeFile(join(folder, "Leads_2024-05-01.csv"), failing);
      await writeFile(join(folder, "Leads_2024-05-02.csv"), "id,notes\n\n9,unread\n");
      const inventory = await discover(folder);
      await rm(folder, { recursive: true, force: true });

      expect(finding(inventory, "unparseable-file", "lead")?.details).toMatchObject({ line: 5 });
      const files = objectOf(inventory, "lead")?.files ?? [];
      expect(files.map((file) => file.path)).toEqual([
        "Leads_2024-05-01.csv",
        "Leads_2024-05-02.csv",
      ]);
      expect(files[0]?.rows).toBe(1);
      expect(files[0]?.skipped).toEqual({ blank: 2, delimiterHint: 0 });
      // The file after the failed one is never read, so its skipped rows are unknown.
      expect(files[1]?.rows).toBe(0);
      expect(files[1]).not.toHaveProperty("skipped");
    });
  });

  describe("values that do not read as the column's type", () => {
    /** Writes files into a new folder, runs discovery on it and removes the folder. */
    const discoverFiles = async (
      files: Readonly<Record<string, string>>,
      options: Partial<FlashLeadSourceOptions> = {},
    ): Promise<Inventory> => {
      const folder = await mkdtemp(join(tmpdir(), "ferry-values-"));
      try {
        for (const [name, text] of Object.entries(files)) {
          await writeFile(join(folder, name), text);
        }
        return await discover(folder, options);
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    };

    /** Builds the text of a CSV file from its header and rows. */
    const csv = (header: string, rows: ReadonlyArray<string>): string =>
      `${[header, ...rows].join("\n")}\n`;

    const rowsOf = (count: number, row: (n: number) => string): ReadonlyArray<string> =>
      Array.from({ length: count }, (_, index) => row(index + 1));

    const valueFindings = (inventory: Inventory): ReadonlyArray<Finding> =>
      inventory.findings.filter((f) =>
        ["unreadable-date", "unreadable-number", "invalid-email"].includes(f.code),
      );

    const detailsOf = (found: Finding | undefined) =>
      found?.details as { column: string; readAs: string; examples: ReadonlyArray<unknown> };

    it("reports impossible dates and values that are no date", async () => {
      const rows = rowsOf(20, (n) => `L${n},2023-05-${String(n).padStart(2, "0")} 08:45:00`);
      const bad = [...rows];
      bad[0] = "L1,2023-13-45 08:45:00";
      bad[6] = "L7,someday";
      bad[11] = "L12,31/31/2023";
      const inventory = await discoverFiles({
        "leads.csv": csv("Lead ID,Created At", bad),
      });

      const found = finding(inventory, "unreadable-date", "lead");
      expect(found?.severity).toBe("warning");
      expect(found?.count).toBe(3);
      expect(detailsOf(found).column).toBe("created_at");
      expect(detailsOf(found).readAs).toBe("year-first");
      expect(detailsOf(found).examples).toEqual([
        { file: "leads.csv", line: 2, value: "2023-13-45 08:45:00" },
        { file: "leads.csv", line: 8, value: "someday" },
        { file: "leads.csv", line: 13, value: "31/31/2023" },
      ]);
      expect(found?.message).toContain('leads.csv:8 "someday"');
    });

    it("reports a February 30 in a date column", async () => {
      const rows = rowsOf(12, (n) => `I${n},L${n},2024-0${(n % 9) + 1}-10`);
      const bad = [...rows];
      bad[3] = "I4,L4,2024-02-30";
      const inventory = await discoverFiles({
        "invoices.csv": csv("Invoice ID,Lead ID,Due Date", bad),
      });

      const found = finding(inventory, "unreadable-date", "invoice");
      expect(found?.count).toBe(1);
      expect(detailsOf(found).column).toBe("due_date");
      expect(detailsOf(found).examples).toEqual([
        { file: "invoices.csv", line: 5, value: "2024-02-30" },
      ]);
    });

    it("leaves impossible timestamps to the row rejection", async () => {
      const rows = rowsOf(12, (n) => `A${n},L1,${String(n + 12)}/04/2024 10:00,Call`);
      const bad = [...rows];
      bad[2] = "A3,L1,14/13/2024 10:00,Call";
      const inventory = await discoverFiles({
        "activity_log.csv": csv("Activity ID,Lead ID,Date,Type", bad),
        "leads.csv": csv("Lead ID,Created At", ["L1,2024-04-01"]),
      });

      // The source rejects the impossible timestamp itself, so no value finding repeats it.
      expect(finding(inventory, "rejected-impossible-date", "activity")?.count).toBe(1);
      expect(finding(inventory, "unreadable-date", "activity")).toBeUndefined();
    });

    it("reports amounts that do not read with the column's separators", async () => {
      const rows = rowsOf(20, (n) => `I${n},L${n},${1000 + n}.5${n % 10}`);
      const bad = [...rows];
      bad[1] = "I2,L2,8.4OO";
      bad[7] = 'I8,L8,"1.234,56"';
      const inventory = await discoverFiles({
        "invoices.csv": csv("Invoice ID,Lead ID,Amount", bad),
      });

      const found = finding(inventory, "unreadable-number", "invoice");
      expect(found?.count).toBe(2);
      expect(detailsOf(found).column).toBe("amount");
      expect(detailsOf(found).readAs).toBe('group "," and decimal "."');
      expect(detailsOf(found).examples).toEqual([
        { file: "invoices.csv", line: 3, value: "8.4OO" },
        { file: "invoices.csv", line: 9, value: "1.234,56" },
      ]);
    });

    it("reads a column with decimal commas with those separators", async () => {
      const rows = rowsOf(20, (n) => `I${n},L${n},"R$ 1.${100 + n},50"`);
      const bad = [...rows];
      bad[4] = "I5,L5,R$ 1234.50";
      const inventory = await discoverFiles({
        "invoices.csv": csv("Invoice ID,Lead ID,Amount", bad),
      });

      const found = finding(inventory, "unreadable-number", "invoice");
      expect(found?.count).toBe(1);
      expect(detailsOf(found).readAs).toBe('group "." and decimal ","');
      expect(detailsOf(found).examples).toEqual([
        { file: "invoices.csv", line: 6, value: "R$ 1234.50" },
      ]);
    });

    it("reports malformed e-mail addresses", async () => {
      const rows = rowsOf(20, (n) => `L${n},person.${n}@example.test`);
      const bad = [...rows];
      bad[5] = "L6,testa.amostra.6@example";
      bad[9] = "L10,no address";
      const inventory = await discoverFiles({ "leads.csv": csv("Lead ID,Email", bad) });

      const found = finding(inventory, "invalid-email", "lead");
      expect(found?.count).toBe(2);
      expect(detailsOf(found).column).toBe("email");
      expect(detailsOf(found).examples).toEqual([
        { file: "leads.csv", line: 7, value: "testa.amostra.6@example" },
        { file: "leads.csv", line: 11, value: "no address" },
      ]);
    });

    it("keeps five examples and counts the rest", async () => {
      const rows = rowsOf(200, (n) => (n % 20 === 0 ? `L${n},2024-02-31` : `L${n},2024-01-05`));
      const inventory = await discoverFiles({ "leads.csv": csv("Lead ID,Created At", rows) });

      const found = finding(inventory, "unreadable-date", "lead");
      expect(found?.count).toBe(10);
      expect(detailsOf(found).examples).toHaveLength(5);
      expect(detailsOf(found).examples[4]).toEqual({
        file: "leads.csv",
        line: 101,
        value: "2024-02-31",
      });
    });

    it("finds nothing in a clean export", async () => {
      const inventory = await discoverFiles({
        "leads.csv": csv(
          "Lead ID,Email,Value,Created At",
          rowsOf(20, (n) => `L${n},person.${n}@example.test,${n * 100},2024-03-${10 + n} 09:00`),
        ),
        "invoices.csv": csv(
          "Invoice ID,Lead ID,Amount,Issue Date",
          rowsOf(20, (n) => `I${n},L${n},"1,${100 + n}.50",15/0${(n % 9) + 1}/2024`),
        ),
      });

      expect(objectOf(inventory, "lead")?.recordCount).toBe(20);
      expect(objectOf(inventory, "invoice")?.recordCount).toBe(20);
      expect(valueFindings(inventory)).toEqual([]);
    });

    it("finds nothing in the sample export", async () => {
      const inventory = await discover(sampleExport);
      expect(valueFindings(inventory)).toEqual([]);
    });
  });

  describe("sample export with a stray quote", () => {
    // A quote before the company of leads.csv line 10, with the next quote on line 13.
    const damaged = async (): Promise<string> => {
      const folder = await mkdtemp(join(tmpdir(), "ferry-stray-quote-"));
      await cp(sampleExport, folder, { recursive: true });
      const path = join(folder, "leads.csv");
      const lines = (await readFile(path, "utf8")).split("\n");
      lines[9] = (lines[9] ?? "").replace(",Exemplo Ltda,", ',"Exemplo Ltda,');
      await writeFile(path, lines.join("\n"));
      return folder;
    };

    it("reads every lead line as its own row", async () => {
      const folder = await damaged();
      try {
        const { records, rejections } = await readItems(folder, "lead");
        expect(rejections).toEqual([]);
        expect(records).toHaveLength(300);
        const byLine = new Map(records.map((record) => [record.origin.line, record]));
        expect(byLine.get(10)?.fields.company).toBe('"Exemplo Ltda');
        expect(byLine.get(10)?.fields.stage).toBe("Lost");
        expect(byLine.get(10)?.warnings.map((w) => w.code)).toEqual(["stray-quote"]);
        expect(byLine.get(10)?.warnings[0]?.message).toContain("the next quote is on line 13");
        for (const [line, id] of [
          [11, "L000010"],
          [12, "L000011"],
          [13, "L000012"],
        ] as const) {
          expect(byLine.get(line)?.sourceId, `line ${line}`).toBe(id);
          expect(byLine.get(line)?.warnings, `line ${line}`).toEqual([]);
        }
        expect(byLine.get(13)?.fields.tags).toBe("cold, hot");
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    });

    it("keeps the counts and the multi-line cells", async () => {
      const folder = await damaged();
      try {
        const inventory = await discover(folder);
        const lead = objectOf(inventory, "lead");
        expect(lead?.files[0]?.rows).toBe(300);
        expect(lead).toMatchObject({ recordCount: 300, rejectedCount: 0 });
        expect(finding(inventory, "stray-quote", "lead")?.details).toEqual([
          expect.objectContaining({ line: 10 }),
        ]);
        expect(finding(inventory, "short-row", "lead")).toBeUndefined();
        expect(finding(inventory, "unknown-lead")).toBeUndefined();
        const threads = await readItems(folder, "message_thread");
        expect(threads.records).toHaveLength(53);
        const withBreaks = threads.records.filter((r) => (r.fields.thread ?? "").includes("\n"));
        expect(withBreaks.length).toBeGreaterThan(0);
        const notes = (await readItems(folder, "lead")).records.filter((r) =>
          (r.fields.notes ?? "").includes("\n"),
        );
        const sampleNotes = (await readItems(sampleExport, "lead")).records.filter((r) =>
          (r.fields.notes ?? "").includes("\n"),
        );
        expect(notes.map((r) => r.fields.notes)).toEqual(sampleNotes.map((r) => r.fields.notes));
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
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
      expect(finding(inventory, "missing-owner", "lead")?.message).toContain(
        "set defaultOwner in the mapping plan",
      );
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
