import { readFileSync } from "node:fs";

import { afterEach, describe, expect, it } from "@effect/vitest";

import {
  buildRunReport,
  csvCell,
  escapeHtml,
  escapeMarkdownCell,
  Ledger,
  renderHtml,
  renderMarkdown,
  report,
  runMigration,
  verify,
} from "../../src/index.js";
import { cleanUp, setupRun, tablesWithProblems } from "../support/RunnerFixture.js";

afterEach(cleanUp);

/** The problem tables with a deal whose value is markup, pipes and a formula. */
const hostileTables = () => {
  const tables = tablesWithProblems();
  return {
    ...tables,
    deal: [
      ...(tables.deal ?? []),
      {
        id: "DH",
        title: "Hostile",
        stage: "Won",
        value: "=1|<script>`x`</script>",
        contact_id: "C1-1",
      },
    ],
  };
};

const migrated = async () => {
  const { options, test, stateDir } = await setupRun(hostileTables());
  const summary = await runMigration(options);
  await verify({ stateDir, destination: test.destination });
  return { stateDir, runId: summary.runId };
};

describe("RunReport", () => {
  describe("buildRunReport", () => {
    it("reads counts, rejections, queue and attachments from the ledger", async () => {
      const { stateDir, runId } = await migrated();
      const ledger = Ledger.open(stateDir);
      const data = buildRunReport(ledger, runId);
      ledger.close();

      expect(data.records.map((r) => r.kind)).toEqual(["organization", "person", "deal", "note"]);
      expect(data.records.find((r) => r.kind === "deal")).toMatchObject({
        read: 7,
        loaded: 6,
        queued: 1,
      });
      expect(data.rejections.find((r) => r.code === "unreadable")).toMatchObject({
        file: "contact.csv",
        line: 9,
      });
      expect(data.queue.map((q) => q.reason).sort()).toEqual([
        "link-target-queued",
        "owner-without-user",
      ]);
      expect(data.attachments).toEqual([
        expect.objectContaining({
          record: "note:NX",
          value: "scan.pdf",
          file: "note.csv",
          line: 8,
        }),
      ]);
      expect(data.verification?.records).toBe(21);
      expect(data.automations).toContainEqual({
        type: "stage",
        name: "Qualified",
        where: "pipeline Sales",
      });
      expect(data.automations).toContainEqual({
        type: "source",
        name: "Facebook",
        where: "person field Lead source",
      });
      expect(data.automations).toContainEqual({
        type: "tag",
        name: "vip",
        where: "deal field Tags",
      });
    });
  });

  describe("renderMarkdown", () => {
    it("lists rejected rows and the automation checklist", async () => {
      const { stateDir, runId } = await migrated();
      const ledger = Ledger.open(stateDir);
      const markdown = renderMarkdown(buildRunReport(ledger, runId));
      ledger.close();

      expect(markdown).toContain("| note.csv | 8 | note | link |");
      expect(markdown).toContain("- [ ] stage Won (pipeline Sales)");
      expect(markdown).toContain("## Attachments to re-upload by hand");
      expect(markdown).toContain("=1\\|&lt;script&gt;\\`x\\`&lt;/script&gt;");
      expect(markdown).not.toContain("<script>");
    });
  });

  describe("renderHtml", () => {
    it("is self-contained and escapes every value", async () => {
      const { stateDir, runId } = await migrated();
      const ledger = Ledger.open(stateDir);
      const html = renderHtml(buildRunReport(ledger, runId));
      ledger.close();

      expect(html).toContain("<svg");
      expect(html).toContain("Records per phase and object");
      expect(html).toContain("Tokens per day (UTC)");
      expect(html).not.toContain("<script");
      expect(html).toContain("&lt;script&gt;");
      expect(html).not.toMatch(/<link|src=|href=/);
    });
  });

  describe("report", () => {
    it("writes Markdown, JSON, HTML and CSV files", async () => {
      const { stateDir, runId } = await migrated();
      const files = await report({ stateDir });

      expect(files.folder).toContain(`run-${runId}`);
      const json = JSON.parse(readFileSync(files.json, "utf8"));
      expect(json.run.id).toBe(runId);
      expect(readFileSync(files.markdown, "utf8")).toContain(`# Ferry run ${runId}`);
      expect(readFileSync(files.html, "utf8")).toMatch(/^<!doctype html>/);
      const csv = readFileSync(files.rejectionsCsv, "utf8");
      expect(csv.split("\r\n")[0]).toBe(
        "file,line,kind,destination_kind,step,code,message,source_id,column,value",
      );
      expect(csv).toContain(",'=1|<script>`x`</script>");
    });

    it("passes the table limit to the files", async () => {
      const { stateDir } = await migrated();
      const files = await report({ stateDir, maxTableRows: 0 });

      const markdown = readFileSync(files.markdown, "utf8");
      expect(markdown).toMatch(/more rows are not shown: this table has the first 0 of \d+/);
      expect(markdown).not.toContain("| note.csv | 8 | note | link |");
      expect(readFileSync(files.rejectionsCsv, "utf8")).toContain("note.csv,8,");
    });

    it("rejects a fractional table limit", async () => {
      const { stateDir } = await migrated();
      await expect(report({ stateDir, maxTableRows: 1.5 })).rejects.toThrow(
        new RangeError("Invalid maxTableRows 1.5: expected a whole number of 0 or more"),
      );
    });
  });
});

describe("Escape", () => {
  describe("csvCell", () => {
    it.each([
      ["=SUM(A1)", "'=SUM(A1)"],
      ["+1", "'+1"],
      ["-2", "'-2"],
      ["@cmd", "'@cmd"],
      ['say "hi", ok', '"say ""hi"", ok"'],
      ["plain", "plain"],
    ])("neutralizes %s", (value, expected) => {
      expect(csvCell(value)).toBe(expected);
    });
  });

  describe("escapeMarkdownCell", () => {
    it("escapes pipes, backticks and line breaks", () => {
      expect(escapeMarkdownCell("a|b`c\nd")).toBe("a\\|b\\`c d");
    });
  });

  describe("escapeHtml", () => {
    it("escapes markup and quotes", () => {
      expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
        "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;",
      );
    });
  });
});
