/**
 * Reading all files of one kind as records and rejections, in file and row order, with the
 * derived fields of activity records.
 *
 * An activity record gains `activity_kind`, `from_stage` and `to_stage` parsed from its text
 * when those columns are absent or empty, and `timestamp_iso` when the timestamp column's date
 * order is decided. The order comes from the `dateOrder` option or from a first pass over the
 * timestamp column, so it is decided for the whole column and never row by row. With an
 * ambiguous column, records carry no `timestamp_iso`.
 *
 * A header row that looks like data (see `DataLikeCells.ts`) is also emitted as a
 * `header-looks-like-data` rejection at its line, so the row is accounted for.
 */
import {
  type DateColumnFormat,
  type DateOrder,
  dateRejectionCode,
  type FileRead,
  makeDateFormatInference,
  parseDateValue,
  Rejection,
  type SkippedRows,
  type SourceItem,
  type SourceRecord,
} from "@ferry/core";

import type { FlashLeadKind } from "../FlashLeadKind.js";
import { classifyActivity, parseStageChange } from "./ActivityKind.js";
import { columnsOf, type FileColumns } from "./Columns.js";
import {
  type CsvRow,
  defaultMaxCellLength,
  readCsvRowBatches,
  readCsvRows,
  type SkipReason,
} from "./CsvFile.js";
import {
  type DataLikeCell,
  dataLikeCells,
  headerLooksLikeData,
  isDataRow,
} from "./DataLikeCells.js";
import type { ExportFile } from "./ExportFolder.js";
import { type CleanRow, emptyFieldsOf, type RowContext, rowToItem, SourceIds } from "./RowItems.js";

/** Receives every row of a file, for discovery's profiles. */
export interface RowObserver {
  /** Receives a file's columns, and the header cells that look like values. */
  readonly file: (
    file: ExportFile,
    layout: FileColumns,
    dataLike: ReadonlyArray<DataLikeCell>,
  ) => void;
  readonly row: (item: SourceItem, clean: CleanRow | undefined) => void;
  /** Receives the rows skipped in a file, once it is read to its end or has failed. */
  readonly skipped: (file: ExportFile, skipped: SkippedRows) => void;
}

/** Settings for reading activity timestamps. */
export interface TimestampSettings {
  /** The order set by the caller; when absent, it is inferred from the column. */
  readonly order?: DateOrder;
  /** IANA time zone of timestamps without a zone. */
  readonly timeZone?: string;
}

/** Settings for reading the files of a kind. */
export interface ReadSettings {
  readonly timestamps: TimestampSettings;
  /**
   * Maximum length of a cell, in characters as written.
   * @default 1048576 (1 MiB)
   */
  readonly maxCellLength?: number | undefined;
  /** Receives each file's columns and skipped rows once the file is read. */
  readonly onFileRead?: ((file: FileRead) => void) | undefined;
}

/** Infers the format of the timestamp column over all activity files. */
export const inferTimestampFormat = async (
  files: ReadonlyArray<ExportFile>,
  maxCellLength: number = defaultMaxCellLength,
): Promise<DateColumnFormat | undefined> => {
  const inference = makeDateFormatInference();
  for (const file of files) {
    let index = -1;
    const options = { maxCellLength, rowWidth: file.headerCells };
    const rows = readCsvRows(file.path, file.encoding, file.delimiter, options);
    for await (const row of rows) {
      if (index === -1) {
        index = columnsOf("activity", row.cells).columns.findIndex((c) => c.name === "timestamp");
        if (index === -1) break;
        continue;
      }
      inference.add(row.cells[index] ?? "");
    }
  }
  return inference.result();
};

/** Adds the derived activity fields, or rejects an impossible or invalid timestamp. */
const enrichActivity = (
  record: SourceRecord,
  order: DateOrder | undefined,
  timeZone: string | undefined,
  layout: FileColumns,
): SourceItem => {
  const fields: Record<string, string> = { ...record.fields };
  const text = fields.text ?? "";
  const kind = classifyActivity(fields.type ?? "", text);
  fields.activity_kind = kind;

  if (kind === "stage_transition" && !fields.from_stage && !fields.to_stage) {
    const change = parseStageChange(text);
    if (change !== undefined) {
      fields.from_stage = change.from;
      fields.to_stage = change.to;
    }
  }

  const timestamp = (fields.timestamp ?? "").trim();
  if (order === undefined || timestamp === "") return { ...record, fields };

  const parsed = parseDateValue(timestamp, order, timeZone);
  if (parsed.ok) return { ...record, fields: { ...fields, timestamp_iso: parsed.iso } };

  const header = layout.columns.find((column) => column.name === "timestamp")?.header.trim();
  const column = header === undefined || header === "" ? "timestamp" : header;
  return Rejection.make({
    kind: "activity",
    origin: record.origin,
    code: dateRejectionCode(parsed.reason),
    message: `${record.origin.file} line ${record.origin.line}: ${column} ${parsed.message}`,
    sourceId: record.sourceId,
    column,
    value: timestamp,
  });
};

