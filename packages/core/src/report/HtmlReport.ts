/**
 * The HTML rendering of a run report: one self-contained page, with inline CSS and inline SVG
 * charts (records per phase and object, rejections, tokens per day of this run and of the rest
 * of the ledger) and no external assets. Every value shown is HTML-escaped. The page is written in chunks, and the tables of rows that
 * grow with the export show at most `maxTableRows` rows each.
 */
import { escapeHtml as esc } from "./Escape.js";
import {
  attachmentColumns,
  differenceColumns,
  fileColumns,
  fileNotes,
  ledgerTokenColumns,
  lossyColumns,
  phaseColumns,
  queueColumns,
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
import { barChart } from "./SvgChart.js";
import { maxTableRows, moreRowsNote, type TableOptions } from "./TableLimit.js";

const colors = {
  loaded: "#2f855a",
  updated: "#3182ce",
  unchanged: "#a0aec0",
  rejected: "#c53030",
  queued: "#d69e2e",
  tokens: "#6b46c1",
  otherTokens: "#d6bcfa",
};

const style = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;color:#1a202c;padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #e2e8f0}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #e2e8f0;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f7fafc}td.n{text-align:right}figure{margin:1rem 0}figcaption{font-weight:600;margin-bottom:.25rem}
svg text{font:12px system-ui,sans-serif;fill:#1a202c}.legend{font-size:12px}.key{margin-right:1rem}
.swatch{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}
.empty,.more{color:#718096}ul.checklist{list-style:none;padding-left:0}code{background:#edf2f7;padding:0 .2rem}`;

/** How many rows a table shows, and which files list all of them when it shows fewer. */
interface Limit {
  readonly rows: number;
  readonly files: ReadonlyArray<string>;
}

const UNLIMITED: Limit = { rows: Number.POSITIVE_INFINITY, files: [] };

const cells = (row: ReadonlyArray<unknown>) =>
  `<tr>${row.map((value) => (typeof value === "number" ? `<td class="n">${esc(value)}</td>` : `<td>${esc(value)}</td>`)).join("")}</tr>`;

const table = <T>(
  sink: ReportSink,
  header: ReadonlyArray<string>,
  rows: ReportRows<T> | ReadonlyArray<T>,
  toCells: (row: T) => ReadonlyArray<unknown>,
  limit: Limit = UNLIMITED,
) => {
  const source = rows instanceof ReportRows ? rows : ReportRows.of(rows);
  let shown = 0;
  for (const item of source.take(limit.rows)) {
    if (shown === 0) {
      sink.write(
        `<table><thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>`,
      );
    }
    sink.write(cells(toCells(item)));
    shown += 1;
  }
  sink.write(shown === 0 ? `<p class="empty">None.</p>` : "</tbody></table>");
  const note = moreRowsNote(source.count, shown, limit.files);
  if (note !== undefined) sink.write(`<p class="more">${esc(note)}</p>`);
};

const charts = (report: PagedRunReport) =>
  [
    barChart(
      "Records per phase and object",
      report.records.map((r) => ({
        label: r.kind,
        segments: [
          { name: "loaded", value: r.loaded, color: colors.loaded },
          { name: "updated", value: r.updated, color: colors.updated },
          { name: "unchanged", value: r.unchanged, color: colors.unchanged },
          { name: "rejected", value: r.rejected, color: colors.rejected },
          { name: "queued", value: r.queued, color: colors.queued },
        ],
      })),
    ),
    barChart(
      "Rejections by reason",
      report.rejectionsByCode.map((r) => ({
        label: r.code,
        segments: [{ name: "rejections", value: r.count, color: colors.rejected }],
      })),
    ),
    barChart("Tokens per day (UTC): this run and the rest of the ledger", tokenBars(report)),
  ].join("");

/** Builds one bar per ledger day, split into this run's spend and the rest of the day's total. */
const tokenBars = (report: PagedRunReport) => {
  const byDay = new Map(report.runTokens.byDay.map((day) => [day.day, day.total]));
  return report.ledgerTokensByDay.map((t) => {
    const runSpent = byDay.get(t.day) ?? 0;
    return {
      label: t.day,
      segments: [
        { name: "this run", value: runSpent, color: colors.tokens },
        {
          name: "other runs, verifications and rollbacks",
          value: Math.max(0, t.spent - runSpent),
          color: colors.otherTokens,
        },
      ],
    };
  });
};

const writeTokens = (sink: ReportSink, report: PagedRunReport) => {
  sink.write(`\n<h2>Tokens</h2><h3>Spent by this run</h3><p>${esc(tokenNotes.run)}</p>`);
  if (!report.runTokens.complete) sink.write(`<p>${esc(tokenNotes.incomplete)}</p>`);
  table(sink, runTokenColumns.header, runTokenRows(report.runTokens), runTokenColumns.cells);
  sink.write(`<h3>Rollbacks of this run</h3><p>${esc(tokenNotes.rollbacks)}</p>`);
  const rollbacks = rollbackTokenRows(report.rollbackTokens);
  table(sink, rollbackTokenColumns.header, rollbacks, rollbackTokenColumns.cells);
  sink.write(`<h3>Ledger total per day</h3><p>${esc(tokenNotes.ledger)}</p>`);
  table(sink, ledgerTokenColumns.header, report.ledgerTokensByDay, ledgerTokenColumns.cells);
};

const writeVerification = (sink: ReportSink, report: PagedRunReport, limit: Limit) => {
  const result = report.verification;
  if (result === undefined) {
    sink.write(`<p class="empty">Not verified yet.</p>`);
    return;
  }
  sink.write(
    `<p>${esc(result.records)} records read back at ${esc(result.checkedAt)}, ${esc(result.differences.count)} differences.</p>`,
  );
  table(sink, differenceColumns.header, result.differences, differenceColumns.cells, limit);
};

const checklist = (report: PagedRunReport) =>
  report.automations.length === 0
    ? `<p class="empty">None.</p>`
    : `<ul class="checklist">${report.automations
        .map(
          (item) =>
            `<li><label><input type="checkbox"> ${esc(item.type)} <strong>${esc(item.name)}</strong> (${esc(item.where)})${item.note === undefined ? "" : `: ${esc(item.note)}`}</label></li>`,
        )
        .join("")}</ul>`;

const heading = (report: PagedRunReport) => {
  const { run } = report;
  const approval =
    report.approval === undefined
      ? "not approved"
      : `approved by ${esc(report.approval.approvedBy)} at ${esc(report.approval.approvedAt)}`;
  const halt =
    run.haltReason === undefined
      ? ""
      : `<li>Stopped: ${esc(run.haltReason)}: ${esc(run.haltDetail)}</li>`;
  return `<h1>Ferry run ${esc(run.id)}</h1><ul><li>Mode: ${esc(run.mode)}${run.dryRun ? " (dry run)" : ""}</li><li>Status: ${esc(run.status)}</li>${halt}<li>Source: ${esc(run.source)}, destination: ${esc(run.destination)}</li><li>Plan <code>${esc(run.planHash)}</code>, ${approval}</li><li>Started ${esc(run.startedAt)}${run.finishedAt === undefined ? "" : `, finished ${esc(run.finishedAt)}`}</li><li>Tokens spent by this run: ${esc(runTokenSummary(report.runTokens))}</li></ul>`;
};

/**
 * Writes a run report as one self-contained HTML page. The rejection, lossy, queue, attachment
 * and difference tables show at most `maxTableRows` rows (1,000 by default), with a sentence
 * under each shortened table.
 *
 * @throws RangeError when `maxTableRows` is not a whole number of 0 or more.
 */
export const writeHtml = (
  report: PagedRunReport,
  sink: ReportSink,
  options: TableOptions = {},
): void => {
  const rows = maxTableRows(options);
  const inJson: Limit = { rows, files: ["report.json"] };
  const inCsvAndJson: Limit = { rows, files: ["rejections.csv", "report.json"] };
  const { run } = report;

  sink.write(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Ferry run ${esc(run.id)}</title><style>${style}</style></head><body>`,
  );
  sink.write(heading(report));
  sink.write(`\n<h2>Charts</h2>${charts(report)}`);
  sink.write("\n<h2>Phases</h2>");
  table(sink, phaseColumns.header, report.phases, phaseColumns.cells);
  sink.write("\n<h2>Rows per source file</h2>");
  table(sink, fileColumns.header, report.files, fileColumns.cells);
  sink.write(fileNotes.map((note) => `<p>${esc(note)}</p>`).join(""));
  sink.write("\n<h2>Records per object</h2>");
  table(sink, recordColumns.header, report.records, recordColumns.cells);
  sink.write("\n<h2>Rejected rows</h2>");
  table(sink, rejectionColumns.header, report.rejections, rejectionColumns.cells, inCsvAndJson);
  sink.write("\n<h2>Lossy mappings</h2>");
  table(sink, lossyColumns.header, report.lossy, lossyColumns.cells, inJson);
  sink.write("\n<h2>Reconciliation queue</h2>");
  table(sink, queueColumns.header, report.queue, queueColumns.cells, inJson);
  sink.write("\n<h2>Attachments to re-upload by hand</h2>");
  table(sink, attachmentColumns.header, report.attachments, attachmentColumns.cells, inJson);
  sink.write("\n<h2>Verification</h2>");
  writeVerification(sink, report, inJson);
  writeTokens(sink, report);
  sink.write("\n<h2>Schema items created</h2>");
  table(sink, schemaItemColumns.header, report.schemaItems, schemaItemColumns.cells);
  sink.write(
    `\n<h2>Automations to rebuild</h2><p>The source's automations on these stages, sources and tags do not move; rebuild them in the destination.</p>${checklist(report)}`,
  );
  sink.write("</body></html>\n");
};

/** Renders a run report held in memory as one HTML page, with the table limit of `writeHtml`. */
export const renderHtml = (report: RunReport, options: TableOptions = {}): string =>
  renderToString((sink) => writeHtml(toPagedRunReport(report), sink, options));
