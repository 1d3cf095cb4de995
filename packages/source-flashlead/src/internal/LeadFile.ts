/**
 * Checks that the leads, which contacts, invoices, activities and message threads refer to by
 * id, can be found: a leads file must be read, hold lead records, and have an id column. Without
 * them every record with a `lead_id` is rejected later as an orphan record, so each case is an
 * error finding of discovery.
 */
import type { ColumnProfile, Finding, ObjectInventory, SourceRecord } from "@ferry/core";

import { headerAliases, normalizeLabel } from "../HeaderAliases.js";
import type { ExportFolder } from "./ExportFolder.js";
import { kindFromName } from "./FileClassifier.js";

const formatNumber = (n: number): string => n.toLocaleString("en-US");

/** Joins names as `a`, `a and b` or `a, b and c`. */
const listOf = (names: ReadonlyArray<string>): string =>
  names.length <= 1
    ? (names[0] ?? "")
    : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;

/** The records with a non-empty `lead_id`, counted per file. */
export class LeadReferences {
  readonly #byFile = new Map<string, { kind: string; count: number }>();

  /** Counts a record whose `lead_id` is not empty. */
  add(record: SourceRecord): void {
    const file = record.origin.file;
    const counted = this.#byFile.get(file);
    if (counted !== undefined) counted.count += 1;
    else this.#byFile.set(file, { kind: record.kind, count: 1 });
  }

  /** Number of records that refer to a lead. */
  get total(): number {
    let total = 0;
    for (const { count } of this.#byFile.values()) total += count;
    return total;
  }

  /** Returns the files and their counts, in the order they were read. */
  files(): ReadonlyArray<{ file: string; kind: string; count: number }> {
    return [...this.#byFile].map(([file, counted]) => ({ file, ...counted }));
  }

  /** Describes the counts, such as `1,637: contacts.csv 135 and invoices.csv 1,502`. */
  describe(): string {
    const files = this.files().map((f) => `${f.file} ${formatNumber(f.count)}`);
    return `${formatNumber(this.total)}: ${listOf(files)}`;
  }
}

/** Id values: one token of letters, digits and `_.:#/-` with at least one digit. */
const idShape = /^(?=.*\p{N})[\p{L}\p{N}][\p{L}\p{N}_.:#/-]{0,63}$/u;

/**
 * Tells whether a column that no header label matched contains ids: a value on every record, a
 * different one on each (the distinct count is estimated past 1,000 values, hence the 5 %
 * margin), and samples shaped like ids.
 */
const looksLikeIds = (column: ColumnProfile, records: number): boolean =>
  !column.recognized &&
  column.emptyCount === 0 &&
  (column.inferredType === "string" || column.inferredType === "number") &&
  column.distinctCount >= (records <= 1000 ? records : records * 0.95) &&
  column.samples.length > 0 &&
  column.samples.every((sample) => idShape.test(sample));

/** Returns the column that most looks like an id column, preferring a header with `id` in it. */
const idCandidate = (lead: ObjectInventory): ColumnProfile | undefined => {
  const candidates = lead.columns.filter((column) => looksLikeIds(column, lead.recordCount));
  const named = candidates.find((column) =>
    normalizeLabel(column.header)
      .split(" ")
      .some((word) => word === "id" || word.startsWith("ident")),
  );
  return named ?? candidates[0];
};

/** The finding for an export whose records refer to leads that no file read contains. */
const missingLeads = (
  folder: ExportFolder,
  lead: ObjectInventory | undefined,
  references: LeadReferences,
): Finding => {
  const unread = folder.unclassified.filter((entry) => kindFromName(entry.path) === "lead");
  const state =
    lead !== undefined
      ? `${listOf(lead.files.map((file) => file.path))} holds no lead record (${lead.rejectedCount} rows rejected)`
      : unread.length > 0
        ? `${unread.map((entry) => `${entry.path} was not read: ${entry.reason}`).join("; ")}`
        : "the export has no leads file";
  return {
    code: "missing-leads",
    severity: "error",
    kind: "lead",
    count: references.total,
    message: `Records of other files refer to leads by id (${references.describe()}), but ${state}. Each of them would be rejected as an orphan record. Add the leads export (leads.csv, with its rows) to the folder and run discovery again`,
    details: { references: references.files(), unread },
  };
};

/** The finding for a leads file without an id column. */
const missingIdColumn = (
  lead: ObjectInventory,
  references: LeadReferences,
  candidate: ColumnProfile | undefined,
): Finding => {
  const files = listOf(lead.files.map((file) => file.path));
  const headers = lead.columns.map((column) => column.header.trim());
  const accepted = ["id", ...(headerAliases.lead.id ?? [])];
  const referring =
    references.total > 0
      ? ` Records of other files refer to leads by id (${references.describe()}) and would not find them.`
      : "";
  const suggestion =
    candidate === undefined
      ? " Add the lead id column to the export"
      : ` The column ${candidate.header.trim()} has a different value on every row (${candidate.samples.join(", ")}), so it is probably the id column: rename its header to Lead ID`;
  return {
    code: "no-lead-id-column",
    // Without references, content ids still work, but they change when a lead is edited.
    severity: references.total > 0 ? "error" : "warning",
    kind: "lead",
    count: references.total,
    message: `${files} has no lead id column, so its leads get ids made from their content.${referring} Its headers are ${headers.join(", ")}. A lead id column is read under the headers ${accepted.join(", ")}, compared without case, accents or punctuation.${suggestion} and run discovery again`,
    details: {
      files: lead.files.map((file) => file.path),
      headers,
      accepted,
      ...(candidate === undefined ? {} : { candidate: candidate.header.trim() }),
      references: references.files(),
    },
  };
};

/**
 * Returns the findings about the leads that other records refer to: no leads file read, a leads
 * file without lead records, or a leads file without an id column. Each is an error, except a
 * missing id column that nothing refers to, which is a warning. `findings` are the
 * findings so far. A leads file whose first row is data has its own finding, and its column names
 * come from that row, so it is not checked for an id column.
 */
export const leadFileFindings = (
  folder: ExportFolder,
  lead: ObjectInventory | undefined,
  references: LeadReferences,
  findings: ReadonlyArray<Finding>,
): ReadonlyArray<Finding> => {
  if (lead === undefined || lead.recordCount === 0) {
    return references.total === 0 ? [] : [missingLeads(folder, lead, references)];
  }
  if (lead.columns.some((column) => column.name === "id" && column.recognized)) return [];
  const isHeaderData = (finding: Finding) =>
    finding.code === "header-looks-like-data" && finding.kind === "lead";
  if (findings.some(isHeaderData)) return [];
  const candidate = idCandidate(lead);
  if (references.total === 0 && candidate === undefined) return [];
  return [missingIdColumn(lead, references, candidate)];
};
