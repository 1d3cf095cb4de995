/**
 * HTML helpers for note content: Pipedrive notes are HTML, so source text is escaped and its
 * line breaks become `<br>`.
 */

/** Escapes text for HTML content. */
export const escapeHtml = (text: string): string =>
  text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");

/** Renders lines of text as HTML paragraphs, keeping line breaks inside each. */
export const paragraphs = (...texts: ReadonlyArray<string>): string =>
  texts
    .filter((text) => text.trim() !== "")
    .map((text) => `<p>${escapeHtml(text.trim()).replace(/\r?\n/g, "<br>")}</p>`)
    .join("");
