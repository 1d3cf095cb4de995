/**
 * Paces requests to a rolling burst window (20 requests per 2 seconds on Lite, 10 for search),
 * so a steady run never meets a 429 and still uses the whole limit. It counts the requests it
 * sent, and the `x-ratelimit-*` headers of each response correct it when the server counts more
 * (another client on the same token) or a lower limit. Pure: the caller passes the clock.
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
 * One request's place in a burst window. The server stamps the request at some time between
 * `sentAt` and `settledAt`, so the slot counts as taken until `settledAt` plus the window and the
 * margin. A slot of another client's request, which only the headers revealed, has both times
 * set to when the response that revealed it arrived.
 */
interface Slot {
  readonly sentAt: number;
  /** When the response arrived or the request failed; undefined while it is in flight. */
  settledAt: number | undefined;
  readonly isOther: boolean;
}

/** A slot taken by `acquire`; hand it back to `release` when the response arrives. */
export type BurstSlot = object;

/**
 * Default margin of the pacer, in milliseconds. `Date.now()` counts whole milliseconds on the
 * client and on the server, which can shorten a measured interval by 1 ms on each side, and 1 ms
 * more covers a server that compares the window's edge inclusively.
 */
export const defaultBurstMarginMs = 3;

/**
 * A rolling-window pacer.
 *
 * The server stamps a request when it arrives, which is some time between when this client sent
 * it and when the response came back. A slot taken with `acquire` therefore counts from its
 * response (`release`), and until then it keeps its place: a request sent `windowMs + marginMs`
 * after the response of the request `limit` places before it cannot land in the same server
 * window, however the latency varies. The cost is one round trip per slot and window, which is
 * small next to the window when the server is near. `marginMs` covers clock granularity only.
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
    /** @default defaultBurstMarginMs */
    readonly marginMs?: number;
  }) {
    this.#limit = options.limit;
    this.windowMs = options.windowMs;
    this.#marginMs = options.marginMs ?? defaultBurstMarginMs;
  }

  /** Requests allowed per window, after header adjustments. */
  get limit(): number {
    return this.#limit;
  }

  /** The maximum time a burst window delays a request: the window and its margin. */
  get maxWaitMs(): number {
    return this.windowMs + this.#marginMs;
  }

  /**
   * Takes a slot that counts from `now` and returns 0, or returns the milliseconds to wait. It
   * suits a caller that cannot report its response, but such a slot is safe only when the request
   * reaches the server within the margin.
   */
  reserve(now: number): number {
    const slot = this.acquire(now);
    if (typeof slot === "number") return slot;
    this.release(slot, now);
    return 0;
  }

  /** Takes a slot that counts from its `release`, or returns the milliseconds to wait. */
  acquire(now: number): BurstSlot | number {
    if (now < this.#blockedUntil) return this.#blockedUntil - now;

    const inWindow = this.#slotsInWindow(now);
    if (inWindow.length < this.#limit) {
      const slot: Slot = { sentAt: now, settledAt: undefined, isOther: false };
      this.#slots.push(slot);
      return slot;
    }

    const frees = inWindow.flatMap((slot) =>
      slot.settledAt === undefined ? [] : [slot.settledAt],
    );
    // Every slot is still in flight: ask again soon, since a response frees one a window later.
    if (frees.length === 0) return Math.max(1, Math.ceil(this.windowMs / 100));
    return Math.max(1, Math.min(...frees) + this.maxWaitMs - now);
  }

  /** Gives back a slot whose request was never sent. */
  cancel(slot: BurstSlot): void {
    this.#slots = this.#slots.filter((listed) => listed !== slot);
  }

  /** Starts a slot's window at `now`, when its response arrived or its request failed. */
  release(slot: BurstSlot, now: number): void {
    const owned = slot as Slot;
    owned.settledAt = now;
  }

  /**
   * Adjusts to the headers of a response that arrived at `now`, for the request of `slot`.
   *
   * A lower limit replaces the configured one. When `remaining` shows that the server counted
   * more requests than this pacer can account for, the extra ones came from another client on
   * the same token, and each takes a slot from `now` on. A `remaining` of 0 needs no hold of its
   * own, because the own and other slots then already fill the window. The last request of every
   * full window gets a 0, so holding until `x-ratelimit-reset` (whole seconds) would idle the
   * client for most of a window each time.
   */
  observe(headers: RateLimitHeaders, now: number, slot?: BurstSlot): void {
    if (headers.limit !== undefined && headers.limit >= 1 && headers.limit < this.#limit) {
      this.#limit = headers.limit;
    }
    if (headers.remaining !== undefined && slot !== undefined) {
      const serverLimit = headers.limit ?? this.#limit;
      this.#countOthers(serverLimit - headers.remaining, slot as Slot, now);
    }
  }

  /** Holds every request for `waitMs`, after a 429. */
  block(now: number, waitMs: number): void {
    this.#blockedUntil = Math.max(this.#blockedUntil, now + waitMs);
  }

  /** Drops the slots whose window has passed and returns those still taken at `now`. */
  #slotsInWindow(now: number): Array<Slot> {
    const span = this.maxWaitMs;
    // A slot stays listed for a second window, so `#countOthers` can still see it.
    this.#slots = this.#slots.filter(
      (slot) => slot.settledAt === undefined || slot.settledAt > now - 2 * span,
    );
    return this.#slots.filter(
      (slot) => slot.settledAt === undefined || slot.settledAt > now - span,
    );
  }

  /**
   * Makes the slots of other clients at least as many as the server counted beyond this
   * pacer's own requests at `mine`'s stamp. An own request can be in that count when it was sent
   * no later than `mine` and its response did not arrive a window before `mine` was sent. A
   * request sent after `mine` is taken as stamped after it too: when the server reorders them,
   * the pacer waits for a slot it did not need, which costs throughput and never a 429.
   */
  #countOthers(serverCount: number, mine: Slot, now: number): void {
    const inWindow = this.#slotsInWindow(now);
    const earliest = mine.sentAt - this.windowMs;
    const own = this.#slots.filter(
      (slot) =>
        !slot.isOther &&
        slot.sentAt <= mine.sentAt &&
        (slot.settledAt === undefined || slot.settledAt > earliest),
    ).length;
    const others = inWindow.filter((slot) => slot.isOther).length;
    for (let extra = serverCount - own - others; extra > 0; extra--) {
      this.#slots.push({ sentAt: now, settledAt: now, isOther: true });
    }
  }
}
