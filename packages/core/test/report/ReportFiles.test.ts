import { readFileSync } from "node:fs";
import { join } from "node:path";

import { afterEach, describe, expect, it } from "@effect/vitest";

import { buildRunReport, Ledger, writeRunReports } from "../../src/index.js";
import { cleanUp, tempFolder } from "../support/RunnerFixture.js";

afterEach(cleanUp);

const REJECTIONS = 2_500;
const LOSSY = 1_200;
const QUEUED = 1_100;
const DIFFERENCES = 1_050;
/** Every seventh lossy step is an attachment that did not move. */
const LOSSY_ATTACHMENTS = Math.ceil(LOSSY / 7);

/** Cell values that need CSV quoting, formula neutralization, or Markdown and HTML escaping. */
const hostile = ["=HYPERLINK(1)", 'say "hi", ok', "two\nlines", "a|b`c", "<script>x</script>"];

/** Fills a real ledger file with a run of many rejected, lossy, queued and differing rows. */
const largeRun = () => {
  const stateDir = tempFolder();
  const ledger = Ledger.open(stateDir);
  const runId = ledger.createRun({
    mode: "full",
    planHash: "plan-large",
    dryRun: false,
    source: "flashlead",
    destination: "pipedrive",
    schemaChanges: [],
    automations: [],
    startedAt: "2026-01-01T00:00:00Z",
  });
  const otherRunId = ledger.createRun({
    mode: "full",
    planHash: "plan-other",
    dryRun: false,
    source: "flashlead",
    destination: "pipedrive",
    schemaChanges: [],
    automations: [],
    startedAt: "2026-01-02T00:00:00Z",
  });

  ledger.transaction(() => {
    for (let i = 0; i < REJECTIONS; i += 1) {
      ledger.addRejection({
        runId,
        stage: i % 2 === 0 ? "source" : "destination",
        kind: "lead",
        destKind: i % 2 === 0 ? undefined : "person",
        file: "leads.csv",
        line: i + 2,
        code: i % 3 === 0 ? "invalid-email" : "missing-name",
        message: `row ${i} rejected`,
        sourceId: `L${i}`,
        column: "email",
        value: hostile[i % hostile.length],
      });
    }
    for (let i = 0; i < LOSSY; i += 1) {
      ledger.addLossy({
        runId,
        ref: { kind: "lead", sourceId: `L${i}` },
        file: "leads.csv",
        line: i + 2,
        field: "notes",
        code: i % 7 === 0 ? "attachment-not-moved" : "truncated",
        message: `value ${i} cut`,
        value: `scan-${i}.pdf`,
      });
    }
    for (let i = 0; i < QUEUED; i += 1) {
      ledger.addQueued(
        {
          runId,
          kind: "deal",
          ref: { kind: "deal", sourceId: `D${i}` },
          file: "deals.csv",
          line: i + 2,
          reason: "owner-without-user",
          message: `deal ${i} has no owner`,
          value: undefined,
        },
        false,
      );
    }
    ledger.addRejection({
      runId: otherRunId,
      stage: "source",
      kind: "lead",
      destKind: undefined,
      file: "other.csv",
      line: 2,
      code: "other-run",
      message: "belongs to another run",
      sourceId: undefined,
      column: undefined,
      value: undefined,
    });
  });
  ledger.verifications.save(
    runId,
    5_000,
    Array.from({ length: DIFFERENCES }, (_, i) => ({
      kind: "person",
      ref: { kind: "lead", sourceId: `L${i}` },
      destId: String(1000 + i),
      field: "name",
      expected: `Name ${i}`,
      actual: null,
    })),
  );
  return { stateDir, ledger, runId };
};

/** Parses RFC 4180 CSV text into rows of cells. */
const parseCsv = (text: string): string[][] => {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i += 1;
    } else cell += c;
  }
  return rows;
};

const countMatches = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

