/**
 * The bad-input corpus: each file under test/corpus breaks one thing, and the table below pins
 * what the source does with it, read and discovered through `makeFlashLeadSource`. Each file is
 * copied into its own export folder under the name the table gives, so a failure names the
 * corpus file. The large files come from scripts/make-corpus.mjs, run into a temporary folder.
 *
 * Every case checks the records (line, source id, warning codes and chosen values) and the
 * rejections (line, reason code, and a message naming the file). It also checks the findings
 * that are not about owners or stage lists, and that the counts reconcile: the data rows that
 * discovery read equal the records plus the rejections that `read` emitted. The rows discovery
 * skipped are pinned by reason.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "@effect/vitest";
import {
  type Finding,
  type Inventory,
  isRejection,
  type SkippedRows,
  type SourceItem,
} from "@ferry/core";
import { Chunk, Effect, Either, Stream } from "effect";

import { type FlashLeadKind, makeFlashLeadSource } from "../src/index.js";

const corpusFolder = join(import.meta.dirname, "corpus");
const generatorScript = join(import.meta.dirname, "../../../scripts/make-corpus.mjs");

/** A record that the case expects, at its line. */
interface ExpectedRecord {
  readonly line: number;
  readonly sourceId: string | RegExp;
  /** Warning codes in order, or no warnings when absent. */
  readonly warnings?: ReadonlyArray<string>;
  /** Field values that must be read exactly so. */
  readonly fields?: Readonly<Record<string, string>>;
  /** Field names the record must not carry. */
  readonly absent?: ReadonlyArray<string>;
}

/** A rejection that the case expects, with the column and value it names when it names one. */
interface ExpectedRejection {
  readonly line: number;
  readonly code: string;
  readonly column?: string;
  readonly value?: string;
  readonly sourceId?: string;
  /** The whole message, when the case pins it. */
  readonly message?: string;
}

/** One corpus file and what the source must do with it. */
interface CorpusCase {
  readonly file: string;
  /** Name the file gets in the export folder. */
  readonly as: string;
  readonly kind: FlashLeadKind;
  /** Data rows discovery reads from the file. */
  readonly rows: number;
  /** Rows discovery skips in the file, by reason; zero for a reason left out. */
  readonly skipped?: Partial<SkippedRows>;
  /** Encoding that discovery detects, as the inventory names it. */
  readonly encoding?: string;
  /** Delimiter that discovery detects. */
  readonly delimiter?: string;
  readonly records: ReadonlyArray<ExpectedRecord>;
  readonly rejections?: ReadonlyArray<ExpectedRejection>;
  /** Finding codes, in order, leaving out the ones in `background`. */
  readonly findings?: ReadonlyArray<string>;
  /** Reason the file is not read at all, from the inventory's unclassified list. */
  readonly unclassified?: RegExp;
  /** Corpus files copied beside it, by their name in the export folder. */
  readonly beside?: Readonly<Record<string, string>>;
  /** Whether scripts/make-corpus.mjs generates the file. */
  readonly generated?: boolean;
}

/**
 * Findings every small export raises (owner checks, stage and tag lists, volume), which the
 * cases leave out so each row lists only what its file breaks.
 */
const background = new Set([
  "missing-owner",
  "owner-not-in-team",
  "stages",
  "lead-sources",
  "tags",
  "no-activity-log",
  "no-stage-history",
  "leads-with-invoices",
  "migration-volume",
]);

const leads = "leads.csv";
const activities = "activity_log.csv";
const recordAt = (
  line: number,
  sourceId: string | RegExp,
  more: Omit<ExpectedRecord, "line" | "sourceId"> = {},
): ExpectedRecord => ({
  line,
  sourceId,
  ...more,
});
const twoLeads = [recordAt(2, "L-1"), recordAt(3, "L-2")];

/** The rejection of line 3 of a generated file whose notes cell has `length` characters. */
const hugeCellRejection = (line: number, length: number, preview: string): ExpectedRejection => ({
  line,
  code: "cell-too-large",
  column: "notes",
  sourceId: "L-2",
  value: `${preview}…`,
  message: `leads.csv line ${line}: notes (column 5) has ${length.toLocaleString("en-US")} characters, over the limit of 1,048,576 (the maxCellLength option), so the row was not read. Shorten the cell in Flash Lead Sales and export again, or raise maxCellLength`,
});

