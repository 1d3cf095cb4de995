import { readFileSync } from "node:fs";
import { join } from "node:path";

import { afterEach, describe, expect, it } from "@effect/vitest";
import Database from "better-sqlite3";

import {
  buildRunReport,
  csvCell,
  escapeHtml,
  escapeMarkdownCell,
  Ledger,
  recordApproval,
  renderHtml,
  renderMarkdown,
  renderTokensCsv,
  report,
  rollback,
  runMigration,
  type TokenAccount,
  utcDay,
  verify,
} from "../../src/index.js";
import { makeMemorySource } from "../support/InMemory.js";
import {
  cleanUp,
  setupRun,
  sourceWithNewCompany,
  tablesWithProblems,
} from "../support/RunnerFixture.js";
import { makeTestDestination } from "../support/TestDestination.js";
import { toyTables } from "../support/ToyPipeline.js";

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

/**
 * Runs twice on one day against a destination that charges 10 tokens a write, 25 a read-back
 * call and 3 a remove call. Then it verifies the first run and rolls back the second.
 */
const twoRunsOfOneDay = async () => {
  const { options, test, stateDir } = await setupRun(toyTables(2));
  const destination = (tokens: TokenAccount) =>
    makeTestDestination({
      store: test.store,
      tokens,
      tokensPerWrite: 10,
      tokensPerReadBack: 25,
      tokensPerRemove: 3,
    }).destination;
  const first = await runMigration({ ...options, destination });
  const second = await runMigration({ ...options, destination, source: sourceWithNewCompany(2) });
  const verified = await verify({ stateDir, destination, runId: first.runId });
  const undone = await rollback({ stateDir, destination, scope: { run: second.runId } });
  const day = utcDay(Date.now());
  const dayTotal =
    first.tokens.total + second.tokens.total + verified.tokensSpent + undone.tokensSpent;
  return { stateDir, first, second, verified, undone, day, dayTotal };
};

