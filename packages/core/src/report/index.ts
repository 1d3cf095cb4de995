/**
 * The run reports of @ferry/core: the report data read from the ledger, and its Markdown,
 * JSON, HTML and CSV (rejections and tokens) renderings, streamed to files or rendered to strings.
 */
export * from "./Escape.js";
export * from "./HtmlReport.js";
export * from "./JsonReport.js";
export * from "./MarkdownReport.js";
export * from "./RejectionsCsv.js";
export * from "./ReportFiles.js";
export * from "./ReportRows.js";
export * from "./ReportSink.js";
export * from "./RunReport.js";
export * from "./SvgChart.js";
export * from "./TableLimit.js";
export * from "./TokensCsv.js";
