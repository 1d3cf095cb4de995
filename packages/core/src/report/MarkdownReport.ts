/**
 * The Markdown rendering of a run report: counts per phase, the rows of each source file and
 * what became of them, records per kind, rejections with
 * file and line, lossy mappings, the reconciliation queue, attachments to re-upload,
 * verification results, the tokens the run spent next to the ledger's day totals, and the
 * automation checklist. It is written in chunks, and the tables of rows that grow with the
 * export show at most `maxTableRows` rows each.
 */
import { escapeMarkdownCell as cell } from "./Escape.js";
import {
  attachmentColumns,
  differenceColumns,
  fileColumns,
  fileNotes,
  ledgerTokenColumns,
  lossyColumns,
  phaseColumns,
  queueColumns,
  type ReportColumns,
  recordColumns,
  rejectionColumns,
  rollbackTokenColumns,
  rollbackTokenRows,
  runTokenColumns,
  runTokenRows,
  runTokenSummary,
  schemaItemColumns,
  tokenNotes,
} from "./ReportColumns.js";
import { ReportRows } from "./ReportRows.js";
import { type ReportSink, renderToString } from "./ReportSink.js";
import { type PagedRunReport, type RunReport, toPagedRunReport } from "./RunReport.js";
import { maxTableRows, moreRowsNote, type TableOptions } from "./TableLimit.js";

/** How many rows a table shows, and which files list all of them when it shows fewer. */
interface Limit {
  readonly rows: number;
  readonly files: ReadonlyArray<string>;
}

const UNLIMITED: Limit = { rows: Number.POSITIVE_INFINITY, files: [] };

const row = (cells: ReadonlyArray<unknown>) => `| ${cells.map(cell).join(" | ")} |\n`;

const table = <T>(
  sink: ReportSink,
  header: ReadonlyArray<string>,
  rows: ReportRows<T>,
  toCells: (row: T) => ReadonlyArray<unknown>,
  limit: Limit,
) => {
  let shown = 0;
  for (const item of rows.take(limit.rows)) {
    if (shown === 0) sink.write(row(header) + row(header.map(() => "---")));
    sink.write(row(toCells(item)));
    shown += 1;
  }
  if (shown === 0) sink.write("None.\n");
  const note = moreRowsNote(rows.count, shown, limit.files);
  if (note !== undefined) sink.write(`\n${note}\n`);
};

const section = (sink: ReportSink, title: string, writeBody: () => void) => {
  sink.write(`## ${title}\n\n`);
  writeBody();
  sink.write("\n");
};

const automationChecklist = (report: PagedRunReport) => {
  if (report.automations.length === 0) return "None.\n";
  return `${report.automations
    .map((item) => {
      const note = item.note === undefined ? "" : `: ${item.note}`;
      return `- [ ] ${item.type} ${cell(item.name)} (${cell(item.where)})${cell(note)}`;
    })
    .join("\n")}\n`;
};

const writeVerification = (sink: ReportSink, report: PagedRunReport, limit: Limit) => {
  const result = report.verification;
  if (result === undefined) {
    sink.write("Not verified yet; run the verification.\n");
    return;
  }
  sink.write(
    `${result.records} records read back at ${result.checkedAt}, ${result.differences.count} differences.\n\n`,
  );
  table(sink, differenceColumns.header, result.differences, differenceColumns.cells, limit);
};

const writeTokens = (sink: ReportSink, report: PagedRunReport) => {
  const tokenTable = <T>(columns: ReportColumns<T>, rows: ReadonlyArray<T>) =>
    table(sink, columns.header, ReportRows.of(rows), columns.cells, UNLIMITED);

  sink.write(`### Spent by this run\n\n${tokenNotes.run}\n\n`);
  if (!report.runTokens.complete) sink.write(`${tokenNotes.incomplete}\n\n`);
  tokenTable(runTokenColumns, runTokenRows(report.runTokens));
  sink.write(`\n### Rollbacks of this run\n\n${tokenNotes.rollbacks}\n\n`);
  tokenTable(rollbackTokenColumns, rollbackTokenRows(report.rollbackTokens));
  sink.write(`\n### Ledger total per day\n\n${tokenNotes.ledger}\n\n`);
  tokenTable(ledgerTokenColumns, report.ledgerTokensByDay);
};

