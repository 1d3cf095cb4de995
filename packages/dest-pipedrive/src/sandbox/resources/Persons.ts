/**
 * v2 persons: name, owner, organization, e-mails and phones as `{ value, primary, label }` objects,
 * labels and custom fields.
 */
import type { Route } from "../Http.js";
import type { EntityRecord } from "../Store.js";
import {
  checkLabelIds,
  contactListRule,
  type EntitySpec,
  entityRoutes,
  normalizeContacts,
  requireLive,
  requireUser,
  visibleToRule,
} from "./V2Entity.js";

type Contact = { value: string; primary?: boolean; label?: string };

const splitName = (name: string): { first_name: string; last_name: string | null } => {
  const parts = name.trim().split(/\s+/);
  if (parts.length < 2) return { first_name: name.trim(), last_name: null };
  return { first_name: parts.slice(0, -1).join(" "), last_name: parts[parts.length - 1] ?? null };
};

const apply = (record: EntityRecord, body: Record<string, unknown>): void => {
  for (const key of [
    "owner_id",
    "org_id",
    "visible_to",
    "label_ids",
    "add_time",
    "job_title",
    "birthday",
    "notes",
    "marketing_status",
    "postal_address",
  ] as const) {
    if (body[key] !== undefined) (record as Record<string, unknown>)[key] = body[key];
  }
  if (typeof body.name === "string") {
    record.name = body.name;
    Object.assign(record, splitName(body.name));
  }
  for (const key of ["emails", "phones", "im"] as const) {
    if (body[key] !== undefined) record[key] = normalizeContacts(body[key] as Array<Contact>, key);
  }
};

const checkLinks = (
  context: Parameters<EntitySpec["create"]>[0],
  body: Record<string, unknown>,
): void => {
  if (typeof body.owner_id === "number") requireUser(context.account, body.owner_id, "owner_id");
  if (typeof body.org_id === "number")
    requireLive(context.account, "organizations", body.org_id, "org_id", "Organization");
  if (Array.isArray(body.label_ids))
    checkLabelIds(context.account, "person", body.label_ids as Array<number>);
};

/** The person entity. */
export const personSpec: EntitySpec = {
  collection: "persons",
  path: "persons",
  label: "Person",
  fieldEntity: "person",
  properties: {
    name: { type: "string", nonEmpty: true, maxLength: 255 },
    owner_id: { type: "integer" },
    org_id: { type: "integer", nullable: true },
    add_time: { type: "string", format: "date-time" },
    emails: contactListRule,
    phones: contactListRule,
    im: contactListRule,
    visible_to: visibleToRule,
    label_ids: { type: "array", items: { type: "integer" } },
    marketing_status: {
      type: "string",
      oneOf: ["no_consent", "unsubscribed", "subscribed", "archived"],
    },
    job_title: { type: "string", nullable: true },
    birthday: { type: "string", format: "date", nullable: true },
    notes: { type: "string", nullable: true },
    postal_address: { type: "object", properties: {}, open: true, nullable: true },
  },
  required: ["name"],
  readOnly: ["id", "update_time", "is_deleted", "picture_id", "first_name", "last_name"],
  listRules: {
    owner_id: { type: "integer" },
    org_id: { type: "integer" },
    deal_id: { type: "integer" },
  },
  sortKeys: ["id", "update_time", "add_time"],
  matches: (record, query, account) => {
    if (record.is_deleted) return false;
    if (query.owner_id !== undefined && record.owner_id !== query.owner_id) return false;
    if (query.org_id !== undefined && record.org_id !== query.org_id) return false;
    if (query.deal_id !== undefined)
      return account.store.collections.deals.get(query.deal_id as number)?.person_id === record.id;
    return true;
  },
  create: (context, body, id, now) => {
    checkLinks(context, body);
    const record: EntityRecord = {
      id,
      name: "",
      first_name: "",
      last_name: null,
      owner_id: context.user.id,
      org_id: null,
      add_time: now,
      update_time: now,
      emails: [],
      phones: [],
      is_deleted: false,
      visible_to: 3,
      label_ids: [],
      picture_id: null,
      job_title: null,
      custom_fields: {},
    };
    apply(record, body);
    return record;
  },
  update: (context, record, body) => {
    checkLinks(context, body);
    apply(record, body);
  },
};

/** Routes of v2 persons. */
export const personRoutes: Array<Route> = entityRoutes(personSpec);
