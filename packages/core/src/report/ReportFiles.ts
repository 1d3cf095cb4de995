/**
 * Writing a run's reports to disk: `report.md`, `report.json`, `report.html` and
 * `rejections.csv` in `<stateDir>/reports/run-<id>/` unless another folder is given.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import type { Ledger } from "../ledger/Ledger.js";
import { toCsv } from "./Escape.js";
import { renderHtml } from "./HtmlReport.js";
import { renderMarkdown } from "./MarkdownReport.js";
import { buildRunReport, type RunReport } from "./RunReport.js";

/** Paths of the files `writeRunReports` wrote. */
export interface ReportFiles {
  readonly folder: string;
  readonly markdown: string;
  readonly json: string;
  readonly html: string;
  readonly rejectionsCsv: string;
}

/** Renders a report as JSON. */
export const renderJson = (report: RunReport): string => `${JSON.stringify(report, null, 2)}\n`;

/** Renders a run's rejections as CSV, one row each with file and line. */
export const renderRejectionsCsv = (report: RunReport): string =>
  toCsv(
    [
      "file",
      "line",
      "kind",
      "destination_kind",
      "step",
      "code",
      "message",
      "source_id",
      "column",
      "value",
    ],
    report.rejections.map((r) => [
      r.file,
      r.line,
      r.kind,
      r.destKind ?? "",
      r.stage,
      r.code,
      r.message,
      r.sourceId ?? "",
      r.column ?? "",
      r.value ?? "",
    ]),
  );

/** Writes the reports of a run and returns their paths. */
export const writeRunReports = (ledger: Ledger, runId: number, folder: string): ReportFiles => {
  const report = buildRunReport(ledger, runId);
  mkdirSync(folder, { recursive: true });
  const files: ReportFiles = {
    folder,
    markdown: join(folder, "report.md"),
    json: join(folder, "report.json"),
    html: join(folder, "report.html"),
    rejectionsCsv: join(folder, "rejections.csv"),
  };
  writeFileSync(files.markdown, renderMarkdown(report));
  writeFileSync(files.json, renderJson(report));
  writeFileSync(files.html, renderHtml(report));
  writeFileSync(files.rejectionsCsv, renderRejectionsCsv(report));
  return files;
};
