/**
 * v1 leads: UUID ids, a person or an organization (or both) required, lead label UUIDs, a value
 * as `{ amount, currency }`, and custom fields as root-level deal field keys in the v1 format.
 * Deleting a lead needs the user's "delete leads" permission.
 */
import { randomUUID } from "node:crypto";
import type { Account } from "../Account.js";
import { ApiError, forbidden, notFound, validationError } from "../ApiError.js";
import { encodeV1CustomFields, isV1CustomKey, parseV1CustomFields } from "../CustomFields.js";
import { bodyObject, type HandlerResult, ok, type RequestContext, type Route } from "../Http.js";
import { sliceV1, v1Page } from "../Paging.js";
import type { LeadRecord } from "../Store.js";
import { parseRfc3339, parseV1Time, rfc3339 } from "../Time.js";
import { check, type Rule } from "../Validation.js";

const properties: Readonly<Record<string, Rule>> = {
  title: { type: "string", nonEmpty: true, maxLength: 255 },
  owner_id: { type: "integer" },
  label_ids: { type: "array", items: { type: "string", format: "uuid" } },
  person_id: { type: "integer", nullable: true },
  organization_id: { type: "integer", nullable: true },
  value: {
    type: "object",
    properties: { amount: { type: "number" }, currency: { type: "string", maxLength: 3 } },
    required: ["amount", "currency"],
    nullable: true,
  },
  expected_close_date: { type: "string", format: "date", nullable: true },
  visible_to: { type: "string", oneOf: ["1", "3", "5", "7"] },
  was_seen: { type: "boolean" },
  is_archived: { type: "boolean" },
  origin_id: { type: "string", nullable: true },
  channel: { type: "integer", nullable: true },
  channel_id: { type: "string", nullable: true },
};

const readOnly = [
  "id",
  "add_time",
  "update_time",
  "creator_id",
  "source_name",
  "origin",
  "cc_email",
  "next_activity_id",
  "source_deal_id",
];

/** Presents a lead in its v1 shape with the set custom fields at the root. */
export const presentLead = (account: Account, lead: LeadRecord): Record<string, unknown> => {
  const { custom, ...own } = lead;
  return { ...own, ...encodeV1CustomFields(account, "deal", custom) };
};

const checkBody = (
  context: RequestContext,
  body: Record<string, unknown>,
  isCreate: boolean,
): void => {
  for (const key of readOnly)
    if (key in body) throw validationError(key, "Parameter is read-only and cannot be set");
  const own: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key in properties) own[key] = value;
    else if (!isV1CustomKey(context.account, "deal", key))
      throw validationError(key, "Unknown parameter");
  }
  check({ type: "object", properties, required: isCreate ? ["title"] : [] }, own, "");

  const collections = context.account.store.collections;
  if (
    typeof body.person_id === "number" &&
    collections.persons.get(body.person_id)?.is_deleted !== false
  ) {
    throw validationError("person_id", `Person with id ${body.person_id} does not exist`);
  }
  if (
    typeof body.organization_id === "number" &&
    collections.organizations.get(body.organization_id)?.is_deleted !== false
  ) {
    throw validationError(
      "organization_id",
      `Organization with id ${body.organization_id} does not exist`,
    );
  }
  if (typeof body.owner_id === "number" && !collections.users.has(body.owner_id)) {
    throw validationError("owner_id", `User with id ${body.owner_id} does not exist`);
  }
  for (const id of (body.label_ids as Array<string> | undefined) ?? []) {
    if (!collections.leadLabels.has(id))
      throw validationError("label_ids", `Lead label with id ${id} does not exist`);
  }
};

const apply = (lead: LeadRecord, body: Record<string, unknown>): void => {
  for (const key of Object.keys(properties)) {
    if (body[key] !== undefined) (lead as unknown as Record<string, unknown>)[key] = body[key];
  }
};

const requireLinked = (lead: LeadRecord): void => {
  if (lead.person_id === null && lead.organization_id === null) {
    throw new ApiError(
      400,
      "A lead must be linked to a person or an organization (person_id or organization_id)",
    );
  }
};

