/**
 * A buffered CSV file writer for the generator: it quotes cells that need it and writes in
 * chunks of about 1 MiB, so exports of millions of rows are written in constant memory.
 */
import { type FileHandle, open } from "node:fs/promises";

const needsQuotes = /[",;\t|\r\n]/;

/** Formats one CSV cell, quoting it when it contains a delimiter, a quote or a line break. */
export const csvCell = (value: string): string =>
  needsQuotes.test(value) ? `"${value.replace(/"/g, '""')}"` : value;

/** Writes rows to one CSV file. */
export class CsvWriter {
  readonly #handle: FileHandle;
  readonly #newline: string;
  #buffer: Array<string> = [];
  #pending = 0;
  rows = 0;

  private constructor(handle: FileHandle, newline: string) {
    this.#handle = handle;
    this.#newline = newline;
  }

  /** Opens a file for writing, optionally starting it with a UTF-8 byte order mark. */
  static async open(path: string, options: { bom: boolean; newline: string }): Promise<CsvWriter> {
    const writer = new CsvWriter(await open(path, "w"), options.newline);
    if (options.bom) writer.#buffer.push("\ufeff");
    return writer;
  }

  /** Adds one row of cells written as they are (already formatted with `csvCell`). */
  async row(cells: ReadonlyArray<string>): Promise<void> {
    const line = cells.join(",") + this.#newline;
    this.#buffer.push(line);
    this.#pending += line.length;
    this.rows += 1;
    if (this.#pending >= 1 << 20) await this.flush();
  }

  /** Writes the buffered rows. */
  async flush(): Promise<void> {
    if (this.#buffer.length === 0) return;
    const text = this.#buffer.join("");
    this.#buffer = [];
    this.#pending = 0;
    await this.#handle.write(text, null, "utf8");
  }

  /** Writes what is left and closes the file. */
  async close(): Promise<void> {
    await this.flush();
    await this.#handle.close();
  }
}
