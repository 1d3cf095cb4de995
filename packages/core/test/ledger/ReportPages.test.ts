import { afterEach, describe, expect, it } from "@effect/vitest";
import Database from "better-sqlite3";

import { Ledger } from "../../src/index.js";
import { cleanUp, tempFolder } from "../support/RunnerFixture.js";

afterEach(cleanUp);

const newRun = (ledger: Ledger, planHash: string) =>
  ledger.createRun({
    mode: "full",
    planHash,
    dryRun: false,
    source: "memory",
    destination: "test",
    schemaChanges: [],
    automations: [],
    startedAt: "2026-01-01T00:00:00Z",
  });

const rejection = (runId: number, line: number, code: string, destKind?: string) => ({
  runId,
  stage: "destination" as const,
  kind: "lead",
  destKind,
  file: "leads.csv",
  line,
  code,
  message: `line ${line}`,
  sourceId: `L${line}`,
  column: undefined,
  value: undefined,
});

/** Fills a ledger with two runs: the first has 23 rejections, 10 lossy steps, 6 queued. */
const filled = () => {
  const ledger = Ledger.open(tempFolder());
  const runId = newRun(ledger, "a");
  const otherRunId = newRun(ledger, "b");
  ledger.transaction(() => {
    for (let line = 2; line < 25; line += 1) {
      if (line === 10) ledger.addRejection(rejection(otherRunId, 1, "elsewhere"));
      const code = line % 4 === 0 ? "rare" : "common";
      ledger.addRejection(rejection(runId, line, code, line % 5 === 0 ? "file" : "person"));
    }
    for (let line = 2; line < 12; line += 1) {
      ledger.addLossy({
        runId,
        ref: { kind: "lead", sourceId: `L${line}` },
        file: "leads.csv",
        line,
        field: "notes",
        code: ["Attachment-dropped", "truncated", "file_skipped", "100%_kept"][line % 4] ?? "",
        message: "lossy",
        value: undefined,
      });
    }
    for (let line = 2; line < 8; line += 1) {
      ledger.addQueued(
        {
          runId,
          kind: line % 2 === 0 ? "file" : "deal",
          ref: { kind: "deal", sourceId: `D${line}` },
          file: "deals.csv",
          line,
          reason: "owner-without-user",
          message: "no owner",
          value: undefined,
        },
        line > 5,
      );
    }
  });
  return { ledger, runId };
};

