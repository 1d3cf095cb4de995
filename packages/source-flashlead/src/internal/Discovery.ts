/**
 * Discovery: one streamed pass over every file of the export, which yields the inventory with
 * its column profiles and the audit findings.
 *
 * Team members are read first so that owners can be checked against them, and leads before the
 * objects that refer to them. A file that fast-csv cannot parse to its end becomes an
 * `unparseable-file` finding, with the rows before the failure counted.
 */
import type {
  ColumnProfile,
  FileProfile,
  Finding,
  Inventory,
  ObjectInventory,
  SkippedRows,
} from "@ferry/core";
import type { FlashLeadKind } from "../FlashLeadKind.js";
import type { FlashLeadSourceOptions } from "../FlashLeadSource.js";
import { timestampSettings } from "../FlashLeadSource.js";
import { Audit } from "./Audit.js";
import { ColumnProfiler } from "./ColumnProfiler.js";
import { CsvParseFailure } from "./CsvFile.js";
import { type DataLikeCell, describeDataLikeCells, isDataRow } from "./DataLikeCells.js";
import type { ExportFile, ExportFolder } from "./ExportFolder.js";
import { type RowObserver, readKindItemBatches } from "./KindReader.js";
import { leadFileFindings } from "./LeadFile.js";
import type { InvalidValues } from "./ValueChecks.js";
import { volumeFinding } from "./Volume.js";

const discoveryOrder: ReadonlyArray<FlashLeadKind> = [
  "team_member",
  "lead",
  "contact",
  "invoice",
  "activity",
  "message_thread",
];

/** The result of one kind's pass. */
interface KindResult {
  readonly object: ObjectInventory;
  readonly findings: ReadonlyArray<Finding>;
}

/** Builds the profile of a file. `skipped` is absent for a file never read after a failed one. */
const fileProfile = (
  file: ExportFile,
  rows: number,
  skipped: SkippedRows | undefined,
): FileProfile => ({
  path: file.name,
  encoding: file.encoding.encoding,
  delimiter: file.delimiter,
  rows,
  ...(skipped === undefined ? {} : { skipped }),
  recognizedBy: file.recognizedBy,
});

/** Findings about a file's bytes: its encoding fallback and a mixed encoding. */
const encodingFindings = (file: ExportFile): ReadonlyArray<Finding> => {
  const detection = file.encoding;
  if (detection.encoding !== "windows-1252") return [];
  const at = detection.firstInvalidByte ?? 0;
  return [
    {
      code: detection.isMixed ? "mixed-encoding" : "windows-1252",
      severity: detection.isMixed ? "error" : "info",
      kind: file.kind,
      message: detection.isMixed
        ? `${file.name} mixes UTF-8 with bytes that are not UTF-8 (first at byte ${at}); it was decoded as Windows-1252, so its UTF-8 accents read as two characters each. Re-export the file in one encoding`
        : `${file.name} is not UTF-8 (first non-UTF-8 byte at ${at}) and was decoded as Windows-1252`,
      details: { file: file.name, firstInvalidByte: at },
    },
  ];
};

/** A finding for a file whose first row has no recognized label, which may be data. */
const headerFinding = (file: ExportFile): Finding => ({
  code: "header-not-recognized",
  severity: "warning",
  kind: file.kind,
  message: `${file.name}: no cell of its first row is a known ${file.kind} column, so every column is a custom field. If the first row is data rather than a header, add the header row and export again`,
  details: { file: file.name },
});

/** A finding for a file whose first row looks like data, so the file has no header row. */
const dataHeaderFinding = (file: ExportFile, cells: ReadonlyArray<DataLikeCell>): Finding => ({
  code: "header-looks-like-data",
  severity: "error",
  kind: file.kind,
  message: `${file.name}: its first row looks like data, not a header (${describeDataLikeCells(cells)}), so the file seems to have no header row. That row is rejected, and the other rows are read under column names taken from it. Add the header row at the top of the file and run discovery again`,
  details: { file: file.name, cells },
});