const reportOf = (stateDir: string, runId: number) => {
  const ledger = Ledger.open(stateDir);
  try {
    return buildRunReport(ledger, runId);
  } finally {
    ledger.close();
  }
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

    it("accounts for every row of every source file", async () => {
      const { options, test, stateDir } = await setupRun(tablesWithProblems());
      const source = makeMemorySource(tablesWithProblems(), { contact: 2 });
      const summary = await runMigration({ ...options, source });
      await verify({ stateDir, destination: test.destination });
      const data = reportOf(stateDir, summary.runId);

      expect(data.files.map((f) => f.file)).toEqual([
        "company.csv",
        "contact.csv",
        "deal.csv",
        "note.csv",
      ]);
      const contact = data.files.find((f) => f.file === "contact.csv");
      expect(contact).toMatchObject({ rows: 10, skipped: 2, rejectedAtSource: 1, staged: 7 });
      expect(contact?.outcomes).toEqual({
        inDestination: 6,
        queued: 1,
        rejected: 0,
        notWritten: 0,
      });
      const deal = data.files.find((f) => f.file === "deal.csv");
      expect(deal?.outcomes).toEqual({ inDestination: 6, queued: 1, rejected: 1, notWritten: 0 });
      for (const file of data.files) {
        expect(file.rows).toBe((file.skipped ?? 0) + file.rejectedAtSource + file.staged);
        const outcomes = file.outcomes;
        expect(outcomes).toBeDefined();
        if (outcomes === undefined) continue;
        const { inDestination, queued, rejected, notWritten } = outcomes;
        expect(inDestination + queued + rejected + notWritten).toBe(file.staged);
      }
    });

    it("keeps a run's file outcomes after a later run stages", async () => {
      const { options, stateDir } = await setupRun(tablesWithProblems());
      const first = await runMigration(options);
      const before = reportOf(stateDir, first.runId).files;
      await runMigration({ ...options, source: sourceWithNewCompany(3) });

      const after = reportOf(stateDir, first.runId).files;
      expect(after).toEqual(before);
      expect(after.find((f) => f.file === "deal.csv")?.outcomes?.rejected).toBe(1);
    });

    it("reads each run's tokens apart", async () => {
      const { stateDir, first, second, verified, undone, day, dayTotal } = await twoRunsOfOneDay();
      const firstReport = reportOf(stateDir, first.runId);
      const secondReport = reportOf(stateDir, second.runId);

      expect(first.tokens.total).toBeGreaterThan(0);
      expect(second.tokens.total).toBeGreaterThan(0);
      expect(verified.tokensSpent).toBe(100);
      expect(undone.tokensSpent).toBeGreaterThan(0);
      expect(firstReport.runTokens).toEqual({
        migrate: first.tokens.total,
        verify: 100,
        total: first.tokens.total + 100,
        byDay: [{ day, migrate: first.tokens.total, verify: 100, total: first.tokens.total + 100 }],
        complete: true,
      });
      expect(secondReport.runTokens).toEqual(second.tokens);
      expect(firstReport.rollbackTokens).toEqual([]);
      expect(secondReport.rollbackTokens).toEqual([
        {
          rollbackId: undone.rollbackId,
          runIds: [second.runId],
          total: undone.tokensSpent,
          byDay: [{ day, spent: undone.tokensSpent }],
        },
      ]);
      expect(firstReport.ledgerTokensByDay).toEqual([{ day, spent: dayTotal }]);
      expect(secondReport.ledgerTokensByDay).toEqual([{ day, spent: dayTotal }]);
    });
  });

  describe("renderMarkdown", () => {
    it("shows the run's tokens next to the ledger's", async () => {
      const { stateDir, first, second, undone, day, dayTotal } = await twoRunsOfOneDay();
      const markdown = renderMarkdown(reportOf(stateDir, first.runId));
      const secondMarkdown = renderMarkdown(reportOf(stateDir, second.runId));
      const migrated = first.tokens.total;

      expect(markdown).toContain(
        `- Tokens spent by this run: ${migrated + 100} (migration ${migrated}, verification 100)`,
      );
      expect(markdown).toContain(`| ${day} | ${migrated} | 100 | ${migrated + 100} |`);
      expect(markdown).toContain(`| all days | ${migrated} | 100 | ${migrated + 100} |`);
      expect(markdown).toContain(`### Ledger total per day`);
      expect(markdown).toContain(`| ${day} | ${dayTotal} |`);
      expect(secondMarkdown).toContain(
        `- Tokens spent by this run: ${second.tokens.total} (migration ${second.tokens.total}, verification 0)`,
      );
      expect(secondMarkdown).toContain(
        `| ${undone.rollbackId} | ${second.runId} | ${day} | ${undone.tokensSpent} |`,
      );
    });

    it("shows the approval the run started under", async () => {
      const { options, stateDir, pipeline } = await setupRun(toyTables(1));
      const first = await runMigration(options);
      await recordApproval({
        stateDir,
        planHash: pipeline.planHash,
        approvedBy: "bob@example.test",
        approvedAt: "2026-02-01T00:00:00Z",
      });
      const second = await runMigration(options);

      expect(renderMarkdown(reportOf(stateDir, first.runId))).toContain(
        "approved by ana@example.test at 2026-01-01T00:00:00Z",
      );
      expect(renderMarkdown(reportOf(stateDir, second.runId))).toContain(
        "approved by bob@example.test at 2026-02-01T00:00:00Z",
      );
    });

    it("shows when a run was rolled back", async () => {
      const { stateDir, first, second, undone } = await twoRunsOfOneDay();
      const ledger = Ledger.open(stateDir);
      const finishedAt = ledger.rollbacks.get(undone.rollbackId)?.finishedAt;
      ledger.close();

      expect(finishedAt).toBeDefined();
      expect(renderMarkdown(reportOf(stateDir, second.runId))).toContain(
        `- Status: rolled back by rollback ${undone.rollbackId} at ${finishedAt}\n`,
      );
      expect(renderMarkdown(reportOf(stateDir, first.runId))).toContain("- Status: finished\n");
    });

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

    it("notes a run older than the per-run count", async () => {
      const { stateDir, runId } = await migrated();
      const db = new Database(join(stateDir, "ledger.sqlite"));
      db.exec("DROP TABLE run_tokens; DROP TABLE rollback_tokens;");
      db.close();

      const markdown = renderMarkdown(reportOf(stateDir, runId));
      expect(markdown).toContain(
        "This run started before the ledger counted tokens per run, so these figures leave out what it spent before then.",
      );
    });
  });

  describe("report tables", () => {
    it("match between Markdown and HTML", async () => {
      const { stateDir, runId } = await migrated();
      const data = reportOf(stateDir, runId);
      const markdown = renderMarkdown(data);
      const html = renderHtml(data);

      const stage = data.phases.find((phase) => phase.phase === "stage");
      const counts = `read ${stage?.counts?.read}, loaded ${stage?.counts?.loaded}`;
      expect(markdown).toContain(counts);
      expect(html).toContain(counts);
      expect(html).not.toContain('{"read"');
      expect(html).toContain("<th>removed</th>");
      expect(markdown).toContain("| type | name | kind | id | removed |");
      for (const rendered of [markdown, html]) {
        expect(rendered).toContain("Rows per source file");
        expect(rendered).toContain("rejected at source");
        expect(rendered).toContain("rows = skipped (blank) + rejected at source + staged");
      }
      expect(markdown).toContain("| contact.csv | contact | 8 | 0 | 1 | 7 | 6 | 1 | 0 | 0 |");
    });
  });

  describe("renderHtml", () => {
    it("shows the run's tokens next to the ledger's", async () => {
      const { stateDir, first, day, dayTotal } = await twoRunsOfOneDay();
      const html = renderHtml(reportOf(stateDir, first.runId));
      const migrated = first.tokens.total;

      expect(html).toContain(
        `<li>Tokens spent by this run: ${migrated + 100} (migration ${migrated}, verification 100)</li>`,
      );
      expect(html).toContain(
        `<tr><td>${day}</td><td class="n">${migrated}</td><td class="n">100</td><td class="n">${migrated + 100}</td></tr>`,
      );
      expect(html).toContain(`<tr><td>${day}</td><td class="n">${dayTotal}</td></tr>`);
      expect(html).toContain(`<title>this run: ${migrated + 100}</title>`);
      expect(html).toContain(
        `<title>other runs, verifications and rollbacks: ${dayTotal - migrated - 100}</title>`,
      );
    });

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

    it("writes the run's tokens to JSON and CSV", async () => {
      const { stateDir, first, day, dayTotal } = await twoRunsOfOneDay();
      const files = await report({ stateDir, runId: first.runId });
      const json = JSON.parse(readFileSync(files.json, "utf8"));
      const migrated = first.tokens.total;

      expect(json.runTokens).toMatchObject({ migrate: migrated, verify: 100 });
      expect(json.ledgerTokensByDay).toEqual([{ day, spent: dayTotal }]);
      expect(json.tokensByDay).toBeUndefined();
      expect(readFileSync(files.tokensCsv, "utf8").split("\r\n")).toEqual([
        "scope,id,operation,day,tokens,runs",
        `run,${first.runId},migrate,${day},${migrated},${first.runId}`,
        `run,${first.runId},verify,${day},100,${first.runId}`,
        `ledger,,all,${day},${dayTotal},`,
        "",
      ]);
    });

    it("writes a rollback's tokens to the CSV of its run", async () => {
      const { stateDir, second, undone, day, dayTotal } = await twoRunsOfOneDay();
      const csv = renderTokensCsv(reportOf(stateDir, second.runId));
      const total = second.tokens.total;

      expect(csv.split("\r\n")).toEqual([
        "scope,id,operation,day,tokens,runs",
        `run,${second.runId},migrate,${day},${total},${second.runId}`,
        `run,${second.runId},verify,${day},0,${second.runId}`,
        `rollback,${undone.rollbackId},rollback,${day},${undone.tokensSpent},${second.runId}`,
        `ledger,,all,${day},${dayTotal},`,
        "",
      ]);
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
