/**
 * The CSV rendering of a run's rejections, one row each with file and line, written row by
 * row. Cells that a spreadsheet would run as a formula are neutralized.
 */
import { csvCell } from "./Escape.js";
import { type ReportSink, renderToString } from "./ReportSink.js";
import { type PagedRunReport, type RunReport, toPagedRunReport } from "./RunReport.js";

/** Header line of `rejections.csv`. */
export const REJECTIONS_CSV_HEADER: ReadonlyArray<string> = [
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
];

const line = (cells: ReadonlyArray<unknown>) => `${cells.map(csvCell).join(",")}\r\n`;

/** Writes every rejection of a report as CSV, with CRLF line ends as RFC 4180 has them. */
export const writeRejectionsCsv = (report: PagedRunReport, sink: ReportSink): void => {
  sink.write(line(REJECTIONS_CSV_HEADER));
  for (const r of report.rejections) {
    sink.write(
      line([
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
  }
};

/** Renders a run's rejections as CSV, one row each with file and line. */
export const renderRejectionsCsv = (report: RunReport): string =>
  renderToString((sink) => writeRejectionsCsv(toPagedRunReport(report), sink));
