/**
 * Destinations for the text of a report. The renderers write a report as a sequence of small
 * chunks, so a file sink keeps at most one buffer of text in memory whatever the report's size.
 */
import { closeSync, openSync, writeSync } from "node:fs";

/** Receives the text of a report, one chunk after the other. */
export interface ReportSink {
  readonly write: (chunk: string) => void;
}

/** Characters a file sink buffers before it writes them to the file. */
export const FILE_SINK_BUFFER = 64 * 1024;

/**
 * A sink that writes to a file in synchronous appends of about `FILE_SINK_BUFFER` characters.
 * Each append returns once the operating system has taken the bytes, which bounds the memory
 * held. Call `close` to write the rest and close the file.
 */
export class FileSink implements ReportSink {
  /** Path of the file. */
  readonly path: string;
  readonly #fd: number;
  #buffer: string[] = [];
  #buffered = 0;

  /** Creates or truncates the file at `path`. */
  constructor(path: string) {
    this.path = path;
    this.#fd = openSync(path, "w");
  }

  readonly write = (chunk: string): void => {
    this.#buffer.push(chunk);
    this.#buffered += chunk.length;
    if (this.#buffered >= FILE_SINK_BUFFER) this.#flush();
  };

  /** Writes what is buffered and closes the file. */
  close(): void {
    try {
      this.#flush();
    } finally {
      closeSync(this.#fd);
    }
  }

  #flush(): void {
    if (this.#buffered === 0) return;
    const bytes = Buffer.from(this.#buffer.join(""), "utf8");
    // writeSync may take fewer bytes than given, so it repeats until the buffer is written.
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(this.#fd, bytes, offset);
    this.#buffer = [];
    this.#buffered = 0;
  }
}

/** Runs a renderer against an in-memory sink and returns the whole text. */
export const renderToString = (render: (sink: ReportSink) => void): string => {
  const chunks: string[] = [];
  render({ write: (chunk) => chunks.push(chunk) });
  return chunks.join("");
};
