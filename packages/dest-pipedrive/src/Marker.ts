/**
 * The source-id marker that makes a lost create recoverable. Entities carry it in the
 * `Ferry source id` custom field as `kind:sourceId`. Notes and activities have no custom
 * fields, so it rides in their HTML (the note's content, the activity's note) as a comment,
 * `<!-- ferry-source-id:kind:sourceId -->`, with the value URI-encoded so it cannot close the
 * comment early.
 */
import type { RecordRef } from "@ferry/core";

/** The marker value of a source record. */
export const markerValue = (ref: RecordRef): string => `${ref.kind}:${ref.sourceId}`;

/** Reads a marker value back into a ref; undefined when it is not one. */
export const parseMarker = (value: unknown): RecordRef | undefined => {
  if (typeof value !== "string") return undefined;
  const colon = value.indexOf(":");
  if (colon <= 0) return undefined;
  return { kind: value.slice(0, colon), sourceId: value.slice(colon + 1) };
};

const commentPattern = /<!--\s*ferry-source-id:([^\s>]*)\s*-->/;

/** The HTML comment that carries a marker. */
export const htmlMarker = (ref: RecordRef): string =>
  `<!-- ferry-source-id:${encodeURIComponent(markerValue(ref))} -->`;

/** Appends the marker comment to an HTML string. */
export const withHtmlMarker = (html: string | undefined, ref: RecordRef): string =>
  `${html ?? ""}${htmlMarker(ref)}`;

/** Splits HTML into its content without the marker comment and the ref the comment carried. */
export const readHtmlMarker = (
  html: unknown,
): { readonly html: string; readonly ref?: RecordRef } => {
  const text = typeof html === "string" ? html : "";
  const match = commentPattern.exec(text);
  if (match === null) return { html: text };

  const ref = parseMarker(decodeURIComponent(match[1] ?? ""));
  const rest = text.replace(commentPattern, "");
  return ref === undefined ? { html: rest } : { html: rest, ref };
};