describe("ReportFiles", () => {
  describe("writeRunReports", () => {
    it("writes every rejection to the CSV file", () => {
      const { stateDir, ledger, runId } = largeRun();
      const files = writeRunReports(ledger, runId, join(stateDir, "reports"));
      ledger.close();

      const rows = parseCsv(readFileSync(files.rejectionsCsv, "utf8"));
      expect(rows.length).toBe(REJECTIONS + 1);
      expect(rows[1]).toEqual([
        "leads.csv",
        "2",
        "lead",
        "",
        "source",
        "invalid-email",
        "row 0 rejected",
        "L0",
        "email",
        "'=HYPERLINK(1)",
      ]);
      expect(rows[3]?.[9]).toBe("two\nlines");
      expect(rows.at(-1)?.[7]).toBe(`L${REJECTIONS - 1}`);
      expect(rows.some((row) => row[5] === "other-run")).toBe(false);
    });

    it("writes every row of every table to the JSON file", () => {
      const { stateDir, ledger, runId } = largeRun();
      const files = writeRunReports(ledger, runId, join(stateDir, "reports"));
      ledger.close();

      const json = JSON.parse(readFileSync(files.json, "utf8"));
      expect(json.run.id).toBe(runId);
      expect(json.rejections).toHaveLength(REJECTIONS);
      expect(json.lossy).toHaveLength(LOSSY);
      expect(json.queue).toHaveLength(QUEUED);
      expect(json.attachments).toHaveLength(LOSSY_ATTACHMENTS);
      expect(json.verification.records).toBe(5_000);
      expect(json.verification.differences).toHaveLength(DIFFERENCES);
      expect(json.rejectionsByCode).toEqual([
        { code: "missing-name", count: REJECTIONS - Math.ceil(REJECTIONS / 3) },
        { code: "invalid-email", count: Math.ceil(REJECTIONS / 3) },
      ]);
      expect(json.rejections[REJECTIONS - 1].sourceId).toBe(`L${REJECTIONS - 1}`);
    });

    it("writes the same JSON as the report held in memory", () => {
      const { stateDir, ledger, runId } = largeRun();
      const files = writeRunReports(ledger, runId, join(stateDir, "reports"));
      const inMemory = buildRunReport(ledger, runId);
      ledger.close();

      const written = readFileSync(files.json, "utf8");
      const expected = `${JSON.stringify({ ...inMemory, generatedAt: JSON.parse(written).generatedAt }, null, 2)}\n`;
      expect(written).toBe(expected);
    });

    it("caps the Markdown tables with a line that counts the rest", () => {
      const { stateDir, ledger, runId } = largeRun();
      const files = writeRunReports(ledger, runId, join(stateDir, "reports"));
      ledger.close();

      const markdown = readFileSync(files.markdown, "utf8");
      expect(countMatches(markdown, /^\| leads\.csv \| \d+ \| (lead|person) \|/gm)).toBe(1_000);
      expect(markdown).toContain(
        "1,500 more rows are not shown: this table has the first 1,000 of 2,500, and rejections.csv and report.json list all of them.",
      );
      expect(markdown).toContain(
        "200 more rows are not shown: this table has the first 1,000 of 1,200, and report.json lists all of them.",
      );
      expect(markdown).toContain(
        "100 more rows are not shown: this table has the first 1,000 of 1,100",
      );
      expect(markdown).toContain(
        "50 more rows are not shown: this table has the first 1,000 of 1,050",
      );
      expect(markdown).toContain("5000 records read back at");
      expect(markdown).toContain(", 1050 differences.");
      expect(markdown).toContain("a\\|b\\`c");
      expect(markdown).not.toContain("<script>");
    });

    it("caps the HTML tables with a line that counts the rest", () => {
      const { stateDir, ledger, runId } = largeRun();
      const files = writeRunReports(ledger, runId, join(stateDir, "reports"), {
        maxTableRows: 10,
      });
      ledger.close();

      const html = readFileSync(files.html, "utf8");
      const rejected = html.slice(
        html.indexOf("<h2>Rejected rows</h2>"),
        html.indexOf("<h2>Lossy"),
      );
      expect(countMatches(rejected, /<tr>/g)).toBe(11);
      expect(rejected).toContain(
        '<p class="more">2,490 more rows are not shown: this table has the first 10 of 2,500, and rejections.csv and report.json list all of them.</p>',
      );
      expect(html).toContain("the first 10 of 1,200, and report.json lists all of them.");
      expect(html).toContain("the first 10 of 172, and report.json lists all of them.");
      expect(html).toMatch(/<\/body><\/html>\n$/);
      expect(html).not.toContain("<script>");
    });

    it("shows every row when the tables are short", () => {
      const { stateDir, ledger, runId } = largeRun();
      const files = writeRunReports(ledger, runId, join(stateDir, "reports"), {
        maxTableRows: 5_000,
      });
      ledger.close();

      const markdown = readFileSync(files.markdown, "utf8");
      expect(countMatches(markdown, /^\| leads\.csv \| \d+ \| (lead|person) \|/gm)).toBe(
        REJECTIONS,
      );
      expect(markdown).not.toContain("more rows are not shown");
    });

    it("rejects a negative table limit", () => {
      const { stateDir, ledger, runId } = largeRun();
      const write = () =>
        writeRunReports(ledger, runId, join(stateDir, "reports"), { maxTableRows: -1 });
      expect(write).toThrow("Invalid maxTableRows -1: expected a whole number of 0 or more");
      ledger.close();
    });
  });
});
