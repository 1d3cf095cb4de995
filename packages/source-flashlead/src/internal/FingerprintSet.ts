/**
 * A set of 64-bit string fingerprints in two typed arrays, for duplicate detection over millions
 * of rows at 8 bytes per entry plus the table's free slots.
 *
 * NOTE: two different strings share a fingerprint with a probability near n² / 2^65 (about one
 * in 37 million for a million values), and such a pair is taken for a duplicate.
 */

const fnv1a = (text: string, seed: number): number => {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
};

/** An open-addressing set of string fingerprints that doubles when it is half full. */
export class FingerprintSet {
  #high = new Uint32Array(1024);
  #low = new Uint32Array(1024);
  #size = 0;

  /** Number of distinct fingerprints added. */
  get size(): number {
    return this.#size;
  }

  /** Adds a string and returns false when its fingerprint was already present. */
  add(text: string): boolean {
    const high = fnv1a(text, 0x811c9dc5);
    const low = (fnv1a(text, 0x2166136b) | 1) >>> 0;
    if (this.#size * 2 >= this.#high.length) this.#grow();
    return this.#insert(high, low);
  }

  /** Tells whether a string's fingerprint is present. */
  has(text: string): boolean {
    const high = fnv1a(text, 0x811c9dc5);
    const low = (fnv1a(text, 0x2166136b) | 1) >>> 0;
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
