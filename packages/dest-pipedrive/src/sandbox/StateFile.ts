/**
 * The `--state FILE` persistence: a JSON snapshot of the store in FILE and a journal of the
 * changes since that snapshot in FILE.journal. A write's effect is in a file before its response
 * is sent, so a process killed at any moment keeps every write whose response it sent.
 *
 * - Each write appends one JSON line to the journal before its response, synchronously: the records it
 *   touched, whole, and the id counters. The journal is not forced to disk with fsync, so it
 *   survives a killed process but an operating system crash or a power cut can lose its last
 *   lines. That is the same guarantee as the ledger's SQLite setting `synchronous = NORMAL`.
 * - Loading reads the snapshot and replays the journal in order.
 * - Compaction writes a new snapshot through a temporary file and a rename, so a crash never leaves
 *   half a file, then deletes the journal. It runs at start, after a reset, on close, and when the
 *   journal has grown past the size of the last snapshot, so the bytes written stay proportional
 *   to the bytes changed. A crash between the rename and the delete leaves a journal whose lines
 *   the new snapshot already contains. Replaying it changes nothing, because each line stores
 *   whole records and counter values, not differences.
 *
 * Both files contain the users' API tokens, so they are readable and writable by their owner only
 * (mode 0600). The temporary file gets that mode before each rename, whatever mode a leftover of an
 * earlier run had, and the first compaction narrows the files of an earlier version.
 */
import {
  appendFileSync,
  chmodSync,
  existsSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { Schema } from "effect";
import {
  type Collections,
  collectionNames,
  type RecordId,
  type SerializedState,
  type Store,
} from "./Store.js";

/** The state file or its journal exists but cannot be read as a sandbox state. */
export class SandboxStateError extends Schema.TaggedError<SandboxStateError>()(
  "SandboxStateError",
  {
    path: Schema.String,
    detail: Schema.String,
  },
) {
  override get message(): string {
    return (
      `Cannot load the sandbox state ${this.path}: ${this.detail}. ` +
      `Delete it and ${journalPath(this.path)} to start empty.`
    );
  }
}

/** Path of the journal that belongs to a state file. */
export const journalPath = (statePath: string): string => `${statePath}.journal`;

/** Permission bits of the state file, its temporary file and its journal: owner only. */
export const stateFileMode = 0o600;

/** Journal size, in bytes, below which no compaction runs, however small the snapshot is. */
const minimumCompactionBytes = 4 * 1024 * 1024;

/** One line of the journal: the state of what one request changed, after the request. */
interface JournalEntry {
  /** Every id counter. */
  readonly counters: Record<string, number>;
  /** Collections that changed as a whole, with all their records. */
  readonly collections?: Partial<Record<keyof Collections, ReadonlyArray<unknown>>>;
  /** Single records by collection and id, null for a deleted record. */
  readonly records?: ReadonlyArray<readonly [keyof Collections, RecordId, unknown]>;
}

const collectionNameSet: ReadonlySet<string> = new Set(collectionNames);

/** Reads a state file's snapshot without its journal. Returns undefined when it does not exist. */
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

/** Checks the shape of one parsed journal line, and returns the reason when it is not an entry. */
const journalEntryProblem = (entry: unknown): string | undefined => {
  if (typeof entry !== "object" || entry === null) return "it is not a JSON object";
  const { counters, collections, records } = entry as Record<string, unknown>;
  if (typeof counters !== "object" || counters === null) return "it has no counters";
  if (collections !== undefined) {
    if (typeof collections !== "object" || collections === null) return "collections is invalid";
    for (const [name, list] of Object.entries(collections)) {
      if (!collectionNameSet.has(name) || !Array.isArray(list))
        return `collection ${name} is invalid`;
    }
  }
  if (records !== undefined) {
    if (!Array.isArray(records)) return "records is not an array";
    for (const item of records) {
      const valid =
        Array.isArray(item) &&
        item.length === 3 &&
        collectionNameSet.has(item[0]) &&
        (typeof item[1] === "number" || typeof item[1] === "string");
      if (!valid) return `record ${JSON.stringify(item)} is invalid`;
    }
  }
  return undefined;
};

/** Applies one journal entry to a store. */
const applyEntry = (store: Store, entry: JournalEntry): void => {
  for (const [name, records] of Object.entries(entry.collections ?? {})) {
    store.replaceCollection(name as keyof Collections, records);
  }
  for (const [name, id, record] of entry.records ?? []) store.replaceRecord(name, id, record);
  store.restoreCounters(entry.counters);
};

/**
 * Replays a journal into a store. A last line without its newline is a write that was cut off
 * before its response was sent, so it is skipped. Any other line that cannot be read is an error.
 */
const replayJournal = (path: string, store: Store): void => {
  if (!existsSync(path)) return;
  const lines = readFileSync(path, "utf8").split("\n");
  // After the last newline comes an empty string, or the part of a line that was cut off.
  lines.pop();
  lines.forEach((line, index) => {
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new SandboxStateError({ path, detail: `line ${index + 1}: ${detail}` });
    }
    const problem = journalEntryProblem(entry);
    if (problem !== undefined)
      throw new SandboxStateError({ path, detail: `line ${index + 1}: ${problem}` });
    applyEntry(store, entry as JournalEntry);
  });
};

