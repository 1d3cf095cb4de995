/**
 * Attachments. A column names one or several files, separated by `;`, `|`, new lines or commas
 * between file names. Each name is resolved inside the export folder, beside the CSV file or in
 * an attachments folder, and the file is attached to the record it belongs to. A file that is
 * not there is recorded for the report with the record it belonged to.
 */
import { realpathSync } from "node:fs";
import { basename, dirname, isAbsolute, join, normalize, resolve, sep } from "node:path";

import type { SourceRecord, TransformOutput } from "@ferry/core";
import { targetName } from "../internal/kindNames.js";
import { makeLossy, makePlanned } from "../internal/outputs.js";
import { refOf } from "./MappedFields.js";
import { type NoteTarget, targetLinks } from "./NoteTarget.js";
import type { TransformContext } from "./TransformContext.js";

/** Folder names searched for attachments, relative to the CSV file's folder and the export root. */
const attachmentFolders = ["", "attachments", "Attachments", "anexos", "files"];

/** Splits a cell into file names. */
const fileNames = (raw: string): ReadonlyArray<string> =>
  raw
    .split(/[;|\n]|,(?=\s*[^,]+\.[A-Za-z0-9]{1,5}\b)/)
    .map((name) => name.trim())
    .filter((name) => name !== "");

/**
 * Resolves a file name inside the export folder; undefined when it is not there. A name that
 * would leave the export folder (an absolute path or `..`) is never resolved.
 */
/**
 * Whether a path that exists on disk stays inside the folder once symbolic links are resolved;
 * a path not on disk (a test's injected file system) is judged by its text alone.
 */
const staysInside = (candidate: string, root: string): boolean => {
  try {
    const realRoot = realpathSync(root);
    return realpathSync(candidate).startsWith(`${realRoot}${sep}`);
  } catch {
    return true;
  }
};

export const resolveAttachment = (
  name: string,
  csvPath: string,
  context: TransformContext,
): string | undefined => {
  const root = resolve(context.exportFolder);
  const relative = normalize(name.replaceAll("\\", "/"));
  if (isAbsolute(relative) || relative.startsWith("..")) return undefined;

  const bases = [dirname(join(root, csvPath)), root];
  for (const base of bases) {
    for (const folder of attachmentFolders) {
      const candidate = resolve(base, folder, relative);
      const inside = candidate.startsWith(`${root}${sep}`);
      if (inside && context.fileExists(candidate) && staysInside(candidate, root)) return candidate;
    }
  }
  return undefined;
};

const missing = (record: SourceRecord, column: string, name: string, target: NoteTarget) =>
  makeLossy({
    ref: refOf(record),
    origin: record.origin,
    field: column,
    code: "attachment-missing",
    message: `${record.origin}: file "${name}" of ${targetName(target.kind, target.ref)} is not in the export folder or its attachments folder; put the file there and run the migration again, or upload it by hand`,
    value: name,
  });

/**
 * Plans the files of a record's attachment columns.
 *
 * @example
 * ```ts
 * // lead L-1 { attachment: "proposal.pdf" } with export/attachments/proposal.pdf on disk
 * planAttachments(lead, target, context); // [file { path: "/…/export/attachments/proposal.pdf", name: "proposal.pdf" }]
 * ```
 */
export const planAttachments = (
  record: SourceRecord,
  target: NoteTarget,
  context: TransformContext,
): ReadonlyArray<TransformOutput> => {
  const columns = context.plan.fields
    .filter((field) => field.object === record.kind && field.transform === "attachment")
    .filter((field) => field.review !== true)
    .map((field) => field.column);
  const csvPath = record.origin.file;

  return columns.flatMap((column) =>
    fileNames(record.fields[column] ?? "").map((name): TransformOutput => {
      const path = resolveAttachment(name, csvPath, context);
      if (path === undefined) return missing(record, column, name, target);
      return makePlanned({
        kind: "file",
        ref: { kind: record.kind, sourceId: `${record.sourceId}/${name}` },
        origin: record.origin,
        fields: { path, name: basename(path) },
        custom: {},
        ...targetLinks(target),
      });
    }),
  );
};
