/**
 * Fault injection: rules that make a share of matching requests fail with a 500, 502 or 503,
 * hang without a response, close the connection after the write was committed (the record
 * exists but the client never receives the response), or respond slowly. A seeded random generator makes the shares
 * reproducible.
 */

/** The kind of a fault. */
export type FaultKind = "status" | "hang" | "drop-after-commit" | "slow";

/** One fault rule. */
export interface FaultRule {
  readonly kind: FaultKind;
  /** Share of matching requests that get the fault, from 0 to 1. Defaults to 1. */
  readonly share?: number;
  /** Maximum number of times the rule fires; unlimited when absent. */
  readonly count?: number;
  /** HTTP status of a `status` fault: 500, 502 or 503. */
  readonly status?: 500 | 502 | 503;
  /** Delay of a `slow` fault, and how long a `hang` keeps the connection open (default 10 minutes). */
  readonly delayMs?: number;
  /** Only requests with this method match. */
  readonly method?: string;
  /** Only requests whose path after the version prefix starts with this, such as `/persons`. */
  readonly path?: string;
}

/** A rule with its firing count, as the control API lists it. */
export interface ActiveFaultRule extends FaultRule {
  readonly fired: number;
}

/** Default time a hang holds a connection before closing it. */
export const defaultHangMs = 600_000;

/** Returns a seeded pseudo-random generator of numbers in [0, 1) (mulberry32). */
export const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
};

/** Checks a rule from the control API and returns it, or throws a message saying what is wrong. */
export const parseFaultRule = (input: unknown, index: number): FaultRule => {
  if (typeof input !== "object" || input === null)
    throw new Error(`rules[${index}] must be an object`);
  const rule = input as Record<string, unknown>;
  const kinds: ReadonlyArray<string> = ["status", "hang", "drop-after-commit", "slow"];
  if (typeof rule.kind !== "string" || !kinds.includes(rule.kind)) {
    throw new Error(`rules[${index}].kind must be one of ${kinds.join(", ")}`);
  }
  if (
    rule.share !== undefined &&
    (typeof rule.share !== "number" || rule.share < 0 || rule.share > 1)
  ) {
    throw new Error(`rules[${index}].share must be a number from 0 to 1`);
  }
  if (rule.kind === "status" && ![500, 502, 503].includes(rule.status as number)) {
    throw new Error(`rules[${index}].status must be 500, 502 or 503`);
  }
  if (rule.count !== undefined && (!Number.isInteger(rule.count) || (rule.count as number) < 1)) {
    throw new Error(`rules[${index}].count must be a positive integer`);
  }
  if (rule.delayMs !== undefined && (typeof rule.delayMs !== "number" || rule.delayMs < 0)) {
    throw new Error(`rules[${index}].delayMs must be a non-negative number`);
  }
  return rule as unknown as FaultRule;
};

/** The fault rules of one sandbox. */
export class Faults {
  private rules: Array<{ rule: FaultRule; fired: number }> = [];

  constructor(private readonly random: () => number) {}

  /** Replaces the rules. */
  set(rules: ReadonlyArray<FaultRule>): void {
    this.rules = rules.map((rule) => ({ rule, fired: 0 }));
  }

  /** Lists the rules with their firing counts. */
  list(): Array<ActiveFaultRule> {
    return this.rules.map(({ rule, fired }) => ({ ...rule, fired }));
  }

  /** Picks the first rule that fires for a request, or undefined. */
  pick(method: string, pathAfterVersion: string): FaultRule | undefined {
    for (const entry of this.rules) {
      const { rule } = entry;
      if (rule.count !== undefined && entry.fired >= rule.count) continue;
      if (rule.method !== undefined && rule.method.toUpperCase() !== method) continue;
      if (rule.path !== undefined && !pathAfterVersion.startsWith(rule.path)) continue;
      if (this.random() >= (rule.share ?? 1)) continue;
      entry.fired++;
      return rule;
    }
    return undefined;
  }
}
