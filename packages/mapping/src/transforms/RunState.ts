/**
 * State of one transform run that covers the whole export: the organizations already planned,
 * and the person each dedupe key (e-mail, phone) was first planned for. It lives in a private
 * temporary SQLite database, so its memory is bounded by SQLite's page cache and two small
 * lookup structures, however large the export is. SQLite unlinks the database file as it
 * creates it and writes to it only when the cache is full, so a small run never touches the
 * disk and no file outlives the process.
 */
import type { RecordRef } from "@ferry/core";
import Database from "better-sqlite3";

/** Page cache of the state's database, in KiB (SQLite's `cache_size` pragma). */
const STATE_CACHE_KIB = 8 * 1024;
/** Organization keys remembered in memory, so that a company seen again skips the database. */
const KNOWN_ORGANIZATIONS = 4096;

const ddl = `
CREATE TABLE organization (key TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE person_key (
  key TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  source_id TEXT NOT NULL
) WITHOUT ROWID;
`;

/**
 * A Bloom filter of 2^24 bits (2 MiB) with four probes. It shows that a key was never added,
 * so that most lookups of a new key skip the database. A key that may be present is looked up
 * in the database. By the usual estimate (1 - e^(-4n/2^24))^4, at 300,000 keys about 1 in
 * 44,000 new keys is looked up for nothing, and at 3,000,000 keys about 1 in 15.
 */
class KeyFilter {
  static readonly #mask = (1 << 24) - 1;
  readonly #words = new Int32Array(1 << 19);

  /** Sets the key's bits. */
  add(key: string): void {
    let [first, step] = KeyFilter.#hashes(key);
    for (let probe = 0; probe < 4; probe += 1) {
      const bit = first & KeyFilter.#mask;
      this.#words[bit >>> 5] = (this.#words[bit >>> 5] ?? 0) | (1 << (bit & 31));
      first = (first + step) | 0;
    }
  }

  /** Returns whether every bit of the key is set. False means the key was never added. */
  mayContain(key: string): boolean {
    let [first, step] = KeyFilter.#hashes(key);
    for (let probe = 0; probe < 4; probe += 1) {
      const bit = first & KeyFilter.#mask;
      if (((this.#words[bit >>> 5] ?? 0) & (1 << (bit & 31))) === 0) return false;
      first = (first + step) | 0;
    }
    return true;
  }

  // Two 32-bit FNV-1a hashes with different offset bases, combined as `first + i * step`
  // (Kirsch and Mitzenmacher's double hashing). The step is odd, so the probes differ.
  static #hashes(key: string): [number, number] {
    let first = 0x811c9dc5;
    let second = 0x2166136b;
    for (let i = 0; i < key.length; i += 1) {
      const code = key.charCodeAt(i);
      first = Math.imul(first ^ code, 0x01000193);
      second = Math.imul(second ^ code, 0x01000193);
    }
    return [first, second | 1];
  }
}

/** The open database of a run, its statements and its in-memory fronts. */
interface StateDatabase {
  readonly db: Database.Database;
  readonly addOrganization: Database.Statement<[string]>;
  readonly personFor: Database.Statement<[string], { kind: string; source_id: string }>;
  readonly addPersonKey: Database.Statement<[string, string, string]>;
  readonly personKeys: KeyFilter;
  readonly knownOrganizations: Set<string>;
}

const openDatabase = (): StateDatabase => {
  // An empty file name makes SQLite create a private temporary database on disk.
  const db = new Database("");
  db.pragma(`cache_size = -${STATE_CACHE_KIB}`);
  db.exec(ddl);
  // The whole run is one transaction, because nothing in it needs to outlive the run and a
  // commit per write costs several times the write.
  db.exec("BEGIN");
  return {
    db,
    addOrganization: db.prepare("INSERT OR IGNORE INTO organization (key) VALUES (?)"),
    personFor: db.prepare("SELECT kind, source_id FROM person_key WHERE key = ?"),
    addPersonKey: db.prepare(
      "INSERT OR IGNORE INTO person_key (key, kind, source_id) VALUES (?, ?, ?)",
    ),
    personKeys: new KeyFilter(),
    knownOrganizations: new Set(),
  };
};

/**
 * Bookkeeping of one run. Create one per `transform` call and close it when the run ends. The
 * database opens on first use, and a state that is never closed is closed when it is garbage
 * collected.
 */
export class RunState {
  #open: StateDatabase | undefined;

  get #state(): StateDatabase {
    this.#open ??= openDatabase();
    return this.#open;
  }

  /** Marks an organization key as planned; returns false when it already was. */
  addOrganization(key: string): boolean {
    const state = this.#state;
    if (state.knownOrganizations.has(key)) return false;
    // The set only remembers keys that are in the database, so clearing it loses nothing.
    if (state.knownOrganizations.size >= KNOWN_ORGANIZATIONS) state.knownOrganizations.clear();
    state.knownOrganizations.add(key);
    return state.addOrganization.run(key).changes === 1;
  }

  /** Returns the person first planned with this dedupe key. */
  personFor(key: string): RecordRef | undefined {
    const state = this.#state;
    if (!state.personKeys.mayContain(key)) return undefined;
    const row = state.personFor.get(key);
    return row === undefined ? undefined : { kind: row.kind, sourceId: row.source_id };
  }

  /**
   * Returns the first of the keys, in their order, that a person was already planned with,
   * and that person.
   */
  firstPerson(
    keys: ReadonlyArray<string>,
  ): { readonly key: string; readonly ref: RecordRef } | undefined {
    for (const key of keys) {
      const ref = this.personFor(key);
      if (ref !== undefined) return { key, ref };
    }
    return undefined;
  }

  /** Remembers the person planned with these dedupe keys. A key already taken keeps its person. */
  addPerson(keys: ReadonlyArray<string>, ref: RecordRef): void {
    const { addPersonKey, personKeys } = this.#state;
    for (const key of keys) {
      addPersonKey.run(key, ref.kind, ref.sourceId);
      personKeys.add(key);
    }
  }

  /** Closes the database and deletes it. The state can be used again and starts empty. */
  close(): void {
    this.#open?.db.close();
    this.#open = undefined;
  }
}
