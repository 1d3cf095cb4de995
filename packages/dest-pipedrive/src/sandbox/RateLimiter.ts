/**
 * Pipedrive's token-based rate limiting: a daily token budget per company, a rolling 2-second
 * burst window per API token (a separate, smaller one for search endpoints), and the block that
 * answers an HTML 403 to a token that keeps sending requests after 429s. A time scale shrinks the
 * window and the day, so tests and benchmarks can exhaust and reset them quickly.
 */
import { dailyBudget, type PlanName, plans, searchBurst } from "./Plans.js";

/** Settings of the limiter. */
export interface RateLimiterOptions {
  readonly plan: PlanName;
  readonly seats: number;
  /** The 2-second window becomes 2/timeScale seconds and the day 86,400/timeScale seconds. */
  readonly timeScale: number;
  /** 429s of one token within one block window after which the token is blocked. */
  readonly blockAfter429s: number;
  /** Length of the window that counts 429s, and of the block, in unscaled milliseconds. */
  readonly blockWindowMs: number;
  readonly blockDurationMs: number;
  readonly now?: () => number;
}

/** The outcome of admitting one request. */
export type Admission =
  | { readonly kind: "admitted"; readonly headers: Record<string, string> }
  | {
      readonly kind: "over-limit";
      readonly reason: "burst" | "budget";
      readonly headers: Record<string, string>;
    }
  | { readonly kind: "blocked"; readonly headers: Record<string, string> };

/** The limiter's counters, as the control API reports them. */
export interface RateLimiterState {
  readonly plan: PlanName;
  readonly seats: number;
  readonly timeScale: number;
  readonly windowMs: number;
  readonly dayMs: number;
  readonly dailyBudget: number;
  readonly tokensUsedToday: number;
  readonly msUntilDayReset: number;
  readonly blockedTokens: number;
}

const baseWindowMs = 2_000;
const baseDayMs = 86_400_000;

/** A rolling window of request times for one token and one limit. */
class Window {
  private readonly times: Array<number> = [];

  constructor(
    readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Drops the times that left the window and returns how many remain. */
  count(now: number): number {
    while (this.times.length > 0 && (this.times[0] ?? 0) <= now - this.windowMs) this.times.shift();
    return this.times.length;
  }

  add(now: number): void {
    this.times.push(now);
  }

  /** Whole seconds until the oldest request leaves the window, at least 1 when it is full. */
  resetSeconds(now: number): number {
    const oldest = this.times[0];
    if (oldest === undefined) return Math.ceil(this.windowMs / 1000);
    return Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000));
  }
}

/** The rate limiter of one sandbox account. */
export class RateLimiter {
  private readonly now: () => number;
  private readonly windowMs: number;
  private readonly dayMs: number;
  private readonly windows = new Map<string, Window>();
  private readonly recent429s = new Map<string, Array<number>>();
  private readonly blockedUntil = new Map<string, number>();
  private dayStart: number;
  private used = 0;

  constructor(private readonly options: RateLimiterOptions) {
    this.now = options.now ?? Date.now;
    this.windowMs = baseWindowMs / options.timeScale;
    this.dayMs = baseDayMs / options.timeScale;
    this.dayStart = this.now();
  }

  /** Decides whether a request of `cost` tokens from `token` runs, and charges it if so. */
  admit(token: string, cost: number, isSearch: boolean): Admission {
    const now = this.now();
    this.rollDay(now);

    const blockedUntil = this.blockedUntil.get(token);
    if (blockedUntil !== undefined && blockedUntil > now) return { kind: "blocked", headers: {} };
    if (blockedUntil !== undefined) this.blockedUntil.delete(token);

    const general = this.window(token, "general", plans[this.options.plan].burst);
    const search = isSearch ? this.window(token, "search", searchBurst) : undefined;
    const shown = search ?? general;

    const generalFull = general.count(now) >= general.limit;
    const searchFull = search !== undefined && search.count(now) >= search.limit;
    if (generalFull || searchFull) {
      const full = searchFull && search !== undefined ? search : general;
      return this.reject(token, now, "burst", this.headers(full, now));
    }

    if (this.used + cost > dailyBudget(this.options.plan, this.options.seats)) {
      return this.reject(token, now, "budget", this.headers(shown, now));
    }

    general.add(now);
    search?.add(now);
    this.used += cost;
    return { kind: "admitted", headers: this.headers(shown, now) };
  }

  /** Reports the counters. */
  state(): RateLimiterState {
    const now = this.now();
    this.rollDay(now);
    let blocked = 0;
    for (const until of this.blockedUntil.values()) if (until > now) blocked++;
    return {
      plan: this.options.plan,
      seats: this.options.seats,
      timeScale: this.options.timeScale,
      windowMs: this.windowMs,
      dayMs: this.dayMs,
      dailyBudget: dailyBudget(this.options.plan, this.options.seats),
      tokensUsedToday: this.used,
      msUntilDayReset: this.dayStart + this.dayMs - now,
      blockedTokens: blocked,
    };
  }

  /** Sets the tokens used today, so a test can start near the end of the budget. */
  setUsed(tokens: number): void {
    this.rollDay(this.now());
    this.used = tokens;
  }

  /** Clears every window, block and the day's usage. */
  reset(): void {
    this.windows.clear();
    this.recent429s.clear();
    this.blockedUntil.clear();
    this.used = 0;
    this.dayStart = this.now();
  }

  private window(token: string, kind: string, limit: number): Window {
    const key = `${kind} ${token}`;
    let window = this.windows.get(key);
    if (window === undefined) {
      window = new Window(limit, this.windowMs);
      this.windows.set(key, window);
    }
    return window;
  }

  private rollDay(now: number): void {
    if (now < this.dayStart + this.dayMs) return;
    const days = Math.floor((now - this.dayStart) / this.dayMs);
    this.dayStart += days * this.dayMs;
    this.used = 0;
  }

  private reject(
    token: string,
    now: number,
    reason: "burst" | "budget",
    headers: Record<string, string>,
  ): Admission {
    const windowMs = this.options.blockWindowMs / this.options.timeScale;
    const times = (this.recent429s.get(token) ?? []).filter((time) => time > now - windowMs);
    times.push(now);
    this.recent429s.set(token, times);

    if (times.length > this.options.blockAfter429s) {
      this.blockedUntil.set(token, now + this.options.blockDurationMs / this.options.timeScale);
      this.recent429s.delete(token);
    }
    return { kind: "over-limit", reason, headers };
  }

  private headers(window: Window, now: number): Record<string, string> {
    const remaining = Math.max(0, window.limit - window.count(now));
    return {
      "x-ratelimit-limit": String(window.limit),
      "x-ratelimit-remaining": String(remaining),
      "x-ratelimit-reset": String(window.resetSeconds(now)),
    };
  }
}
