/**
 * The files of an export folder, each with its detected encoding and delimiter and the object
 * kind it was classified as, or the reason it could not be classified.
 *
 * Only the folder's top level is read. Every entry is listed: a sub-folder, a file that is not a
 * CSV (by its `.csv`, `.tsv` or `.txt` extension) and a CSV whose name and header match no kind
 * all end up in `unclassified` with the reason.
 */
import { open, readdir, realpath, stat } from "node:fs/promises";
import { join, sep } from "node:path";

import type { FlashLeadKind } from "../FlashLeadKind.js";
import { CsvParseFailure, detectFileDelimiter, readCsvRows } from "./CsvFile.js";
import type { Delimiter } from "./Delimiter.js";
import { detectEncoding, type EncodingDetection } from "./Encoding.js";
import { kindFromHeader, kindFromName } from "./FileClassifier.js";

/** A classified export file. */
export interface ExportFile {
  /** Name relative to the export folder. */
  readonly name: string;
  readonly path: string;
  readonly kind: FlashLeadKind;
  readonly recognizedBy: "name" | "header";
  readonly encoding: EncodingDetection;
  readonly delimiter: Delimiter;
  /** Number of cells in the header row, empty trailing cells included. */
  readonly headerCells: number;
}

/** The classified and unclassified entries of an export folder. */
export interface ExportFolder {
  readonly files: ReadonlyArray<ExportFile>;
  readonly unclassified: ReadonlyArray<{ readonly path: string; readonly reason: string }>;
}

const csvExtension = /\.(csv|tsv|txt)$/i;

/** Reads the header row of a file, or undefined for a file without rows. */
const headerOf = async (
  path: string,
  encoding: EncodingDetection,
  delimiter: Delimiter,
): Promise<ReadonlyArray<string> | undefined> => {
  for await (const row of readCsvRows(path, encoding, delimiter)) return row.cells;
  return undefined;
};

/**
 * Why an entry cannot be read as a file of the export, or undefined when it can: it must be a
 * regular file inside the folder once symbolic links are resolved. A pipe is never opened,
 * because reading one can block forever.
 */
const unreadableReason = async (folder: string, name: string): Promise<string | undefined> => {
  const path = join(folder, name);
  const [realFolder, realFile] = await Promise.all([realpath(folder), realpath(path)]).catch(() => [
    undefined,
    undefined,
  ]);
  if (realFolder === undefined || realFile === undefined) return "a broken symbolic link";
  if (!realFile.startsWith(`${realFolder}${sep}`)) {
    return "a symbolic link to a file outside the export folder; copy the file into the folder";
  }
  const info = await stat(path);
  if (info.isDirectory()) return "a folder; only the top level is read";
  if (!info.isFile()) return "not a regular file (a pipe, socket or device)";
  return undefined;
};

/**
 * Whether the first 8 KiB hold several NUL bytes, as binary formats (images, spreadsheets,
 * archives) do; a text file in UTF-8 or Windows-1252 has none, and a stray one in a cell is
 * kept as text.
 */
const looksBinary = async (path: string): Promise<boolean> => {
  const handle = await open(path, "r");
  try {
    const head = Buffer.alloc(8192);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    let nulBytes = 0;
    for (const byte of head.subarray(0, bytesRead)) if (byte === 0) nulBytes += 1;
    return nulBytes >= 4;
  } finally {
    await handle.close();
  }
};

/** Classifies one CSV file, returning the file or the reason it is unclassified. */
const classify = async (folder: string, name: string): Promise<ExportFile | string> => {
  const path = join(folder, name);
  const encoding = await detectEncoding(path);
  if (!encoding.encoding.startsWith("utf-16") && (await looksBinary(path))) {
    return "a binary file, not CSV text (it contains NUL bytes); export the object again as CSV";
  }
  const delimiter = await detectFileDelimiter(path, encoding);
  let header: ReadonlyArray<string> | undefined;
  try {
    header = await headerOf(path, encoding, delimiter);
  } catch (error) {
    if (!(error instanceof CsvParseFailure)) throw error;
    return `fast-csv cannot parse its first row (${error.detail}); fix the quoting of the header`;
  }
  if (header === undefined) return "the file is empty";
  const found = { name, path, encoding, delimiter, headerCells: header.length };

  const byName = kindFromName(name);
  if (byName !== undefined) {
    return { ...found, kind: byName, recognizedBy: "name" };
  }

  const byHeader = kindFromHeader(header);
  if (byHeader !== undefined) {
    return { ...found, kind: byHeader, recognizedBy: "header" };
  }
  return "neither its name nor its header matches an object kind; rename it after its object (for example leads.csv or activity_log.csv)";
};

/**
 * Lists and classifies the top level of an export folder, in file name order.
 *
 * @throws the file system error when the folder cannot be listed.
 */
export const scanExportFolder = async (folder: string): Promise<ExportFolder> => {
  const entries = await readdir(folder, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name, "en"));

  const files: Array<ExportFile> = [];
  const unclassified: Array<{ path: string; reason: string }> = [];
  for (const entry of entries) {
    const unreadable =
      entry.isFile() && !entry.isSymbolicLink()
        ? undefined
        : await unreadableReason(folder, entry.name);
    if (unreadable !== undefined) {
      unclassified.push({ path: entry.name, reason: unreadable });
    } else if (!csvExtension.test(entry.name)) {
      unclassified.push({ path: entry.name, reason: "not a CSV file (.csv, .tsv or .txt)" });
    } else {
      const result = await classify(folder, entry.name);
      if (typeof result === "string") unclassified.push({ path: entry.name, reason: result });
      else files.push(result);
    }
  }

  return { files, unclassified };
};
