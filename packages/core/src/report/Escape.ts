/**
 * Escaping of values for the report formats: HTML text and attributes, Markdown table cells,
 * and CSV cells with spreadsheet formulas neutralized.
 */

/** Escapes text for HTML content and double-quoted attributes. */
export const escapeHtml = (value: unknown): string =>
  String(value ?? "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");

/**
 * Escapes text for one Markdown table cell: pipes, backticks, backslashes and HTML brackets
 * are escaped, and line breaks become spaces.
 */
export const escapeMarkdownCell = (value: unknown): string =>
  String(value ?? "")
    .replaceAll("\\", "\\\\")
    .replaceAll("|", "\\|")
    .replaceAll("`", "\\`")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replace(/\r?\n|\r/g, " ");

/**
 * Formats one CSV cell. A value starting with `=`, `+`, `-`, `@`, a tab or a carriage return
 * gets a leading apostrophe, so that a spreadsheet shows it as text instead of running it as
 * a formula. Cells with a comma, a quote or a line break are quoted.
 */
export const csvCell = (value: unknown): string => {
  let text = String(value ?? "");
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** Formats rows as CSV with a header line, CRLF line ends as RFC 4180 has them. */
export const toCsv = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<unknown>>) =>
  `${[header, ...rows].map((row) => row.map(csvCell).join(",")).join("\r\n")}\r\n`;