/** Reads a file's header row: its columns, and the rejection of a header that looks like data. */
const readHeader = (
  kind: FlashLeadKind,
  file: ExportFile,
  row: CsvRow,
  shared: { ids: SourceIds; maxCellLength: number; observer: RowObserver | undefined },
): { context: RowContext; rejection?: Rejection } => {
  // NOTE: a header cell over the limit is read as empty, so its column is named
  // `column_<position>`. The rows under it are still checked against the limit.
  const layout = columnsOf(kind, row.cells);
  const recognized = layout.columns.filter((c) => c.recognized).map((c) => c.name);
  const context: RowContext = {
    kind,
    file: file.name,
    layout,
    recognized: recognized.sort(),
    ids: shared.ids,
    keepCells: shared.observer !== undefined,
    delimiter: file.delimiter,
    maxCellLength: shared.maxCellLength,
    emptyFields: emptyFieldsOf(layout),
  };

  const dataLike = dataLikeCells(row.cells);
  shared.observer?.file(file, layout, dataLike);
  if (!isDataRow(dataLike)) return { context };
  const rejection = headerLooksLikeData(kind, file.name, row.line, row.cells, dataLike);
  shared.observer?.row(rejection, undefined);
  return { context, rejection };
};

/** State shared by the files of one kind while they are read. */
interface KindState {
  readonly kind: FlashLeadKind;
  readonly ids: SourceIds;
  readonly maxCellLength: number;
  readonly observer: RowObserver | undefined;
  readonly order: DateOrder | undefined;
  readonly timeZone: string | undefined;
  readonly onFileRead: ((file: FileRead) => void) | undefined;
}

/** Streams the items of one file, in batches, and reports its skipped rows to the observer. */
async function* readFileItemBatches(
  file: ExportFile,
  state: KindState,
): AsyncGenerator<ReadonlyArray<SourceItem>> {
  const { kind, maxCellLength, observer } = state;
  let context: RowContext | undefined;
  const skipped = { blank: 0, delimiterHint: 0 };
  const onSkip = (reason: SkipReason) => {
    skipped[reason] += 1;
  };
  const { path, encoding, delimiter } = file;
  const options = { maxCellLength, onSkip, rowWidth: file.headerCells };
  const batches = readCsvRowBatches(path, encoding, delimiter, options);

  try {
    for await (const rows of batches) {
      const items: Array<SourceItem> = [];
      for (const row of rows) {
        if (context === undefined) {
          const header = readHeader(kind, file, row, state);
          context = header.context;
          if (header.rejection !== undefined) items.push(header.rejection);
          continue;
        }

        const { repairs, oversized } = row;
        const { item, clean } = rowToItem(context, row.line, row.cells, repairs, oversized);
        const result =
          kind === "activity" && item._tag === "SourceRecord"
            ? enrichActivity(item, state.order, state.timeZone, context.layout)
            : item;
        observer?.row(result, clean);
        items.push(result);
      }
      if (items.length > 0) yield items;
    }
  } finally {
    // The rows skipped before a parse failure are reported too.
    observer?.skipped(file, skipped);
    const columns = (context?.layout.columns ?? []).map(({ name, header }) => ({ name, header }));
    state.onFileRead?.({ kind, file: file.name, columns, skipped });
  }
}

/**
 * Streams the items of one kind from its files, in file and row order, in batches of the rows
 * parsed from one input chunk. A batch is never empty.
 *
 * @throws CsvParseFailure or a file system error when a file cannot be read on, after the items
 *   read before it.
 */
export async function* readKindItemBatches(
  kind: FlashLeadKind,
  files: ReadonlyArray<ExportFile>,
  settings: ReadSettings,
  observer?: RowObserver,
): AsyncGenerator<ReadonlyArray<SourceItem>> {
  const ids = new SourceIds();
  const { timestamps } = settings;
  const maxCellLength = settings.maxCellLength ?? defaultMaxCellLength;
  let order = timestamps.order;
  if (kind === "activity" && order === undefined) {
    const format = await inferTimestampFormat(files, maxCellLength);
    if (format !== undefined && format.order !== "ambiguous") order = format.order;
  }

  const state = {
    kind,
    ids,
    maxCellLength,
    observer,
    order,
    timeZone: timestamps.timeZone,
    onFileRead: settings.onFileRead,
  };
  for (const file of files) yield* readFileItemBatches(file, state);
}
