/**
 * Writing a run's reports to disk: `report.md`, `report.json`, `report.html`, `rejections.csv`
 * and `tokens.csv` in `<stateDir>/reports/run-<id>/` unless another folder is given. Each file
 * is streamed from the ledger page by page in synchronous appends of bounded size, so memory
 * stays flat however many rows the run rejected, queued or changed lossily.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";

import type { Ledger } from "../ledger/Ledger.js";
import { writeHtml } from "./HtmlReport.js";
import { writeJson } from "./JsonReport.js";
import { writeMarkdown } from "./MarkdownReport.js";
import { writeRejectionsCsv } from "./RejectionsCsv.js";
import { FileSink, type ReportSink } from "./ReportSink.js";
import { buildPagedRunReport } from "./RunReport.js";
import { maxTableRows, type TableOptions } from "./TableLimit.js";
import { writeTokensCsv } from "./TokensCsv.js";

/** Paths of the files `writeRunReports` wrote. */
export interface ReportFiles {
  readonly folder: string;
  readonly markdown: string;
  readonly json: string;
  readonly html: string;
  readonly rejectionsCsv: string;
  readonly tokensCsv: string;
}

const writeFile = (path: string, render: (sink: ReportSink) => void) => {
  const sink = new FileSink(path);
  try {
    render(sink);
  } finally {
    sink.close();
  }
};

/**
 * Writes the reports of a run and returns their paths. `report.json` and `rejections.csv` hold
 * every row. The Markdown and HTML tables show the first `maxTableRows` rows (1,000 by default)
 * and state how many more rows the other files list.
 *
 * @throws Error when the ledger has no such run.
 * @throws RangeError when `maxTableRows` is not a whole number of 0 or more.
 */
export const writeRunReports = (
  ledger: Ledger,
  runId: number,
  folder: string,
  options: TableOptions = {},
): ReportFiles => {
  maxTableRows(options);
  const report = buildPagedRunReport(ledger, runId);
  mkdirSync(folder, { recursive: true });
  const files: ReportFiles = {
    folder,
    markdown: join(folder, "report.md"),
    json: join(folder, "report.json"),
    html: join(folder, "report.html"),
    rejectionsCsv: join(folder, "rejections.csv"),
    tokensCsv: join(folder, "tokens.csv"),
  };
  writeFile(files.markdown, (sink) => writeMarkdown(report, sink, options));
  writeFile(files.json, (sink) => writeJson(report, sink));
  writeFile(files.html, (sink) => writeHtml(report, sink, options));
  writeFile(files.rejectionsCsv, (sink) => writeRejectionsCsv(report, sink));
  writeFile(files.tokensCsv, (sink) => writeTokensCsv(report, sink));
  return files;
};
