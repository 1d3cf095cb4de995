/**
 * The e-mail address shape that mail systems accept in practice: one `@`, a dotted domain and no
 * spaces. The mapping's e-mail normalizer and the Flash Lead discovery check addresses with it.
 */

// Local part: the atext characters of RFC 5322 and dots. Domain: labels of letters, digits and
// hyphens, with a top-level label of at least two letters.
const emailPattern =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/;

/**
 * Tells whether a value, trimmed and in lower case, is an e-mail address.
 *
 * @example
 * ```ts
 * isEmailAddress(" Ana.Lima@Example.TEST "); // true
 * isEmailAddress("ana@example"); // false
 * ```
 */
export const isEmailAddress = (value: string): boolean =>
  emailPattern.test(value.trim().toLowerCase());
