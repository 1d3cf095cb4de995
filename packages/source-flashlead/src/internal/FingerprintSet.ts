/**
 * A set of 64-bit string fingerprints for duplicate detection over millions of rows. The first
 * entries live in two typed arrays, at 8 bytes per entry plus the table's free slots, up to a
 * table of 2^20 slots (8 MiB, 524,288 entries). Entries past that go to a private temporary
 * SQLite database, so a set takes at most that table and SQLite's page cache in memory, however
 * many values it is given.
 *
 * NOTE: two different strings share a fingerprint with a probability near n² / 2^65 (about one
 * in 37 million for a million values), and such a pair is taken for a duplicate.
 */
import Database from "better-sqlite3";

/** Slots of the largest in-memory table: 2^20 slots of 8 bytes, 8 MiB. */
const MAX_MEMORY_SLOTS = 1 << 20;
/** Page cache of the overflow database, in KiB (SQLite's `cache_size` pragma). */
const OVERFLOW_CACHE_KIB = 2 * 1024;

const fnv1a = (text: string, seed: number): number => {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
};

/**
 * The fingerprints past the in-memory table, in a temporary database that SQLite unlinks as it
 * creates it and writes to only when its page cache is full.
 */
class Overflow {
  readonly #add: Database.Statement<[number, number]>;
  readonly #has: Database.Statement<[number, number]>;
  #size = 0;

  constructor() {
    // An empty file name makes SQLite create a private temporary database on disk.
    const db = new Database("");
    db.pragma(`cache_size = -${OVERFLOW_CACHE_KIB}`);
    db.exec(
      "CREATE TABLE fingerprint (high INTEGER NOT NULL, low INTEGER NOT NULL, PRIMARY KEY (high, low)) WITHOUT ROWID",
    );
    // Nothing outlives the set, so one transaction serves its whole life and no write commits.
    // NOTE: the database closes when the set is garbage collected, and its file's space on disk
    // is freed then.
    db.exec("BEGIN");
    this.#add = db.prepare("INSERT OR IGNORE INTO fingerprint (high, low) VALUES (?, ?)");
    this.#has = db.prepare("SELECT 1 FROM fingerprint WHERE high = ? AND low = ?").pluck();
  }

  get size(): number {
    return this.#size;
  }

  add(high: number, low: number): boolean {
    const added = this.#add.run(high, low).changes === 1;
    if (added) this.#size += 1;
    return added;
  }

  has(high: number, low: number): boolean {
    return this.#has.get(high, low) !== undefined;
  }
}

/**
 * An open-addressing set of string fingerprints that doubles when it is half full, up to its
 * largest table, and then adds to an overflow database.
 */
export class FingerprintSet {
  readonly #maxSlots: number;
  #high = new Uint32Array(1024);
  #low = new Uint32Array(1024);
  #size = 0;
  #overflow: Overflow | undefined;

  /** `maxSlots`, a power of two of at least 1,024, caps the in-memory table. Tests lower it. */
  constructor(maxSlots: number = MAX_MEMORY_SLOTS) {
    this.#maxSlots = maxSlots;
  }

  /** Number of distinct fingerprints added. */
  get size(): number {
    return this.#size + (this.#overflow?.size ?? 0);
  }

  /** Adds a string and returns false when its fingerprint was already present. */
  add(text: string): boolean {
    const high = fnv1a(text, 0x811c9dc5);
    const low = (fnv1a(text, 0x2166136b) | 1) >>> 0;
    if (this.#overflow === undefined && this.#size * 2 >= this.#high.length) {
      if (this.#high.length < this.#maxSlots) this.#grow();
      else this.#overflow = new Overflow();
    }
    if (this.#overflow === undefined) return this.#insert(high, low);
    // The table is full, so a fingerprint it lacks is added to the overflow.
    return !this.#contains(high, low) && this.#overflow.add(high, low);
  }

  /** Tells whether a string's fingerprint is present. */
  has(text: string): boolean {
    const high = fnv1a(text, 0x811c9dc5);
    const low = (fnv1a(text, 0x2166136b) | 1) >>> 0;
    return this.#contains(high, low) || (this.#overflow?.has(high, low) ?? false);
  }

  #contains(high: number, low: number): boolean {
    const mask = this.#high.length - 1;
    let slot = (high ^ Math.imul(low, 0x9e3779b1)) & mask;
    while (this.#low[slot] !== 0) {
      if (this.#high[slot] === high && this.#low[slot] === low) return true;
      slot = (slot + 1) & mask;
    }
    return false;
  }

  #insert(high: number, low: number): boolean {
    const mask = this.#high.length - 1;
    let slot = (high ^ Math.imul(low, 0x9e3779b1)) & mask;
    while (this.#low[slot] !== 0) {
      if (this.#high[slot] === high && this.#low[slot] === low) return false;
      slot = (slot + 1) & mask;
    }
    this.#high[slot] = high;
    this.#low[slot] = low;
    this.#size += 1;
    return true;
  }

  #grow(): void {
    const high = this.#high;
    const low = this.#low;
    this.#high = new Uint32Array(high.length * 2);
    this.#low = new Uint32Array(low.length * 2);
    this.#size = 0;
    for (let slot = 0; slot < high.length; slot += 1) {
      if (low[slot] !== 0) this.#insert(high[slot] ?? 0, low[slot] ?? 0);
    }
  }
}
