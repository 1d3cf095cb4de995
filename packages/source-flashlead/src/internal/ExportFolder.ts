/**
 * The files of an export folder, each with its detected encoding and delimiter and the object
 * kind it was classified as, or the reason it could not be classified.
 *
 * Only the folder's top level is read. Every entry is listed: a sub-folder, a file that is not a
 * CSV (by its `.csv`, `.tsv` or `.txt` extension) and a CSV whose name and header match no kind
 * all end up in `unclassified` with the reason.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";

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

/** Classifies one CSV file, returning the file or the reason it is unclassified. */
const classify = async (folder: string, name: string): Promise<ExportFile | string> => {
  const path = join(folder, name);
  const encoding = await detectEncoding(path);
  const delimiter = await detectFileDelimiter(path, encoding);
  let header: ReadonlyArray<string> | undefined;
  try {
    header = await headerOf(path, encoding, delimiter);
  } catch (error) {
    if (!(error instanceof CsvParseFailure)) throw error;
    return `fast-csv cannot parse its first row (${error.detail}); fix the quoting of the header`;
  }
  if (header === undefined) return "the file is empty";

  const byName = kindFromName(name);
  if (byName !== undefined) {
    return { name, path, kind: byName, recognizedBy: "name", encoding, delimiter };
  }

  const byHeader = kindFromHeader(header);
  if (byHeader !== undefined) {
    return { name, path, kind: byHeader, recognizedBy: "header", encoding, delimiter };
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
    if (entry.isDirectory()) {
      unclassified.push({ path: entry.name, reason: "a folder; only the top level is read" });
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
