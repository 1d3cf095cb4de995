/**
 * The limit on rows per table in the Markdown and HTML reports. Those reports are for reading,
 * so a table of a large run shows its first rows, then a sentence with the number of rows left
 * out and the files that list them all. `report.json` contains every row, and `rejections.csv`
 * every rejection.
 */

/** Rows each table of the Markdown and HTML reports shows unless the caller sets another limit. */
export const DEFAULT_MAX_TABLE_ROWS = 1000;

/** Options of the Markdown and HTML renderers. */
export interface TableOptions {
  /** Rows shown per table; the rest are counted in a sentence under the table. */
  readonly maxTableRows?: number | undefined;
}

/** Returns the row limit of the options, checked. */
export const maxTableRows = (options: TableOptions): number => {
  const limit = options.maxTableRows ?? DEFAULT_MAX_TABLE_ROWS;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new RangeError(`Invalid maxTableRows ${limit}: expected a whole number of 0 or more`);
  }
  return limit;
};

const formatCount = (count: number) => count.toLocaleString("en-US");

/**
 * Returns the sentence under a table that shows `shown` of `count` rows, naming the files that
 * list every row, or undefined when the table shows them all.
 */
export const moreRowsNote = (
  count: number,
  shown: number,
  files: ReadonlyArray<string>,
): string | undefined => {
  if (count <= shown) return undefined;
  const where = files.join(" and ");
  const verb = files.length === 1 ? "lists" : "list";
  return `${formatCount(count - shown)} more rows are not shown: this table has the first ${formatCount(shown)} of ${formatCount(count)}, and ${where} ${verb} all of them.`;
};