/**
 * Loads a state file and replays its journal into a store. Returns false, leaving the store as
 * it is, when neither file exists.
 */
export const loadStateFile = (path: string, store: Store): boolean => {
  const snapshot = readStateFile(path);
  const journal = journalPath(path);
  if (snapshot === undefined) {
    if (!existsSync(journal)) return false;
    throw new SandboxStateError({
      path,
      detail: `the file is missing but its journal ${journal} exists`,
    });
  }
  store.load(snapshot);
  replayJournal(journal, store);
  return true;
};

/** Writes a store's changes to its state file: a journal line per commit, and compactions. */
export class StateFileWriter {
  private readonly journal: string;
  private journalBytes = 0;
  private snapshotBytes = 0;

  constructor(
    private readonly path: string,
    private readonly store: Store,
    /** Journal size, in bytes, that starts a compaction when the snapshot is smaller. */
    private readonly compactionBytes = minimumCompactionBytes,
  ) {
    this.journal = journalPath(path);
  }

  /**
   * Writes the changes marked since the last commit: one journal line, or a compaction when the
   * whole store changed or the journal has outgrown the snapshot. When the write fails, every
   * change is marked again, so the next commit writes a whole snapshot.
   */
  commit(): void {
    const changes = this.store.takeChanges();
    if (changes === undefined) return;
    try {
      if (changes.everything) {
        this.compact();
        return;
      }
      const collections: Partial<Record<keyof Collections, ReadonlyArray<unknown>>> = {};
      for (const name of changes.collections)
        collections[name] = [...this.store.collections[name].values()];
      const records = changes.records.map(([name, id]) => {
        const record = (this.store.collections[name] as Map<RecordId, unknown>).get(id);
        return [name, id, record ?? null] as const;
      });
      const entry: JournalEntry = {
        counters: this.store.idCounters(),
        ...(changes.collections.length === 0 ? {} : { collections }),
        ...(records.length === 0 ? {} : { records }),
      };
      const line = `${JSON.stringify(entry)}\n`;
      appendFileSync(this.journal, line, { mode: stateFileMode });
      this.journalBytes += Buffer.byteLength(line);
      if (this.journalBytes > Math.max(this.compactionBytes, this.snapshotBytes)) this.compact();
    } catch (error) {
      this.store.changed();
      throw error;
    }
  }

  /** Writes the whole store as the new snapshot and deletes the journal. */
  compact(): void {
    // Changes marked before a compaction are in the snapshot it writes.
    this.store.takeChanges();
    const text = JSON.stringify(this.store.serialize());
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, text, { mode: stateFileMode });
    // `mode` applies only when the file is created, so a leftover temporary file is narrowed.
    chmodSync(temporary, stateFileMode);
    renameSync(temporary, this.path);
    rmSync(this.journal, { force: true });
    this.journalBytes = 0;
    this.snapshotBytes = Buffer.byteLength(text);
  }
}
