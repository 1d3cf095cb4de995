/**
 * The `--state FILE` persistence: the store as one JSON snapshot, written after changes (debounced)
 * and on close, through a temporary file and a rename so a crash never leaves half a file. The
 * snapshot contains the users' API tokens, so the file is readable and writable by its owner only
 * (mode 0600). The temporary file gets that mode before each rename, whatever mode a leftover of
 * an earlier run had. An existing state file is narrowed to it when the writer is created.
 */
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { chmod, rename, writeFile } from "node:fs/promises";
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

/** Permission bits of the state file and its temporary file: read and write for the owner only. */
export const stateFileMode = 0o600;

/** Writes a store to a file after changes, at most once per `debounceMs`. */
export class StateFileWriter {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly store: Store,
    private readonly debounceMs = 1_000,
    private readonly onError: (error: unknown) => void = () => {},
  ) {
    // A file written before the mode was enforced keeps its mode until the first write.
    if (existsSync(path)) chmodSync(path, stateFileMode);
  }

  /** Schedules a write. */
  schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const text = JSON.stringify(this.store.serialize());
      this.writing = this.writing
        .then(async () => {
          const temporary = `${this.path}.tmp`;
          await writeFile(temporary, text, { mode: stateFileMode });
          // `mode` applies only when the file is created, so a leftover temporary file is narrowed.
          await chmod(temporary, stateFileMode);
          await rename(temporary, this.path);
        })
        .catch((error: unknown) => this.onError(error));
    }, this.debounceMs);
  }

  /** Cancels a scheduled write, waits for a running one, and writes the current state now. */
  async flush(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.writing.catch(() => undefined);
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.store.serialize()), { mode: stateFileMode });
    chmodSync(temporary, stateFileMode);
    renameSync(temporary, this.path);
  }
}