const create = (context: RequestContext): HandlerResult => {
  const body = bodyObject(context);
  checkBody(context, body, true);
  const now = rfc3339();
  const lead: LeadRecord = {
    id: randomUUID(),
    title: "",
    owner_id: context.user.id,
    creator_id: context.user.id,
    label_ids: [],
    person_id: null,
    organization_id: null,
    source_name: "API",
    origin: "API",
    origin_id: null,
    channel: null,
    channel_id: null,
    is_archived: false,
    was_seen: false,
    value: null,
    expected_close_date: null,
    next_activity_id: null,
    add_time: now,
    update_time: now,
    visible_to: "3",
    cc_email: `${context.account.store.collections.leads.size + 1}@ferry-sandbox.pipedrivemail.com`,
    custom: parseV1CustomFields(context.account, "deal", body),
  };
  apply(lead, body);
  requireLinked(lead);
  context.account.store.collections.leads.set(lead.id, lead);
  context.account.store.changed("leads", lead.id);
  return ok(presentLead(context.account, lead), undefined, 201);
};

const requireLead = (context: RequestContext): LeadRecord => {
  const lead = context.account.store.collections.leads.get(context.params.id ?? "");
  if (lead === undefined) throw notFound("Lead");
  return lead;
};

const update = (context: RequestContext): HandlerResult => {
  const lead = requireLead(context);
  const body = bodyObject(context);
  checkBody(context, body, false);
  const draft = structuredClone(lead);
  apply(draft, body);
  draft.custom = { ...draft.custom, ...parseV1CustomFields(context.account, "deal", body) };
  requireLinked(draft);
  draft.update_time = rfc3339();
  context.account.store.collections.leads.set(draft.id, draft);
  context.account.store.changed("leads", draft.id);
  return ok(presentLead(context.account, draft));
};

const remove = (context: RequestContext): HandlerResult => {
  const lead = requireLead(context);
  if (!context.user.can_delete_leads)
    throw forbidden("You do not have the permission to delete leads");
  context.account.store.collections.leads.delete(lead.id);
  context.account.store.changed("leads", lead.id);
  return ok({ id: lead.id });
};

const list = (context: RequestContext, archived: boolean): HandlerResult => {
  const query = context.query;
  const page = v1Page(query);
  const numberFilter = (name: string): number | undefined => {
    const raw = query.get(name);
    if (raw === null) return undefined;
    if (!/^\d+$/.test(raw)) throw validationError(name, `Expected an integer, got "${raw}"`);
    return Number(raw);
  };
  const owner = numberFilter("owner_id");
  const person = numberFilter("person_id");
  const organization = numberFilter("organization_id");
  const sinceRaw = query.get("updated_since");
  const since = sinceRaw === null ? undefined : (parseRfc3339(sinceRaw) ?? parseV1Time(sinceRaw));
  if (sinceRaw !== null && since === undefined)
    throw validationError("updated_since", `Expected an RFC 3339 date-time, got "${sinceRaw}"`);

  const leads = [...context.account.store.collections.leads.values()].filter(
    (lead) =>
      lead.is_archived === archived &&
      (owner === undefined || lead.owner_id === owner) &&
      (person === undefined || lead.person_id === person) &&
      (organization === undefined || lead.organization_id === organization) &&
      (since === undefined || Date.parse(lead.update_time) >= since),
  );
  const slice = sliceV1(leads, page);
  return ok(
    slice.data.map((lead) => presentLead(context.account, lead)),
    slice.additionalData,
  );
};

/** Routes of v1 leads. */
export const leadRoutes: Array<Route> = [
  ["v1", "POST", "/leads", create],
  ["v1", "GET", "/leads", (context) => list(context, false)],
  ["v1", "GET", "/leads/archived", (context) => list(context, true)],
  ["v1", "GET", "/leads/{id}", (context) => ok(presentLead(context.account, requireLead(context)))],
  ["v1", "PATCH", "/leads/{id}", update],
  ["v1", "DELETE", "/leads/{id}", remove],
];
