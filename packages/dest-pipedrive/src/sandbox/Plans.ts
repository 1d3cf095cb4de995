/**
 * The Pipedrive plans the sandbox simulates, with their rate-limit multipliers, burst windows and
 * custom field caps (figures of Pipedrive's token-based rate limiting and usage limits pages, 2025).
 */

/** A Pipedrive plan name. */
export type PlanName = "lite" | "growth" | "premium" | "ultimate";

/** Every plan name, for validating command-line input. */
export const planNames: ReadonlyArray<PlanName> = ["lite", "growth", "premium", "ultimate"];

/** The limits of one plan. */
export interface Plan {
  /** Daily token budget per seat is 30,000 times this multiplier. */
  readonly multiplier: number;
  /** Requests per rolling 2-second window for one API token. */
  readonly burst: number;
  /** Custom fields per company, over deal, person and organization fields together. */
  readonly customFieldCap: number;
}

/** The limits of each plan. */
export const plans: Readonly<Record<PlanName, Plan>> = {
  lite: { multiplier: 1, burst: 20, customFieldCap: 30 },
  growth: { multiplier: 2, burst: 40, customFieldCap: 100 },
  premium: { multiplier: 5, burst: 100, customFieldCap: 300 },
  ultimate: { multiplier: 7, burst: 120, customFieldCap: 500 },
};

/** Tokens per seat per day before the plan multiplier. */
export const tokensPerSeat = 30_000;

/** Requests per rolling 2-second window for search endpoints, on every plan. */
export const searchBurst = 10;

/** Computes the daily token budget of a company. */
export const dailyBudget = (plan: PlanName, seats: number): number =>
  tokensPerSeat * plans[plan].multiplier * seats;
