/**
 * The `--state FILE` persistence: the store as one JSON snapshot, written after changes (debounced)
 * and on close, through a temporary file and a rename so a crash never leaves half a file.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import { Schema } from "effect";
import type { SerializedState, Store } from "./Store.js";

/** The state file exists but cannot be read as a sandbox state. */
export class SandboxStateError extends Schema.TaggedError<SandboxStateError>()(
  "SandboxStateError",
  {
    path: Schema.String,
    detail: Schema.String,
  },
) {
  override get message(): string {
    return `Cannot load the sandbox state ${this.path}: ${this.detail}. Delete the file to start empty.`;
  }
}

/** Reads a state file; returns undefined when it does not exist. */
export const readStateFile = (path: string): SerializedState | undefined => {
  if (!existsSync(path)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new SandboxStateError({
      path,
      detail: error instanceof Error ? error.message : String(error),
    });
  }
  const state = parsed as Partial<SerializedState> | null;
  if (
    state?.version !== 1 ||
    typeof state.collections !== "object" ||
    typeof state.counters !== "object"
  ) {
    throw new SandboxStateError({ path, detail: "it is not a version 1 sandbox state" });
  }
  return state as SerializedState;
};

/** Writes a store to a file after changes, at most once per `debounceMs`. */
export class StateFileWriter {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly store: Store,
    private readonly debounceMs = 1_000,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /** Schedules a write. */
  schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const text = JSON.stringify(this.store.serialize());
      this.writing = this.writing
        .then(async () => {
          await writeFile(`${this.path}.tmp`, text);
          await rename(`${this.path}.tmp`, this.path);
        })
        .catch((error: unknown) => this.onError(error));
    }, this.debounceMs);
  }

  /** Cancels a scheduled write, waits for a running one, and writes the current state now. */
  async flush(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.writing.catch(() => undefined);
    writeFileSync(`${this.path}.tmp`, JSON.stringify(this.store.serialize()));
    renameSync(`${this.path}.tmp`, this.path);
  }
}
