/**
 * The destination kinds each source object may be routed to. The Flash Lead transforms plan a
 * lead or a contact as one unit, because a Pipedrive lead or deal must link to a person or an
 * organization, so those routes are complete or empty. The activity log may keep its notes, its
 * activities or both, and invoices and message threads are kept or left out. An object the
 * transforms do not know can become a person, an organization or both.
 */

/** The destination kinds of one source object's route, and whether a part of them is allowed. */
export interface RouteRule {
  readonly kinds: ReadonlyArray<string>;
  /** Whether any subset of `kinds` is allowed, where `false` allows all of `kinds` or none. */
  readonly subsets: boolean;
}

/** Route rules of the Flash Lead objects. */
export const routeRules: Readonly<Record<string, RouteRule>> = {
  lead: { kinds: ["organization", "person", "lead", "deal"], subsets: false },
  contact: { kinds: ["organization", "person"], subsets: false },
  invoice: { kinds: ["deal"], subsets: false },
  activity: { kinds: ["note", "activity"], subsets: true },
  message_thread: { kinds: ["note"], subsets: false },
  team_member: { kinds: [], subsets: false },
};

/** Route rule of an object the Flash Lead transforms do not read. */
export const genericRouteRule: RouteRule = { kinds: ["organization", "person"], subsets: true };

/** Returns the rule of a source object's route. */
export const routeRuleOf = (from: string): RouteRule => routeRules[from] ?? genericRouteRule;

const list = (kinds: ReadonlyArray<string>): string =>
  kinds.length === 0 ? "[]" : `[${kinds.join(", ")}]`;

/** Describes the values a rule allows, for an error message. */
const allowed = (rule: RouteRule): string => {
  if (rule.kinds.length === 0) return "[]";
  if (rule.subsets) return `any of ${list(rule.kinds)}, or [] to migrate none`;
  return `${list(rule.kinds)} or []`;
};

/**
 * Checks a route against its object's rule and returns the problem, or `undefined` when the
 * route is allowed.
 *
 * @example
 * ```ts
 * routeProblem("lead", ["person"]);
 * // "lead can be routed to [organization, person, lead, deal] or [], not [person]"
 * ```
 */
export const routeProblem = (from: string, to: ReadonlyArray<string>): string | undefined => {
  const rule = routeRuleOf(from);
  const known = to.every((kind) => rule.kinds.includes(kind));
  const complete = rule.kinds.every((kind) => to.includes(kind));
  const fits = known && (rule.subsets || to.length === 0 || complete);
  return fits ? undefined : `${from} can be routed to ${allowed(rule)}, not ${list(to)}`;
};
