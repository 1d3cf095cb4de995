/**
 * Runs the `ferry` command line in this process, as `bin/ferry.js` does, and collects what it
 * writes to standard output and standard error (the progress bars included).
 */
import { vi } from "vitest";

import { main } from "../../../src/cli/main.js";

/** Exit code and output of one `ferry` command. */
export interface FerryRun {
  readonly code: number;
  readonly output: string;
}

/** Runs one `ferry` command line; the environment is the process's. */
export const ferry = async (args: ReadonlyArray<string>): Promise<FerryRun> => {
  const output: Array<string> = [];
  const write = (chunk: unknown): boolean => {
    output.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString());
    return true;
  };
  const out = vi.spyOn(process.stdout, "write").mockImplementation(write);
  const err = vi.spyOn(process.stderr, "write").mockImplementation(write);
  try {
    const code = await main(args);
    return { code, output: output.join("") };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
};