const header = (report: PagedRunReport) => {
  const { run } = report;
  const approval =
    report.approval === undefined
      ? "not approved"
      : `approved by ${cell(report.approval.approvedBy)} at ${report.approval.approvedAt}`;
  const halt =
    run.haltReason === undefined
      ? ""
      : `- Stopped: ${cell(run.haltReason)}: ${cell(run.haltDetail)}\n`;
  return `# Ferry run ${run.id}\n\n- Mode: ${run.mode}${run.dryRun ? " (dry run)" : ""}\n- Status: ${run.status}\n${halt}- Source: ${cell(run.source)}, destination: ${cell(run.destination)}\n- Plan: \`${run.planHash}\`, ${approval}\n- Started ${run.startedAt}${run.finishedAt === undefined ? "" : `, finished ${run.finishedAt}`}\n- Tokens spent by this run: ${runTokenSummary(report.runTokens)}\n- Report generated ${report.generatedAt}\n\n`;
};

/**
 * Writes a run report as Markdown. The rejection, lossy, queue, attachment and difference
 * tables show at most `maxTableRows` rows (1,000 by default), with a sentence under each
 * shortened table.
 *
 * @throws RangeError when `maxTableRows` is not a whole number of 0 or more.
 */
export const writeMarkdown = (
  report: PagedRunReport,
  sink: ReportSink,
  options: TableOptions = {},
): void => {
  const rows = maxTableRows(options);
  const inJson: Limit = { rows, files: ["report.json"] };
  const inCsvAndJson: Limit = { rows, files: ["rejections.csv", "report.json"] };

  sink.write(header(report));
  section(sink, "Phases", () =>
    table(sink, phaseColumns.header, ReportRows.of(report.phases), phaseColumns.cells, UNLIMITED),
  );
  section(sink, "Rows per source file", () => {
    table(sink, fileColumns.header, ReportRows.of(report.files), fileColumns.cells, UNLIMITED);
    sink.write(`\n${fileNotes.join("\n\n")}\n`);
  });
  section(sink, "Records per object", () =>
    table(
      sink,
      recordColumns.header,
      ReportRows.of(report.records),
      recordColumns.cells,
      UNLIMITED,
    ),
  );
  section(sink, "Rejected rows", () =>
    table(sink, rejectionColumns.header, report.rejections, rejectionColumns.cells, inCsvAndJson),
  );
  section(sink, "Lossy mappings", () =>
    table(sink, lossyColumns.header, report.lossy, lossyColumns.cells, inJson),
  );
  section(sink, "Reconciliation queue", () =>
    table(sink, queueColumns.header, report.queue, queueColumns.cells, inJson),
  );
  section(sink, "Attachments to re-upload by hand", () =>
    table(sink, attachmentColumns.header, report.attachments, attachmentColumns.cells, inJson),
  );
  section(sink, "Verification", () => writeVerification(sink, report, inJson));
  section(sink, "Tokens", () => writeTokens(sink, report));
  section(sink, "Schema items created", () =>
    table(
      sink,
      schemaItemColumns.header,
      ReportRows.of(report.schemaItems),
      schemaItemColumns.cells,
      UNLIMITED,
    ),
  );
  section(sink, "Automations to rebuild", () =>
    sink.write(
      "The source's automations on these stages, sources and tags do not move; rebuild them in the destination:\n\n" +
        automationChecklist(report),
    ),
  );
};

/** Renders a run report held in memory as Markdown, with the table limit of `writeMarkdown`. */
export const renderMarkdown = (report: RunReport, options: TableOptions = {}): string =>
  renderToString((sink) => writeMarkdown(toPagedRunReport(report), sink, options));