/** Reads every file of one kind with the profilers and the audit observing. */
const discoverKind = async (
  kind: FlashLeadKind,
  files: ReadonlyArray<ExportFile>,
  options: FlashLeadSourceOptions,
  audit: Audit,
): Promise<KindResult> => {
  const profilers = new Map<string, ColumnProfiler>();
  const rows = new Map<ExportFile, number>();
  const skipped = new Map<ExportFile, SkippedRows>();
  const findings: Array<Finding> = files.flatMap(encodingFindings);
  let current: { file: ExportFile; profilers: ReadonlyArray<ColumnProfiler> } | undefined;
  let records = 0;
  let rejected = 0;
  let warned = 0;

  const observer: RowObserver = {
    file: (file, layout, dataLike) => {
      const list = layout.columns.map((column) => {
        const known =
          profilers.get(column.name) ??
          new ColumnProfiler(column.name, column.header, column.recognized);
        profilers.set(column.name, known);
        return known;
      });
      current = { file, profilers: list };
      rows.set(file, 0);
      if (isDataRow(dataLike)) findings.push(dataHeaderFinding(file, dataLike));
      else if (!layout.columns.some((column) => column.recognized)) {
        findings.push(headerFinding(file));
      }
    },
    row: (item, clean) => {
      if (current !== undefined) rows.set(current.file, (rows.get(current.file) ?? 0) + 1);
      if (item._tag === "Rejection") {
        rejected += 1;
        audit.reject(item);
        return;
      }

      records += 1;
      if (item.warnings.length > 0) warned += 1;
      const list = current?.profilers ?? [];
      for (let index = 0; index < list.length; index += 1) {
        list[index]?.add(clean?.[index], item.origin);
      }
      audit.record(item);
    },
    skipped: (file, counts) => skipped.set(file, counts),
  };

  try {
    const settings = {
      timestamps: timestampSettings(options),
      maxCellLength: options.maxCellLength,
    };
    for await (const _ of readKindItemBatches(kind, files, settings, observer)) {
      // The observer does the work; the items themselves are not kept.
    }
  } catch (error) {
    if (!(error instanceof CsvParseFailure)) throw error;
    findings.push({
      code: "unparseable-file",
      severity: "error",
      kind,
      message: `${error.path} cannot be parsed from line ${error.line}: ${error.detail}. The rows after it are not read; fix the quoting on that line and re-export`,
      details: { file: error.path, line: error.line },
    });
  }

  const columns = [...profilers.values()].map((profiler) => profiler.profile());
  findings.push(...dateFindings(kind, [...profilers.values()], options));
  findings.push(...invalidValueFindings(kind, [...profilers.values()], columns, options));
  const object: ObjectInventory = {
    kind,
    files: files.map((file) => fileProfile(file, rows.get(file) ?? 0, skipped.get(file))),
    recordCount: records,
    rejectedCount: rejected,
    warningCount: warned,
    columns,
  };
  return { object, findings };
};

/** Findings for date columns whose order no value decides and no option sets. */
const dateFindings = (
  kind: FlashLeadKind,
  profilers: ReadonlyArray<ColumnProfiler>,
  options: FlashLeadSourceOptions,
): ReadonlyArray<Finding> =>
  profilers.flatMap((profiler): ReadonlyArray<Finding> => {
    const format = profiler.dateFormat();
    const key = `${kind}.${profiler.name}`;
    const isSet =
      options.dateOrder?.[key] !== undefined || options.dateOrder?.[profiler.name] !== undefined;
    if (format?.order !== "ambiguous" || isSet) return [];
    return [
      {
        code: "ambiguous-date-column",
        severity: "warning",
        kind,
        message: `${key} contains dates such as ${format.sample} that read both day-first and month-first; set dateOrder { "${key}": "day-first" } or "month-first"${kind === "activity" ? ". Until then activity records carry no timestamp_iso" : ""}`,
        details: { column: profiler.name, sample: format.sample },
      },
    ];
  });

const invalidValueCodes = {
  date: "unreadable-date",
  number: "unreadable-number",
  email: "invalid-email",
} as const;

/**
 * Columns that migrate does not read with the rules of their inferred type, so discovery does not
 * check them. An activity's duration is minutes or `H:MM`, and a thread's message count is copied
 * into its note as written. Owners are matched against the team members, and the owner findings
 * report the rest.
 */
const uncheckedColumns = new Set(["activity.duration", "message_thread.message_count"]);

/**
 * Findings for columns whose values do not all read as the column's inferred type, with the
 * rules the mapping's transforms apply. `profilers` and `columns` are in the same order.
 */
