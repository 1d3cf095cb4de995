/**
 * v1 users: list, find by name or e-mail, me, get one, add (admins only) and change `active_flag`
 * (admins only, the only field v1 lets an update change). Each user has its own API token.
 */
import { company } from "../Account.js";
import { ApiError, forbidden, notFound, validationError } from "../ApiError.js";
import {
  bodyObject,
  type HandlerResult,
  intParam,
  ok,
  type RequestContext,
  type Route,
} from "../Http.js";
import type { UserRecord } from "../Store.js";
import { v1Time } from "../Time.js";
import { check } from "../Validation.js";

/** Presents a user in its v1 shape, with `is_you` relative to the requesting user. */
export const presentUser = (user: UserRecord, viewer: UserRecord): Record<string, unknown> => ({
  id: user.id,
  name: user.name,
  default_currency: user.default_currency,
  locale: user.locale,
  lang: 1,
  email: user.email,
  phone: null,
  activated: true,
  last_login: user.last_login ?? user.created,
  created: user.created,
  modified: user.modified,
  has_created_company: user.id === 1,
  access: user.access,
  active_flag: user.active_flag,
  timezone_name: user.timezone_name,
  timezone_offset: "+01:00",
  role_id: user.role_id,
  icon_url: null,
  is_you: user.id === viewer.id,
  is_deleted: false,
});

const requireAdmin = (context: RequestContext): void => {
  if (!context.user.is_admin) throw forbidden("Only admins can manage users");
};

const me = (context: RequestContext): HandlerResult =>
  ok({
    ...presentUser(context.user, context.user),
    company_id: company.id,
    company_name: company.name,
    company_domain: company.domain,
    company_country: company.country,
    company_industry: "Software",
    language: { language_code: "en", country_code: "US" },
  });

const find = (context: RequestContext): HandlerResult => {
  const term = context.query.get("term");
  if (term === null || term === "") throw validationError("term", "Parameter is required");
  const byEmail = context.query.get("search_by_email") === "1";
  const needle = term.toLowerCase();
  const users = [...context.account.store.collections.users.values()].filter((user) =>
    byEmail ? user.email.includes(needle) : user.name.toLowerCase().includes(needle),
  );
  return ok(users.length === 0 ? null : users.map((user) => presentUser(user, context.user)));
};

const add = (context: RequestContext): HandlerResult => {
  requireAdmin(context);
  const body = bodyObject(context);
  check(
    {
      type: "object",
      properties: {
        email: { type: "string", nonEmpty: true },
        name: { type: "string" },
        access: {
          type: "array",
          items: {
            type: "object",
            properties: {
              app: { type: "string" },
              admin: { type: "boolean" },
              permission_set_id: { type: "string" },
            },
            required: ["app"],
          },
        },
        active_flag: { type: "boolean" },
      },
      required: ["email"],
    },
    body,
    "",
  );
  const email = (body.email as string).toLowerCase();
  if ([...context.account.store.collections.users.values()].some((user) => user.email === email)) {
    throw new ApiError(400, `A user with the e-mail ${email} already exists`);
  }
  const access = (body.access as UserRecord["access"] | undefined) ?? [{ app: "sales" }];
  const isAdmin = access.some((entry) => entry.admin === true);
  const user = context.account.addUser({
    name: typeof body.name === "string" ? body.name : (email.split("@")[0] ?? email),
    email,
    isAdmin,
    activeFlag: (body.active_flag as boolean | undefined) ?? true,
  });
  user.access = access;
  return ok(presentUser(user, context.user));
};

const update = (context: RequestContext): HandlerResult => {
  requireAdmin(context);
  const user = context.account.store.collections.users.get(intParam(context, "id"));
  if (user === undefined) throw notFound("User");
  const body = bodyObject(context);
  check(
    { type: "object", properties: { active_flag: { type: "boolean" } }, required: ["active_flag"] },
    body,
    "",
  );
  user.active_flag = body.active_flag as boolean;
  user.modified = v1Time();
  context.account.usersChanged();
  context.account.store.changed("users", user.id);
  return ok(presentUser(user, context.user));
};

/** Routes of v1 users. */
export const userRoutes: Array<Route> = [
  [
    "v1",
    "GET",
    "/users",
    (context) =>
      ok(
        [...context.account.store.collections.users.values()].map((user) =>
          presentUser(user, context.user),
        ),
      ),
  ],
  ["v1", "GET", "/users/find", find],
  ["v1", "GET", "/users/me", me],
  [
    "v1",
    "GET",
    "/users/{id}",
    (context) => {
      const user = context.account.store.collections.users.get(intParam(context, "id"));
      if (user === undefined) throw notFound("User");
      return ok(presentUser(user, context.user));
    },
  ],
  ["v1", "POST", "/users", add],
  ["v1", "PUT", "/users/{id}", update],
];
