/**
 * v1 lead labels: UUID ids, a name and one of Pipedrive's ten label colors.
 */
import { randomUUID } from "node:crypto";
import { notFound } from "../ApiError.js";
import { bodyObject, type HandlerResult, ok, type RequestContext, type Route } from "../Http.js";
import type { LeadLabelRecord } from "../Store.js";
import { rfc3339 } from "../Time.js";
import { check } from "../Validation.js";

/** The colors a lead label can have. */
export const leadLabelColors = [
  "blue",
  "brown",
  "dark-gray",
  "gray",
  "green",
  "orange",
  "pink",
  "purple",
  "red",
  "yellow",
];

const rule = (isCreate: boolean) =>
  ({
    type: "object",
    properties: {
      name: { type: "string", nonEmpty: true, maxLength: 255 },
      color: { type: "string", oneOf: leadLabelColors },
    },
    required: isCreate ? ["name", "color"] : [],
  }) as const;

const requireLabel = (context: RequestContext): LeadLabelRecord => {
  const label = context.account.store.collections.leadLabels.get(context.params.id ?? "");
  if (label === undefined) throw notFound("Lead label");
  return label;
};

const create = (context: RequestContext): HandlerResult => {
  const body = bodyObject(context);
  check(rule(true), body, "");
  const now = rfc3339();
  const label: LeadLabelRecord = {
    id: randomUUID(),
    name: body.name as string,
    color: body.color as string,
    add_time: now,
    update_time: now,
  };
  context.account.store.collections.leadLabels.set(label.id, label);
  context.account.store.changed("leadLabels", label.id);
  return ok(label);
};

const update = (context: RequestContext): HandlerResult => {
  const label = requireLabel(context);
  const body = bodyObject(context);
  check(rule(false), body, "");
  if (typeof body.name === "string") label.name = body.name;
  if (typeof body.color === "string") label.color = body.color;
  label.update_time = rfc3339();
  context.account.store.changed("leadLabels", label.id);
  return ok(label);
};

/** Routes of v1 lead labels. */
export const leadLabelRoutes: Array<Route> = [
  [
    "v1",
    "GET",
    "/leadLabels",
    (context) => ok([...context.account.store.collections.leadLabels.values()]),
  ],
  ["v1", "POST", "/leadLabels", create],
  ["v1", "PATCH", "/leadLabels/{id}", update],
  [
    "v1",
    "DELETE",
    "/leadLabels/{id}",
    (context) => {
      const label = requireLabel(context);
      const store = context.account.store;
      store.collections.leadLabels.delete(label.id);
      store.changed("leadLabels", label.id);
      for (const lead of store.collections.leads.values()) {
        if (!lead.label_ids.includes(label.id)) continue;
        lead.label_ids = lead.label_ids.filter((id) => id !== label.id);
        store.changed("leads", lead.id);
      }
      return ok({ id: label.id });
    },
  ],
];