/** The first 200 characters of a generated quoted notes cell, as written. */
const quotedPreview = `"first line\n${"x".repeat(188)}`;

const cases: ReadonlyArray<CorpusCase> = [
  // Encodings
  {
    file: "enc-windows-1252.csv",
    as: leads,
    kind: "lead",
    encoding: "windows-1252",
    rows: 1,
    records: [
      recordAt(2, "L-1", {
        fields: { first_name: "José", last_name: "Conceição", company: "Café Ltda" },
      }),
    ],
    findings: ["windows-1252"],
  },
  {
    file: "enc-utf8-bom.csv",
    as: leads,
    kind: "lead",
    encoding: "utf-8-bom",
    rows: 1,
    records: [recordAt(2, "L-1", { fields: { id: "L-1", first_name: "Ana" } })],
  },
  {
    file: "enc-utf16le-bom.csv",
    as: leads,
    kind: "lead",
    encoding: "utf-16le",
    rows: 1,
    records: [recordAt(2, "L-1", { fields: { first_name: "José", email: "jose@example.test" } })],
  },
  {
    file: "enc-utf16be-bom.csv",
    as: leads,
    kind: "lead",
    encoding: "utf-16be",
    rows: 1,
    records: [recordAt(2, "L-1", { fields: { first_name: "José", email: "jose@example.test" } })],
  },
  {
    file: "enc-bom-then-invalid.csv",
    as: leads,
    kind: "lead",
    encoding: "windows-1252",
    rows: 1,
    records: [recordAt(2, "L-1", { fields: { id: "L-1", first_name: "José" } })],
    findings: ["windows-1252"],
  },
  {
    file: "enc-mixed.csv",
    as: leads,
    kind: "lead",
    encoding: "windows-1252",
    rows: 2,
    records: [
      recordAt(2, "L-1", { fields: { first_name: "JosÃ©" } }),
      recordAt(3, "L-2", { fields: { first_name: "Jürgen", last_name: "Müller" } }),
    ],
    findings: ["mixed-encoding"],
  },
  {
    file: "enc-utf16le-no-bom.csv",
    as: leads,
    kind: "lead",
    encoding: "utf-16le",
    rows: 1,
    records: [recordAt(2, "L-1", { fields: { first_name: "Ana", email: "ana@example.test" } })],
  },
  {
    file: "enc-nul-bytes.csv",
    as: leads,
    kind: "lead",
    encoding: "utf-8",
    rows: 1,
    records: [
      recordAt(2, "L-1", {
        warnings: ["nul-byte"],
        fields: { first_name: "Ana", last_name: "Lima" },
      }),
    ],
    findings: ["nul-byte"],
  },

  // Delimiters and line endings
  {
    file: "delim-semicolon.csv",
    as: leads,
    kind: "lead",
    rows: 2,
    delimiter: ";",
    records: twoLeads,
  },
  { file: "delim-tab.csv", as: leads, kind: "lead", rows: 2, delimiter: "\t", records: twoLeads },
  { file: "delim-pipe.csv", as: leads, kind: "lead", rows: 2, delimiter: "|", records: twoLeads },
  {
    file: "delim-excel-sep-line.csv",
    as: leads,
    kind: "lead",
    delimiter: ";",
    rows: 2,
    skipped: { delimiterHint: 1 },
    records: [recordAt(3, "L-1", { fields: { first_name: "Ana" } }), recordAt(4, "L-2")],
  },
  {
    file: "delim-header-comma-rows-semicolon.csv",
    as: leads,
    kind: "lead",
    delimiter: ",",
    rows: 2,
    records: [],
    rejections: [
      {
        line: 2,
        code: "delimiter-mismatch",
        message:
          'leads.csv line 2 has 1 of 11 cells when split on "," (comma) like the header, but 11 when split on ";" (semicolon). The row seems to use ";" (semicolon) while the header uses "," (comma). Write the header and every row with the same delimiter and read the file again',
      },
      { line: 3, code: "delimiter-mismatch" },
    ],
    findings: ["rejected-delimiter-mismatch"],
  },
  {
    file: "eol-crlf.csv",
    as: leads,
    kind: "lead",
    rows: 2,
    records: [recordAt(2, "L-1", { fields: { created_at: "2024-03-05" } }), recordAt(3, "L-2")],
  },
  {
    file: "eol-cr-only.csv",
    as: leads,
    kind: "lead",
    rows: 2,
    records: [recordAt(2, "L-1", { fields: { created_at: "2024-03-05" } }), recordAt(3, "L-2")],
  },

  // Quoting
  {
    file: "quote-unclosed-at-eof.csv",
    as: leads,
    kind: "lead",
    rows: 2,
    records: [
      recordAt(2, "L-1"),
      recordAt(3, "L-2", {
        warnings: ["unclosed-quote"],
        fields: { company: '"Beta', stage: "Proposta" },
      }),
    ],
    findings: ["unclosed-quote"],
  },
  {
    file: "quote-text-after-closing.csv",
    as: leads,
    kind: "lead",
    rows: 3,
    records: [
      recordAt(2, "L-1"),
      recordAt(3, "L-2", {
        warnings: ["stray-quote"],
        fields: { company: '"Beta" Ltd', stage: "Proposta" },
      }),
      recordAt(4, "L-3", { fields: { company: "Gama" } }),
    ],
    findings: ["stray-quote"],
  },
  {
    file: "quote-stray-in-unquoted.csv",
    as: leads,
    kind: "lead",
    rows: 2,
    records: [recordAt(2, "L-1", { fields: { company: '19" Screens Ltd' } }), recordAt(3, "L-2")],
  },
  {
    file: "quote-doubled-inside-quoted.csv",
    as: leads,
    kind: "lead",
    rows: 2,
    records: [
      recordAt(2, "L-1", { fields: { company: 'The "Best" Shop, Ltd', stage: "Novo" } }),
      recordAt(3, "L-2"),
    ],
  },
  {
    file: "quote-crlf-inside.csv",
    as: leads,
    kind: "lead",
    rows: 2,
    records: [
      recordAt(2, "L-1", { fields: { notes: "first line\r\nsecond line" } }),
      recordAt(4, "L-2"),
    ],
  },
  {
    file: "quote-lf-inside.csv",
    as: leads,
    kind: "lead",
    rows: 2,
    records: [
      recordAt(2, "L-1", { fields: { notes: "first line\nsecond line\nthird line" } }),
      recordAt(5, "L-2"),
    ],
  },
  {
    file: "quote-cr-inside.csv",
    as: leads,
    kind: "lead",
    rows: 2,
    records: [
      recordAt(2, "L-1", { fields: { notes: "first line\rsecond line" } }),
      recordAt(4, "L-2"),
    ],
  },

  // Ragged rows
  {
    file: "ragged-short-row.csv",
    as: leads,
    kind: "lead",
    rows: 2,
    records: [
      recordAt(2, "L-1", {
        warnings: ["short-row"],
        fields: { email: "ana@example.test", phone: "" },
      }),
      recordAt(3, "L-2"),
    ],
    findings: ["short-row"],
  },
  {
    file: "ragged-long-row.csv",
    as: leads,
    kind: "lead",
    rows: 2,
    records: [recordAt(3, "L-2")],
    rejections: [{ line: 2, code: "long-row" }],
    findings: ["rejected-long-row"],
  },
  {
    file: "ragged-blank-lines-between.csv",
    as: leads,
    kind: "lead",
    rows: 2,
    skipped: { blank: 2 },
    records: [recordAt(2, "L-1"), recordAt(5, "L-2")],
  },
  {
    file: "ragged-delimiters-only-row.csv",
    as: leads,
    kind: "lead",
    rows: 2,
    skipped: { blank: 1 },
    records: [recordAt(2, "L-1"), recordAt(4, "L-2")],
  },
  {
    file: "ragged-whitespace-row.csv",
    as: leads,
    kind: "lead",
    rows: 2,
    skipped: { blank: 1 },
    records: [recordAt(2, "L-1"), recordAt(4, "L-2")],
  },
  {
    file: "million-columns.csv",
    as: leads,
    kind: "lead",
    rows: 3,
    records: [recordAt(2, "L-1"), recordAt(4, "L-3")],
    rejections: [{ line: 3, code: "long-row" }],
    findings: ["rejected-long-row"],
    generated: true,
  },

  // Oversized cells: the cell's bytes are dropped before fast-csv, the row is rejected
  {
    file: "huge-cell-5mb.csv",
    as: leads,
    kind: "lead",
    rows: 3,
    records: [recordAt(2, "L-1"), recordAt(4, "L-3", { fields: { notes: "short note" } })],
    rejections: [hugeCellRejection(3, 5 * 1024 * 1024, "x".repeat(200))],
    findings: ["rejected-cell-too-large"],
    generated: true,
  },
  {
    file: "huge-quoted-cell-5mb.csv",
    as: leads,
    kind: "lead",
    rows: 3,
    records: [recordAt(2, "L-1"), recordAt(5, "L-3", { fields: { notes: "short note" } })],
    rejections: [hugeCellRejection(3, 5 * 1024 * 1024 + 13, quotedPreview)],
    findings: ["rejected-cell-too-large"],
    generated: true,
  },
  {
    file: "huge-cell-50mb.csv",
    as: leads,
    kind: "lead",
    rows: 3,
    records: [recordAt(2, "L-1"), recordAt(4, "L-3", { fields: { notes: "short note" } })],
    rejections: [hugeCellRejection(3, 50 * 1024 * 1024, "x".repeat(200))],
    findings: ["rejected-cell-too-large"],
    generated: true,
  },
  {
    file: "huge-quoted-cell-50mb.csv",
    as: leads,
    kind: "lead",
    rows: 3,
    records: [recordAt(2, "L-1"), recordAt(5, "L-3", { fields: { notes: "short note" } })],
    rejections: [hugeCellRejection(3, 50 * 1024 * 1024 + 13, quotedPreview)],
    findings: ["rejected-cell-too-large"],
    generated: true,
  },

  // Headers
  {
    file: "header-missing-first-row-is-data.csv",
    as: leads,
    kind: "lead",
    rows: 2,
    records: [recordAt(2, /^h:[0-9a-f]{16}$/, { fields: { facebook_url: "Site" } })],
    rejections: [
      {
        line: 1,
        code: "header-looks-like-data",
        message:
          "leads.csv line 1 looks like a data row, not a header: ana@example.test (e-mail), +5511987654321 (phone number), bia@example.test (e-mail), 100 (number) and 1 more. The file seems to have no header row, so this row was read as the header and not loaded, and the other rows were read under column names taken from it. Add the header row at the top of the file and read it again",
      },
    ],
    findings: ["header-looks-like-data", "rejected-header-looks-like-data"],
  },
  {
    file: "header-duplicate-names.csv",
    as: leads,
    kind: "lead",
    rows: 1,
    records: [
      recordAt(2, "L-1", {
        fields: { email: "ana@example.test", email_2: "ana.lima@example.test" },
      }),
    ],
  },
  {
    file: "header-empty-trailing-cell.csv",
    as: leads,
    kind: "lead",
    rows: 2,
    records: [recordAt(2, "L-1", { absent: ["column_5"] }), recordAt(3, "L-2")],
  },
  {
    file: "header-empty-middle-cell.csv",
    as: leads,
    kind: "lead",
    rows: 1,
    records: [recordAt(2, "L-1", { fields: { column_3: "Lima", email: "ana@example.test" } })],
  },
  { file: "header-only.csv", as: leads, kind: "lead", rows: 0, records: [] },
  {
    file: "header-whitespace-and-case.csv",
    as: leads,
    kind: "lead",
    rows: 1,
    records: [
      recordAt(2, "L-1", {
        fields: { id: "L-1", first_name: "Ana", last_name: "Lima", email: "ana@example.test" },
      }),
    ],
  },
  {
    file: "header-unknown-columns.csv",
    as: leads,
    kind: "lead",
    rows: 1,
    records: [recordAt(2, "L-1", { fields: { "Shoe size": "38", "Favourite colour": "green" } })],
  },
  {
    file: "header-portuguese.csv",
    as: leads,
    kind: "lead",
    rows: 1,
    records: [
      recordAt(2, "L-1", {
        fields: {
          first_name: "Ana",
          owner_email: "bia@example.test",
          value: "100,00",
          created_at: "05/03/2024",
        },
      }),
    ],
    findings: ["ambiguous-date-column"],
  },
  {
    file: "header-unrecognizable.csv",
    as: "export-2024.csv",
    kind: "lead",
    rows: 0,
    records: [],
    findings: ["unclassified-file"],
    unclassified: /neither its name nor its header matches an object kind/,
  },

  // Dates in the activity log
  {
    file: "date-impossible.csv",
    as: activities,
    kind: "activity",
    rows: 2,
    records: [recordAt(2, "A-1", { fields: { timestamp_iso: "2024-03-25T10:00:00Z" } })],
    rejections: [
      { line: 3, code: "impossible-date", column: "timestamp", value: "31/02/2024 11:00" },
    ],
    findings: ["rejected-impossible-date", "missing-leads"],
  },
  {
    file: "date-ambiguous-column.csv",
    as: activities,
    kind: "activity",
    rows: 2,
    records: [
      recordAt(2, "A-1", { absent: ["timestamp_iso"] }),
      recordAt(3, "A-2", { absent: ["timestamp_iso"] }),
    ],
    findings: ["ambiguous-date-column", "missing-leads"],
  },
  {
    file: "date-mixed-formats.csv",
    as: activities,
    kind: "activity",
    rows: 3,
    records: [
      recordAt(2, "A-1", { fields: { timestamp_iso: "2024-03-25T10:00:00Z" } }),
      recordAt(3, "A-2", { fields: { timestamp_iso: "2024-03-26T11:00:00Z" } }),
    ],
    rejections: [{ line: 4, code: "invalid-date", column: "timestamp", value: "March 27 2024" }],
    findings: ["rejected-invalid-date", "missing-leads"],
  },
  {
    file: "date-time-zones.csv",
    as: activities,
    kind: "activity",
    rows: 3,
    records: [
      recordAt(2, "A-1", { fields: { timestamp_iso: "2024-03-25T10:00:00Z" } }),
      recordAt(3, "A-2", { fields: { timestamp_iso: "2024-03-25T08:00:00Z" } }),
      recordAt(4, "A-3", { fields: { timestamp_iso: "2024-03-25T10:00:00Z" } }),
    ],
    findings: ["missing-leads"],
  },

  // Numbers stay strings for the mapping to type
  {
    file: "number-comma-decimals.csv",
    as: leads,
    kind: "lead",
    rows: 2,
    records: [
      recordAt(2, "L-1", { fields: { value: "1234,50" } }),
      recordAt(3, "L-2", { fields: { value: "99,90" } }),
    ],
  },
  {
    file: "number-thousands-separators.csv",
    as: leads,
    kind: "lead",
    rows: 2,
    records: [
      recordAt(2, "L-1", { fields: { value: "1,234,567.89" } }),
      recordAt(3, "L-2", { fields: { value: "1.234.567" } }),
    ],
  },
  {
    file: "number-currency-symbols.csv",
    as: leads,
    kind: "lead",
    rows: 3,
    records: [
      recordAt(2, "L-1", { fields: { value: "R$ 1200" } }),
      recordAt(3, "L-2", { fields: { value: "€99.90" } }),
      recordAt(4, "L-3", { fields: { value: "$ 5" } }),
    ],
  },

  // E-mails stay as written, and duplicates compare trimmed and in lower case
  {
    file: "email-invalid.csv",
    as: leads,
    kind: "lead",
    rows: 3,
    records: [
      recordAt(2, "L-1", { fields: { email: "ana@" } }),
      recordAt(3, "L-2", { fields: { email: "not an email" } }),
      recordAt(4, "L-3", { fields: { email: "dora@@example.test" } }),
    ],
  },
  {
    file: "email-uppercase-duplicate.csv",
    as: leads,
    kind: "lead",
    rows: 2,
    records: [recordAt(2, "L-1", { fields: { email: "ANA@EXAMPLE.TEST" } }), recordAt(3, "L-2")],
    findings: ["duplicate-email"],
  },
  {
    file: "email-spaces.csv",
    as: leads,
    kind: "lead",
    rows: 2,
    records: [
      recordAt(2, "L-1", { fields: { email: " ana@example.test " } }),
      recordAt(3, "L-2", { fields: { email: "caio @example.test" } }),
    ],
  },

  // Phones keep every digit
  {
    file: "phone-scientific-notation.csv",
    as: leads,
    kind: "lead",
    rows: 2,
    records: [
      recordAt(2, "L-1", { warnings: ["digits-lost"], fields: { phone: "5,58199E+12" } }),
      recordAt(3, "L-2"),
    ],
    findings: ["digits-lost"],
  },
  {
    file: "phone-excel-wrapper.csv",
    as: leads,
    kind: "lead",
    rows: 2,
    records: [
      recordAt(2, "L-1", { warnings: ["excel-wrapper"], fields: { phone: "0612345678" } }),
      recordAt(3, "L-2"),
    ],
    findings: ["excel-wrapper"],
  },
  {
    file: "phone-leading-zeros.csv",
    as: leads,
    kind: "lead",
    rows: 2,
    records: [
      recordAt(2, "L-1", { fields: { phone: "0612345678" } }),
      recordAt(3, "L-2", { fields: { phone: "00351912345678" } }),
    ],
  },

  // Ids and duplicate keys
  {
    file: "id-empty.csv",
    as: leads,
    kind: "lead",
    rows: 3,
    records: [
      recordAt(2, /^h:[0-9a-f]{16}$/),
      recordAt(3, /^h:[0-9a-f]{16}$/),
      recordAt(4, /^h:[0-9a-f]{16}#2$/),
    ],
    findings: ["duplicate-email"],
  },
  {
    file: "id-duplicate.csv",
    as: leads,
    kind: "lead",
    rows: 2,
    records: [recordAt(2, "L-1", { fields: { first_name: "Ana" } })],
    rejections: [{ line: 3, code: "duplicate-id", column: "id", value: "L-1" }],
    findings: ["rejected-duplicate-id"],
  },
  {
    file: "id-leading-zeros.csv",
    as: leads,
    kind: "lead",
    rows: 2,
    records: [recordAt(2, "00042", { fields: { id: "00042" } }), recordAt(3, "42")],
  },
  {
    file: "dup-same-email.csv",
    as: leads,
    kind: "lead",
    rows: 2,
    records: twoLeads,
    findings: ["duplicate-email"],
  },

  // References to leads that are not in the export
  {
    file: "ref-invoice-missing-lead.csv",
    as: "invoices.csv",
    kind: "invoice",
    rows: 2,
    records: [recordAt(2, "I-1"), recordAt(3, "I-2", { fields: { lead_id: "L-404" } })],
    findings: ["unknown-lead"],
    beside: { [leads]: "parents-leads.csv" },
  },
  {
    file: "ref-activity-orphan.csv",
    as: activities,
    kind: "activity",
    rows: 2,
    records: [recordAt(2, "A-1"), recordAt(3, "A-2", { fields: { lead_id: "L-404" } })],
    findings: ["unknown-lead"],
    beside: { [leads]: "parents-leads.csv" },
  },

  // Files without rows
  {
    file: "empty-0-bytes.csv",
    as: leads,
    kind: "lead",
    rows: 0,
    records: [],
    findings: ["unclassified-file"],
    unclassified: /the file is empty/,
  },
  {
    file: "empty-blank-lines-only.csv",
    as: leads,
    kind: "lead",
    rows: 0,
    records: [],
    findings: ["unclassified-file"],
    unclassified: /the file is empty/,
  },
];

/** Corpus files that only serve as companions of other cases. */
const companions = new Set(["parents-leads.csv"]);

let generatedFolder: string | undefined;

/** Temporary folders to remove after the run, since the generated files take about 110 MB. */
const temporary: Array<string> = [];
afterAll(() => {
  for (const folder of temporary) rmSync(folder, { recursive: true, force: true });
});

/** Runs scripts/make-corpus.mjs once, into a temporary folder, for the generated files. */
const generated = (): string => {
  if (generatedFolder !== undefined) return generatedFolder;
  const folder = mkdtempSync(join(tmpdir(), "ferry-corpus-generated-"));
  const names = cases.filter((c) => c.generated === true).map((c) => c.file);
  temporary.push(folder);
  execFileSync(process.execPath, [generatorScript, folder, ...names]);
  generatedFolder = folder;
  return folder;
};

/** Makes an export folder holding the case's file under its export name. */
const exportFolderFor = (entry: CorpusCase): string => {
  const folder = mkdtempSync(join(tmpdir(), "ferry-corpus-"));
  temporary.push(folder);
  const from = entry.generated === true ? generated() : corpusFolder;
  copyFileSync(join(from, entry.file), join(folder, entry.as));
  for (const [name, file] of Object.entries(entry.beside ?? {})) {
    copyFileSync(join(corpusFolder, file), join(folder, name));
  }
  return folder;
};

/** Reads every item of the kind, and the error that ended the stream if one did. */
const readAll = (folder: string, kind: FlashLeadKind) =>
  Effect.gen(function* () {
    const source = makeFlashLeadSource({ folder });
    const results = yield* Stream.runCollect(Stream.either(source.read(kind)));
    const items: Array<SourceItem> = [];
    let failure: unknown;
    for (const result of Chunk.toArray(results)) {
      if (Either.isRight(result)) items.push(result.right);
      else failure = result.left;
    }
    return { items, failure };
  });

const discover = (folder: string) => makeFlashLeadSource({ folder }).discover();

const notable = (findings: ReadonlyArray<Finding>): ReadonlyArray<string> =>
  findings.map((finding) => finding.code).filter((code) => !background.has(code));

const checkRecords = (entry: CorpusCase, items: ReadonlyArray<SourceItem>) => {
  const records = items.filter((item) => item._tag === "SourceRecord");
  expect(records.map((record) => record.origin.line)).toEqual(entry.records.map((r) => r.line));

  entry.records.forEach((want, index) => {
    const record = records[index];
    expect(record?.origin.file).toBe(entry.as);
    if (typeof want.sourceId === "string") expect(record?.sourceId).toBe(want.sourceId);
    else expect(record?.sourceId).toMatch(want.sourceId);
    expect(record?.warnings.map((warning) => warning.code)).toEqual(want.warnings ?? []);
    for (const [name, value] of Object.entries(want.fields ?? {})) {
      expect(record?.fields[name], `${entry.file} line ${want.line} ${name}`).toBe(value);
    }
    for (const name of want.absent ?? []) expect(record?.fields).not.toHaveProperty(name);
  });
};

const checkRejections = (entry: CorpusCase, items: ReadonlyArray<SourceItem>) => {
  const rejections = items.filter(isRejection);
  const expected = entry.rejections ?? [];
  expect(rejections.map((r) => ({ line: r.origin.line, code: r.code }))).toEqual(
    expected.map((want) => ({ line: want.line, code: want.code })),
  );
  expected.forEach((want, index) => {
    if (want.column !== undefined) expect(rejections[index]?.column).toBe(want.column);
    if (want.value !== undefined) expect(rejections[index]?.value).toBe(want.value);
    if (want.sourceId !== undefined) expect(rejections[index]?.sourceId).toBe(want.sourceId);
    if (want.message !== undefined) expect(rejections[index]?.message).toBe(want.message);
  });
  for (const rejection of rejections) {
    expect(rejection.origin.file).toBe(entry.as);
    expect(rejection.message).toContain(entry.as);
    expect(rejection.message).toContain(String(rejection.origin.line));
    // A rejection names its row, so a row of a million cells must not travel whole in it.
    expect(rejection.value?.length ?? 0).toBeLessThan(1000);
  }
};

const checkInventory = (entry: CorpusCase, inventory: Inventory, read: number) => {
  expect(notable(inventory.findings)).toEqual(entry.findings ?? []);

  const object = inventory.objects.find((o) => o.kind === entry.kind);
  if (entry.unclassified !== undefined) {
    expect(object).toBeUndefined();
    const skipped = inventory.unclassified.find((u) => u.path === entry.as);
    expect(skipped?.reason).toMatch(entry.unclassified);
    return;
  }

  const file = object?.files.find((f) => f.path === entry.as);
  expect(file?.rows).toBe(entry.rows);
  expect(file?.skipped).toEqual({ blank: 0, delimiterHint: 0, ...entry.skipped });
  if (entry.encoding !== undefined) expect(file?.encoding).toBe(entry.encoding);
  if (entry.delimiter !== undefined) expect(file?.delimiter).toBe(entry.delimiter);
  expect(read).toBe(entry.rows);
  expect(object?.recordCount).toBe(entry.records.length);
  expect(object?.rejectedCount).toBe(entry.rejections?.length ?? 0);
};

describe("FlashLeadSource", () => {
  describe("bad-input corpus", () => {
    it("has a table row for every corpus file", () => {
      const listed = new Set(cases.filter((c) => c.generated !== true).map((c) => c.file));
      const files = readdirSync(corpusFolder).filter((name) => name.endsWith(".csv"));
      const missing = files.filter((name) => !listed.has(name) && !companions.has(name));
      expect(missing).toEqual([]);
      expect(cases.length).toBeGreaterThanOrEqual(40);
    });

    it.each(cases)("reads $file as pinned", async (entry) => {
      const folder = exportFolderFor(entry);
      const { items, failure } = await Effect.runPromise(readAll(folder, entry.kind));

      checkRecords(entry, items);
      checkRejections(entry, items);
      expect(failure).toBeUndefined();

      const inventory = await Effect.runPromise(discover(folder));
      checkInventory(entry, inventory, items.length);
    });
  });
});
