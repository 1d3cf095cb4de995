/**
 * The run reports of @ferry/core: the report data read from the ledger, and its Markdown,
 * JSON, HTML and CSV renderings.
 */
export * from "./Escape.js";
export * from "./HtmlReport.js";
export * from "./MarkdownReport.js";
export * from "./ReportFiles.js";
export * from "./RunReport.js";
export * from "./SvgChart.js";
