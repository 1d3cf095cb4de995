/**
 * Exponential backoff with jitter for retried calls: the n-th retry waits a random time
 * between half and all of `base × 2^n`, capped, and never less than what the API asked for.
 */

/** Backoff settings in milliseconds. */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly capMs: number;
}

/**
 * Returns the wait before retry number `retry` (0 for the first retry).
 *
 * @param random a number in [0, 1), `Math.random()` by default
 */
export const backoffDelay = (
  policy: BackoffPolicy,
  retry: number,
  requestedMs = 0,
  random: number = Math.random(),
): number => {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** retry);
  const jittered = ceiling / 2 + (ceiling / 2) * random;
  return Math.max(requestedMs, Math.round(jittered));
};