describe("ReportPages", () => {
  describe("rejections", () => {
    it("reads every row across pages in order", () => {
      const { ledger, runId } = filled();
      const lines = [...ledger.reportPages.rejections(runId, {}, 5)].map((row) => row.line);
      ledger.close();

      expect(lines).toEqual(Array.from({ length: 23 }, (_, i) => i + 2));
    });

    it("reads a full last page once", () => {
      const { ledger, runId } = filled();
      const rows = [...ledger.reportPages.rejections(runId, { destKind: "file" }, 2)];
      const count = ledger.reportPages.countRejections(runId, { destKind: "file" });
      ledger.close();

      expect(rows.map((row) => row.line)).toEqual([5, 10, 15, 20]);
      expect(count).toBe(4);
    });

    it("starts over on each pass", () => {
      const { ledger, runId } = filled();
      const rows = ledger.reportPages.rejections(runId, {}, 4);
      const first = [...rows].length;
      const second = [...rows].length;
      ledger.close();

      expect(first).toBe(23);
      expect(second).toBe(23);
    });

    it("rejects a page size of zero", () => {
      const { ledger, runId } = filled();
      expect(() => ledger.reportPages.rejections(runId, {}, 0)).toThrow(
        "Invalid page size 0: expected a whole number of 1 or more",
      );
      ledger.close();
    });
  });

  describe("rejectionsByCode", () => {
    it("orders codes by count, then by first row", () => {
      const { ledger, runId } = filled();
      const counts = ledger.reportPages.rejectionsByCode(runId);
      ledger.close();

      expect(counts).toEqual([
        { code: "common", count: 17 },
        { code: "rare", count: 6 },
      ]);
    });
  });

  describe("rejectionsByStageAndCode", () => {
    it("counts each step and code of one run", () => {
      const { ledger, runId } = filled();
      ledger.addRejection({ ...rejection(runId, 30, "rare"), stage: "source" });
      const counts = ledger.reportPages.rejectionsByStageAndCode(runId);
      ledger.close();

      const sorted = [...counts].sort(
        (a, b) => b.count - a.count || a.stage.localeCompare(b.stage),
      );
      expect(sorted).toEqual([
        { stage: "destination", code: "common", count: 17 },
        { stage: "destination", code: "rare", count: 6 },
        { stage: "source", code: "rare", count: 1 },
      ]);
    });
  });

  describe("lossy", () => {
    it("filters codes by word without regard to case", () => {
      const { ledger, runId } = filled();
      const filter = { codeContains: ["attachment", "file"] };
      const codes = [...ledger.reportPages.lossy(runId, filter, 2)].map((row) => row.code);
      const count = ledger.reportPages.countLossy(runId, filter);
      ledger.close();

      expect(codes).toEqual([
        "file_skipped",
        "Attachment-dropped",
        "file_skipped",
        "Attachment-dropped",
        "file_skipped",
      ]);
      expect(count).toBe(5);
    });

    it("matches percent and underscore literally", () => {
      const { ledger, runId } = filled();
      const percent = ledger.reportPages.countLossy(runId, { codeContains: ["0%_"] });
      const underscore = ledger.reportPages.countLossy(runId, { codeContains: ["e_s"] });
      const none = ledger.reportPages.countLossy(runId, { codeContains: ["t_d"] });
      ledger.close();

      expect(percent).toBe(3);
      expect(underscore).toBe(3);
      expect(none).toBe(0);
    });
  });

  describe("queued", () => {
    it("filters by kind and selection", () => {
      const { ledger, runId } = filled();
      ledger.selectPlanQueued(runId, (ref) => ref.sourceId !== "D6");
      const files = [...ledger.reportPages.queued(runId, { kind: "file", selectedOnly: true })];
      const all = ledger.reportPages.countQueued(runId);
      const selected = ledger.reportPages.countQueued(runId, { selectedOnly: true });
      ledger.close();

      expect(files.map((row) => row.ref.sourceId)).toEqual(["D2", "D4"]);
      expect(all).toBe(6);
      expect(selected).toBe(5);
    });
  });

  describe("query plans", () => {
    // The readers page with `WHERE run_id = ? ... AND id > ? ORDER BY id LIMIT ?`. A plan that
    // sorts in a temporary B-tree sorts all of the run's matching rows again for every page.
    const paged = [
      ["rejections", "", [1]],
      ["rejections", " AND dest_kind = ?", [1, "person"]],
      ["lossy", "", [1]],
      ["lossy", " AND (code LIKE ? ESCAPE '\\')", [1, "%x%"]],
      ["queue", "", [1]],
      ["queue", " AND selected = 1", [1]],
      ["queue", " AND selected = 1 AND kind = ?", [1, "deal"]],
      ["verification", "", [1]],
    ] as const;

    it.each(paged)("reads %s%s pages in id order without sorting", (table, condition, params) => {
      const { ledger } = filled();
      const db = new Database(ledger.path, { readonly: true });
      const sql = `EXPLAIN QUERY PLAN SELECT * FROM ${table} WHERE run_id = ?${condition} AND id > ? ORDER BY id LIMIT ?`;
      const plan = (db.prepare(sql).all(...params, 0, 500) as Array<{ detail: string }>).map(
        (step) => step.detail,
      );
      db.close();
      ledger.close();

      expect(plan.join("; ")).not.toMatch(/TEMP B-TREE/);
    });
  });

  describe("differences", () => {
    it("reads totals and rows of the last verification", () => {
      const { ledger, runId } = filled();
      const before = ledger.reportPages.verificationTotals(runId);
      ledger.verifications.save(runId, 40, [
        {
          kind: "person",
          ref: { kind: "lead", sourceId: "L1" },
          destId: "7",
          field: "name",
          expected: "A",
          actual: null,
        },
        {
          kind: "person",
          ref: { kind: "lead", sourceId: "L2" },
          destId: "8",
          field: "*",
          expected: { id: 1 },
          actual: "x",
        },
      ]);
      const totals = ledger.reportPages.verificationTotals(runId);
      const rows = [...ledger.reportPages.differences(runId, 1)];
      ledger.close();

      expect(before).toBeUndefined();
      expect(totals).toMatchObject({ records: 40, differences: 2 });
      expect(rows.map((row) => row.expected)).toEqual(["A", { id: 1 }]);
      expect(rows.map((row) => row.actual)).toEqual([null, "x"]);
    });
  });
});
