/**
 * v2 activities. As in Pipedrive's v2 API, the activity's person is the primary one of its
 * `participants`, so sending `person_id` is a 400. The server sets `add_time` and
 * `marked_as_done_time`.
 */
import { validationError } from "../ApiError.js";
import type { RequestContext, Route } from "../Http.js";
import type { EntityRecord } from "../Store.js";
import { rfc3339 } from "../Time.js";
import { type EntitySpec, entityRoutes, requireLive, requireUser } from "./V2Entity.js";

const apply = (
  context: RequestContext,
  record: EntityRecord,
  body: Record<string, unknown>,
): void => {
  const account = context.account;
  if (typeof body.owner_id === "number") requireUser(account, body.owner_id, "owner_id");
  if (typeof body.deal_id === "number")
    requireLive(account, "deals", body.deal_id, "deal_id", "Deal");
  if (typeof body.org_id === "number")
    requireLive(account, "organizations", body.org_id, "org_id", "Organization");
  if (typeof body.lead_id === "string" && !account.store.collections.leads.has(body.lead_id)) {
    throw validationError("lead_id", `Lead with id ${body.lead_id} does not exist`);
  }
  if (typeof body.type === "string") {
    const known = [...account.store.collections.activityTypes.values()].some(
      (type) => type.active_flag && type.key_string === body.type,
    );
    if (!known) throw validationError("type", `Activity type "${body.type}" does not exist`);
  }

  const keys = [
    "subject",
    "type",
    "owner_id",
    "deal_id",
    "lead_id",
    "org_id",
    "project_id",
    "due_date",
    "due_time",
    "duration",
    "busy",
    "location",
    "attendees",
    "public_description",
    "priority",
    "note",
  ] as const;
  for (const key of keys) if (body[key] !== undefined) record[key] = body[key];

  if (Array.isArray(body.participants)) {
    const participants = body.participants as Array<{ person_id: number; primary?: boolean }>;
    for (const [index, participant] of participants.entries()) {
      requireLive(
        account,
        "persons",
        participant.person_id,
        `participants[${index}].person_id`,
        "Person",
      );
    }
    const primary =
      participants.find((participant) => participant.primary === true) ?? participants[0];
    record.participants = participants.map((participant) => ({
      person_id: participant.person_id,
      primary: participant === primary,
    }));
    record.person_id = primary?.person_id ?? null;
  }
  if (typeof body.done === "boolean") {
    if (body.done && record.done !== true) record.marked_as_done_time = rfc3339();
    if (!body.done) record.marked_as_done_time = null;
    record.done = body.done;
  }
  if (record.subject === "" || record.subject === null) {
    const types = [...account.store.collections.activityTypes.values()];
    const type = types.find((candidate) => candidate.key_string === record.type);
    record.subject = type?.name ?? "Activity";
  }
};

/** The activity entity. */
export const activitySpec: EntitySpec = {
  collection: "activities",
  path: "activities",
  label: "Activity",
  properties: {
    subject: { type: "string", maxLength: 255 },
    type: { type: "string" },
    owner_id: { type: "integer" },
    deal_id: { type: "integer", nullable: true },
    lead_id: { type: "string", format: "uuid", nullable: true },
    org_id: { type: "integer", nullable: true },
    project_id: { type: "integer", nullable: true },
    due_date: { type: "string", format: "date", nullable: true },
    due_time: { type: "string", format: "hh:mm", nullable: true },
    duration: { type: "string", format: "hh:mm", nullable: true },
    busy: { type: "boolean" },
    done: { type: "boolean" },
    location: { type: "object", properties: {}, open: true, nullable: true },
    participants: {
      type: "array",
      items: {
        type: "object",
        properties: { person_id: { type: "integer" }, primary: { type: "boolean" } },
        required: ["person_id"],
      },
    },
    attendees: { type: "array", items: { type: "object", properties: {}, open: true } },
    public_description: { type: "string", nullable: true },
    priority: { type: "integer", nullable: true },
    note: { type: "string", nullable: true },
  },
  required: [],
  readOnly: [
    "id",
    "add_time",
    "update_time",
    "marked_as_done_time",
    "creator_user_id",
    "is_deleted",
    "person_id",
  ],
  listRules: {
    owner_id: { type: "integer" },
    deal_id: { type: "integer" },
    lead_id: { type: "string" },
    person_id: { type: "integer" },
    org_id: { type: "integer" },
    done: { type: "boolean" },
    include_fields: { type: "string" },
  },
  sortKeys: ["id", "update_time", "add_time", "due_date"],
  matches: (record, query) => {
    if (record.is_deleted) return false;
    for (const key of ["owner_id", "deal_id", "lead_id", "person_id", "org_id", "done"] as const) {
      if (query[key] !== undefined && record[key] !== query[key]) return false;
    }
    return true;
  },
  create: (context, body, id, now) => {
    const record: EntityRecord = {
      id,
      subject: "",
      type: "task",
      owner_id: context.user.id,
      creator_user_id: context.user.id,
      is_deleted: false,
      add_time: now,
      update_time: now,
      deal_id: null,
      lead_id: null,
      person_id: null,
      org_id: null,
      project_id: null,
      due_date: null,
      due_time: null,
      duration: null,
      busy: false,
      done: false,
      marked_as_done_time: null,
      location: null,
      participants: [],
      attendees: [],
      public_description: null,
      priority: null,
      note: null,
    };
    apply(context, record, body);
    return record;
  },
  update: (context, record, body) => apply(context, record, body),
};

/** Routes of v2 activities. */
export const activityRoutes: Array<Route> = entityRoutes(activitySpec);
