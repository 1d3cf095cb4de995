/**
 * The result type every normalizer returns: a typed value, or a failure that names why the raw
 * value could not be typed. Failures are data, so a transform turns them into rejections.
 */

/** A normalized value or the reason a raw value could not be normalized. */
export type Normalized<A> =
  | { readonly ok: true; readonly value: A }
  | { readonly ok: false; readonly reason: string; readonly message: string };

/** Wraps a normalized value. */
export const succeed = <A>(value: A): Normalized<A> => ({ ok: true, value });

/** Builds a normalization failure. */
export const fail = <A = never>(reason: string, message: string): Normalized<A> => ({
  ok: false,
  reason,
  message,
});
