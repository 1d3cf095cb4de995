/**
 * The CSV rendering of a run's token spend, so that a spreadsheet can add up what a migration
 * cost. It lists what the run spent per UTC day and operation, what the rollbacks that covered
 * it spent, and the ledger's total per day over every run.
 */
import { csvCell } from "./Escape.js";
import { type ReportSink, renderToString } from "./ReportSink.js";
import { type PagedRunReport, type RunReport, toPagedRunReport } from "./RunReport.js";

/**
 * Header line of `tokens.csv`. `scope` is `run`, `rollback` or `ledger` (a day's total over
 * every run, verification and rollback). `runs` lists the runs a row counts for, separated by
 * spaces, and is empty for a ledger row.
 */
export const TOKENS_CSV_HEADER: ReadonlyArray<string> = [
  "scope",
  "id",
  "operation",
  "day",
  "tokens",
  "runs",
];

const line = (cells: ReadonlyArray<unknown>) => `${cells.map(csvCell).join(",")}\r\n`;

/** Writes a run's token spend as CSV, with CRLF line ends as RFC 4180 has them. */
export const writeTokensCsv = (report: PagedRunReport, sink: ReportSink): void => {
  const runId = report.run.id;
  sink.write(line(TOKENS_CSV_HEADER));
  for (const day of report.runTokens.byDay) {
    sink.write(line(["run", runId, "migrate", day.day, day.migrate, runId]));
    sink.write(line(["run", runId, "verify", day.day, day.verify, runId]));
  }
  for (const rollback of report.rollbackTokens) {
    const runs = rollback.runIds.join(" ");
    for (const day of rollback.byDay) {
      sink.write(line(["rollback", rollback.rollbackId, "rollback", day.day, day.spent, runs]));
    }
  }
  for (const day of report.ledgerTokensByDay) {
    sink.write(line(["ledger", "", "all", day.day, day.spent, ""]));
  }
};

/** Renders a run's token spend as CSV. */
export const renderTokensCsv = (report: RunReport): string =>
  renderToString((sink) => writeTokensCsv(toPagedRunReport(report), sink));
