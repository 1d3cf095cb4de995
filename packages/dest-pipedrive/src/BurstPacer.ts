/**
 * Paces requests to a rolling burst window (20 requests per 2 seconds on Lite, 10 for search),
 * so a steady run never meets a 429. It counts what it sent itself and tightens when the API's
 * `x-ratelimit-*` headers say fewer requests are left. Pure: the caller passes the clock.
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

/**
 * A rolling-window pacer.
 *
 * `reserve(now)` returns how long to wait before the next request may go; when it returns 0 the
 * slot is taken. The window is widened by `marginMs` because the server stamps a request when
 * it arrives, a little after this client sent it.
 */
export class BurstPacer {
  readonly windowMs: number;
  readonly #marginMs: number;
  #limit: number;
  readonly #sent: Array<number> = [];
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

  /** Takes a slot and returns 0, or returns the milliseconds to wait before asking again. */
  reserve(now: number): number {
    if (now < this.#blockedUntil) return this.#blockedUntil - now;

    const span = this.windowMs + this.#marginMs;
    while (this.#sent.length > 0 && (this.#sent[0] ?? 0) <= now - span) this.#sent.shift();

    if (this.#sent.length < this.#limit) {
      this.#sent.push(now);
      return 0;
    }
    return Math.max(1, (this.#sent[0] ?? now) + span - now);
  }

  /** The longest a burst window can hold a request: the window and its margin. */
  get maxWaitMs(): number {
    return this.windowMs + this.#marginMs;
  }

  /**
   * Adjusts to the headers of a response: a lower limit replaces the configured one, and no
   * request goes until the window resets when none are left. The reset is capped at the window,
   * because the header counts whole seconds and a window never holds a request longer.
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
