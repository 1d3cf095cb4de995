/**
 * Paces requests to a rolling burst window (20 requests per 2 seconds on Lite, 10 for search),
 * so a steady run never meets a 429. It counts the requests it sent and tightens when the API's
 * `x-ratelimit-*` headers report fewer requests left. Pure: the caller passes the clock.
 */

/** The `x-ratelimit-*` figures of one response. */
export interface RateLimitHeaders {
  /** Requests allowed per window. */
  readonly limit?: number;
  /** Requests left in the current window. */
  readonly remaining?: number;
  /** Seconds until the window resets. */
  readonly resetSeconds?: number;
}

/** Reads the `x-ratelimit-*` headers; absent or malformed ones are left out. */
export const readRateLimitHeaders = (headers: Headers): RateLimitHeaders => {
  const number = (name: string): number | undefined => {
    const raw = headers.get(name);
    if (raw === null || raw.trim() === "") return undefined;
    const value = Number(raw);
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  };

  const limit = number("x-ratelimit-limit");
  const remaining = number("x-ratelimit-remaining");
  const resetSeconds = number("x-ratelimit-reset");
  return {
    ...(limit === undefined ? {} : { limit }),
    ...(remaining === undefined ? {} : { remaining }),
    ...(resetSeconds === undefined ? {} : { resetSeconds }),
  };
};

/** One request's place in a burst window. */
interface Slot {
  /** When the request went out, or when its response arrived once it has one. */
  time: number;
  isSettled: boolean;
}

/** A slot taken by `acquire`; hand it back to `release` when the response arrives. */
export type BurstSlot = object;

/**
 * A rolling-window pacer.
 *
 * The server stamps a request when it arrives, which is some time between when this client sent
 * it and when the response came back. A slot taken with `acquire` therefore counts from its
 * response (`release`), and until then it keeps its place: a request sent `windowMs` after the
 * previous response cannot land in the same server window, however the latency varies.
 * `marginMs` (by default 5 % of the window) covers clock granularity.
 */
export class BurstPacer {
  readonly windowMs: number;
  readonly #marginMs: number;
  #limit: number;
  #slots: Array<Slot> = [];
  #blockedUntil = 0;

  constructor(options: {
    readonly limit: number;
    readonly windowMs: number;
    readonly marginMs?: number;
  }) {
    this.#limit = options.limit;
    this.windowMs = options.windowMs;
    this.#marginMs = options.marginMs ?? Math.ceil(options.windowMs * 0.05);
  }

  /** Requests allowed per window, after header adjustments. */
  get limit(): number {
    return this.#limit;
  }

  /** The maximum time a burst window delays a request: the window and its margin. */
  get maxWaitMs(): number {
    return this.windowMs + this.#marginMs;
  }

  /** Takes a slot that counts from `now` and returns 0, or returns the milliseconds to wait. */
  reserve(now: number): number {
    const slot = this.acquire(now);
    if (typeof slot === "number") return slot;
    this.release(slot, now);
    return 0;
  }

  /** Takes a slot that counts from its `release`, or returns the milliseconds to wait. */
  acquire(now: number): BurstSlot | number {
    if (now < this.#blockedUntil) return this.#blockedUntil - now;

    const span = this.maxWaitMs;
    this.#slots = this.#slots.filter((slot) => !slot.isSettled || slot.time > now - span);
    if (this.#slots.length < this.#limit) {
      const slot: Slot = { time: now, isSettled: false };
      this.#slots.push(slot);
      return slot;
    }

    const settled = this.#slots.filter((slot) => slot.isSettled).map((slot) => slot.time);
    // Every slot is still in flight: ask again soon, since a response frees one a window later.
    if (settled.length === 0) return Math.max(1, Math.ceil(this.windowMs / 20));
    return Math.max(1, Math.min(...settled) + span - now);
  }

  /** Starts a slot's window at `now`, when its response arrived or its request failed. */
  release(slot: BurstSlot, now: number): void {
    const owned = slot as Slot;
    owned.time = now;
    owned.isSettled = true;
  }

  /**
   * Adjusts to the headers of a response: a lower limit replaces the configured one, and no
   * request goes until the window resets when none are left. The reset is capped at the window,
   * because the header counts whole seconds and a window never delays a request longer.
   */
  observe(headers: RateLimitHeaders, now: number): void {
    if (headers.limit !== undefined && headers.limit >= 1 && headers.limit < this.#limit) {
      this.#limit = headers.limit;
    }
    if (headers.remaining === 0 && headers.resetSeconds !== undefined) {
      this.block(now, Math.min(headers.resetSeconds * 1000, this.maxWaitMs));
    }
  }

  /** Holds every request for `waitMs`, after a 429. */
  block(now: number, waitMs: number): void {
    this.#blockedUntil = Math.max(this.#blockedUntil, now + waitMs);
  }
}
