/**
 * The JSON rendering of a run report, written in chunks. The text is the same as
 * `JSON.stringify(report, null, 2)` of the report held in memory, but each row is stringified
 * on its own as it is read, so the whole document is never one string.
 */
import { ReportRows } from "./ReportRows.js";
import { type ReportSink, renderToString } from "./ReportSink.js";
import { type PagedRunReport, type RunReport, toPagedRunReport } from "./RunReport.js";

const INDENT = "  ";

/** Stringifies a value the way `JSON.stringify(value, null, 2)` does at the given depth. */
const stringifyAt = (value: unknown, indent: string): string =>
  (JSON.stringify(value, null, 2) ?? "null").replaceAll("\n", `\n${indent}`);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Tells whether a value has row sources in it, so that it must be written piece by piece. */
const hasRows = (value: unknown): boolean =>
  value instanceof ReportRows ||
  (isPlainObject(value) && Object.values(value).some((entry) => hasRows(entry)));

/** Writes one value at the given indent; a row source becomes an array written row by row. */
const writeValue = (sink: ReportSink, value: unknown, indent: string): void => {
  if (value instanceof ReportRows) {
    const inner = indent + INDENT;
    let first = true;
    for (const row of value) {
      sink.write(`${first ? "[" : ","}\n${inner}${stringifyAt(row, inner)}`);
      first = false;
    }
    sink.write(first ? "[]" : `\n${indent}]`);
    return;
  }
  if (!isPlainObject(value) || !hasRows(value)) {
    sink.write(stringifyAt(value, indent));
    return;
  }

  // JSON.stringify leaves out properties whose value is undefined, a function or a symbol.
  const inner = indent + INDENT;
  let first = true;
  for (const [key, entry] of Object.entries(value)) {
    if (entry === undefined || typeof entry === "function" || typeof entry === "symbol") continue;
    sink.write(`${first ? "{" : ","}\n${inner}${JSON.stringify(key)}: `);
    writeValue(sink, entry, inner);
    first = false;
  }
  sink.write(first ? "{}" : `\n${indent}}`);
};

/** Writes a report as JSON, every row of every table included, with a final line break. */
export const writeJson = (report: PagedRunReport, sink: ReportSink): void => {
  writeValue(sink, report, "");
  sink.write("\n");
};

/** Renders a report as JSON. */
export const renderJson = (report: RunReport): string =>
  renderToString((sink) => writeJson(toPagedRunReport(report), sink));