const invalidValueFindings = (
  kind: FlashLeadKind,
  profilers: ReadonlyArray<ColumnProfiler>,
  columns: ReadonlyArray<ColumnProfile>,
  options: FlashLeadSourceOptions,
): ReadonlyArray<Finding> =>
  profilers.flatMap((profiler, index): ReadonlyArray<Finding> => {
    const column = columns[index];
    if (column === undefined) return [];
    const key = `${kind}.${profiler.name}`;
    if (uncheckedColumns.has(key) || profiler.name === "owner_email") return [];
    const order = options.dateOrder?.[key] ?? options.dateOrder?.[profiler.name];
    const invalid = profiler.invalidValues(column.inferredType, order);
    if (invalid === undefined) return [];

    const examples = invalid.examples
      .map((example) => `${example.file}:${example.line} ${JSON.stringify(example.value)}`)
      .join(", ");
    return [
      {
        code: invalidValueCodes[invalid.type],
        // A warning, not an error: the file reads to its end, and migrate rejects each of these
        // values with its file and line while the rest of its row still moves.
        severity: "warning",
        kind,
        count: invalid.count,
        message: `${key}, ${article(column.inferredType)} ${column.inferredType} column, has ${invalid.count} ${invalid.count === 1 ? "value that does" : "values that do"} not read as ${invalidValueReason(invalid)}: ${examples}${invalid.count > invalid.examples.length ? ", ..." : ""}. Migrate reads ${column.inferredType} columns with the same rules, so it rejects each of them with its line; correct them in the export and run discovery again to migrate them`,
        details: {
          column: profiler.name,
          inferredType: column.inferredType,
          readAs: invalid.readAs,
          examples: invalid.examples,
        },
      },
    ];
  });

const article = (word: string): string => (/^[aeiou]/.test(word) ? "an" : "a");

const invalidValueReason = (invalid: InvalidValues): string => {
  if (invalid.type === "email") return "an e-mail address";
  if (invalid.type === "number") return `an amount with ${invalid.readAs}`;
  if (invalid.readAs === "in any order") return "a date in any order";
  return `a date in the ${invalid.readAs} order`;
};

/** Runs discovery over a scanned export folder. */
export const discoverExport = async (
  options: FlashLeadSourceOptions,
  folder: ExportFolder,
): Promise<Inventory> => {
  const audit = new Audit();
  const objects: Array<ObjectInventory> = [];
  const findings: Array<Finding> = [];

  for (const kind of discoveryOrder) {
    const files = folder.files.filter((file) => file.kind === kind);
    if (files.length === 0) continue;
    const result = await discoverKind(kind, files, options, audit);
    objects.push(result.object);
    findings.push(...result.findings);
  }

  const hasActivityLog = folder.files.some((file) => file.kind === "activity");
  findings.push(...audit.findings(hasActivityLog));
  const lead = objects.find((object) => object.kind === "lead");
  findings.push(...leadFileFindings(folder, lead, audit.leadReferences, findings));
  for (const entry of folder.unclassified) {
    findings.push({
      code: "unclassified-file",
      severity: "warning",
      message: `${entry.path} was not read: ${entry.reason}`,
      details: entry,
    });
  }

  const base: Inventory = {
    source: "flashlead",
    location: options.folder,
    objects,
    findings,
    unclassified: folder.unclassified,
  };
  return withVolume(base, audit, options);
};

/** Adds the migration volume and, with the hook, the token estimate. */
const withVolume = (
  inventory: Inventory,
  audit: Audit,
  options: FlashLeadSourceOptions,
): Inventory => {
  const volume = volumeFinding(inventory, audit);
  const withCounts = { ...inventory, findings: [...inventory.findings, volume] };
  if (options.estimateTokens === undefined) return withCounts;

  const { tokens, dailyBudget } = options.estimateTokens(withCounts);
  const days = dailyBudget > 0 ? Math.ceil(tokens / dailyBudget) : 0;
  const estimate: Finding = {
    code: "token-estimate",
    severity: "info",
    count: tokens,
    message: `The migration needs an estimated ${tokens} Pipedrive tokens, ${days} days at a daily budget of ${dailyBudget}`,
    details: { tokens, dailyBudget, days },
  };
  return { ...withCounts, findings: [...withCounts.findings, estimate] };
};
