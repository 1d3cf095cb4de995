/**
 * The company's daily token budget: what the day allows, what earlier runs and other apps spent
 * before this client started, and what this client spent since. Pure arithmetic over a clock
 * given by the caller, so the client decides when to stop or wait.
 */

/** A decision about one request's cost. */
export type BudgetDecision =
  | { readonly _tag: "Spend" }
  | { readonly _tag: "Exhausted"; readonly remaining: number; readonly resetsAt: Date };

/**
 * Tracks the spend of one company day.
 *
 * The day resets at midnight UTC. Pipedrive resets at midnight of its server's time zone, which
 * it does not publish, so the reset time in messages is an estimate. A `dayLengthMs` shorter
 * than a day matches a sandbox with a time scale.
 */
export class TokenBudget {
  readonly daily: number;
  readonly #dayLengthMs: number;
  #spentBefore: number;
  #spent = 0;
  #spentToday = 0;
  #dayStart: number;

  constructor(options: {
    readonly daily: number;
    readonly spentBefore: number;
    readonly now: number;
    readonly dayLengthMs?: number;
  }) {
    this.daily = options.daily;
    this.#spentBefore = options.spentBefore;
    this.#dayLengthMs = options.dayLengthMs ?? 86_400_000;
    this.#dayStart = this.#startOfDay(options.now);
  }

  /** Tokens this client spent, across days. */
  get spentByClient(): number {
    return this.#spent;
  }

  /** Tokens left today, by this client's count. */
  remaining(now: number): number {
    this.#roll(now);
    return Math.max(0, this.daily - this.#spentBefore - this.#spentToday);
  }

  /** When the current day's budget resets. */
  resetsAt(now: number): Date {
    this.#roll(now);
    return new Date(this.#dayStart + this.#dayLengthMs);
  }

  /** Decides whether `cost` tokens fit in what is left today. */
  check(cost: number, now: number): BudgetDecision {
    const remaining = this.remaining(now);
    if (cost <= remaining) return { _tag: "Spend" };
    return { _tag: "Exhausted", remaining, resetsAt: this.resetsAt(now) };
  }

  /** Records `cost` tokens as spent. */
  spend(cost: number, now: number): void {
    this.#roll(now);
    this.#spent += cost;
    this.#spentToday += cost;
  }

  /** Marks today's budget as spent, after the API rejected a call for it. */
  markExhausted(now: number): void {
    this.#roll(now);
    this.#spentBefore = Math.max(this.#spentBefore, this.daily - this.#spentToday);
  }

  #startOfDay(now: number): number {
    return Math.floor(now / this.#dayLengthMs) * this.#dayLengthMs;
  }

  #roll(now: number): void {
    const start = this.#startOfDay(now);
    if (start === this.#dayStart) return;
    this.#dayStart = start;
    this.#spentBefore = 0;
    this.#spentToday = 0;
  }
}
