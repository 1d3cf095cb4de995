/**
 * v1 activity types: the standard ones of a new account and custom ones. A custom type's
 * `key_string` is derived from its name; deleting a type marks it inactive.
 */
import { forbidden, notFound } from "../ApiError.js";
import {
  bodyObject,
  type HandlerResult,
  intParam,
  ok,
  type RequestContext,
  type Route,
} from "../Http.js";
import type { ActivityTypeRecord } from "../Store.js";
import { v1Time } from "../Time.js";
import { check } from "../Validation.js";

const rule = (isCreate: boolean) =>
  ({
    type: "object",
    properties: {
      name: { type: "string", nonEmpty: true },
      icon_key: { type: "string", nonEmpty: true },
      color: { type: "string" },
      order_nr: { type: "integer" },
    },
    required: isCreate ? ["name", "icon_key"] : [],
  }) as const;

const requireType = (context: RequestContext): ActivityTypeRecord => {
  const type = context.account.store.collections.activityTypes.get(intParam(context, "id"));
  if (type === undefined) throw notFound("Activity type");
  return type;
};

const keyOf = (name: string, takenKeys: ReadonlySet<string>): string => {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^_|_$/g, "") || "type";
  let key = base;
  for (let suffix = 2; takenKeys.has(key); suffix++) key = `${base}${suffix}`;
  return key;
};

const create = (context: RequestContext): HandlerResult => {
  if (!context.user.is_admin) throw forbidden("Only admins can add activity types");
  const body = bodyObject(context);
  check(rule(true), body, "");
  const types = context.account.store.collections.activityTypes;
  const takenKeys = new Set([...types.values()].map((type) => type.key_string));
  const id = context.account.store.nextId("activityType");
  const type: ActivityTypeRecord = {
    id,
    order_nr: (body.order_nr as number | undefined) ?? types.size + 1,
    name: body.name as string,
    key_string: keyOf(body.name as string, takenKeys),
    icon_key: body.icon_key as string,
    active_flag: true,
    color: (body.color as string | undefined) ?? null,
    is_custom_flag: true,
    add_time: v1Time(),
    update_time: null,
  };
  types.set(id, type);
  context.account.store.changed("activityTypes", id);
  return ok(type);
};

const update = (context: RequestContext): HandlerResult => {
  const type = requireType(context);
  const body = bodyObject(context);
  check(rule(false), body, "");
  for (const key of ["name", "icon_key", "color", "order_nr"] as const) {
    if (body[key] !== undefined) (type as unknown as Record<string, unknown>)[key] = body[key];
  }
  type.update_time = v1Time();
  context.account.store.changed("activityTypes", type.id);
  return ok(type);
};

/** Routes of v1 activity types. */
export const activityTypeRoutes: Array<Route> = [
  [
    "v1",
    "GET",
    "/activityTypes",
    (context) =>
      ok(
        [...context.account.store.collections.activityTypes.values()].filter(
          (type) => type.active_flag,
        ),
      ),
  ],
  ["v1", "POST", "/activityTypes", create],
  ["v1", "PUT", "/activityTypes/{id}", update],
  [
    "v1",
    "DELETE",
    "/activityTypes/{id}",
    (context) => {
      const type = requireType(context);
      type.active_flag = false;
      type.update_time = v1Time();
      context.account.store.changed("activityTypes", type.id);
      return ok(type);
    },
  ],
];
