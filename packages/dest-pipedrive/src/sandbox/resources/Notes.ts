/**
 * v1 notes: HTML content attached to a deal, person, organization or lead, with a settable
 * (backdated) `add_time` in `YYYY-MM-DD HH:MM:SS` UTC and pin flags sent as 0 or 1. Lists filter
 * by parent, author, pin flags and `updated_since`, with start/limit paging.
 */
import type { Account } from "../Account.js";
import { forbidden, notFound, validationError } from "../ApiError.js";
import {
  bodyObject,
  type HandlerResult,
  intParam,
  ok,
  type RequestContext,
  type Route,
} from "../Http.js";
import { sliceV1, v1Page } from "../Paging.js";
import type { NoteRecord } from "../Store.js";
import { parseRfc3339, parseV1Time, v1Time } from "../Time.js";

const parents = [
  ["deal_id", "pinned_to_deal_flag"],
  ["person_id", "pinned_to_person_flag"],
  ["org_id", "pinned_to_organization_flag"],
  ["lead_id", "pinned_to_lead_flag"],
  ["project_id", "pinned_to_project_flag"],
] as const;

const knownKeys = new Set(["content", "user_id", "add_time", ...parents.flat()]);

/** Reads a v1 flag sent as 0/1, "0"/"1" or a boolean. */
const flag = (value: unknown, key: string): boolean => {
  if (value === 1 || value === "1" || value === true) return true;
  if (value === 0 || value === "0" || value === false) return false;
  throw validationError(key, `Expected 0 or 1, got ${JSON.stringify(value)}`);
};

/** Reads a v1 integer id sent as a number or a numeric string; null unsets. */
const idValue = (value: unknown, key: string): number | null => {
  if (value === null) return null;
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && /^\d+$/.test(value)) return Number(value);
  throw validationError(key, `Expected an integer id, got ${JSON.stringify(value)}`);
};

/** Presents a note with the names of the records it is attached to. */
export const presentNote = (
  account: Account,
  note: NoteRecord,
  viewerId: number,
): Record<string, unknown> => {
  const collections = account.store.collections;
  const deal = note.deal_id === null ? undefined : collections.deals.get(note.deal_id);
  const person = note.person_id === null ? undefined : collections.persons.get(note.person_id);
  const organization =
    note.org_id === null ? undefined : collections.organizations.get(note.org_id);
  const user = collections.users.get(note.user_id);
  return {
    ...note,
    deal: deal === undefined ? null : { title: deal.title },
    person: person === undefined ? null : { name: person.name },
    organization: organization === undefined ? null : { name: organization.name },
    user:
      user === undefined
        ? null
        : { email: user.email, name: user.name, icon_url: null, is_you: user.id === viewerId },
  };
};

const applyBody = (
  context: RequestContext,
  note: NoteRecord,
  body: Record<string, unknown>,
): void => {
  for (const key of Object.keys(body))
    if (!knownKeys.has(key)) throw validationError(key, "Unknown parameter");
  const collections = context.account.store.collections;

  if (body.content !== undefined) {
    if (typeof body.content !== "string" || body.content.trim() === "")
      throw validationError("content", "Parameter is required");
    note.content = body.content;
  }
  if (body.user_id !== undefined) {
    const userId = idValue(body.user_id, "user_id");
    if (userId === null || !collections.users.has(userId))
      throw validationError("user_id", `User with id ${body.user_id} does not exist`);
    if (userId !== context.user.id && !context.user.is_admin)
      throw forbidden("Only admins can add notes for other users");
    note.user_id = userId;
  }
  if (body.add_time !== undefined) {
    if (typeof body.add_time !== "string" || parseV1Time(body.add_time) === undefined) {
      throw validationError(
        "add_time",
        `Expected YYYY-MM-DD HH:MM:SS, got ${JSON.stringify(body.add_time)}`,
      );
    }
    note.add_time = body.add_time;
  }

  if (body.deal_id !== undefined) note.deal_id = idValue(body.deal_id, "deal_id");
  if (body.person_id !== undefined) note.person_id = idValue(body.person_id, "person_id");
  if (body.org_id !== undefined) note.org_id = idValue(body.org_id, "org_id");
  if (body.project_id !== undefined) note.project_id = idValue(body.project_id, "project_id");
  if (body.lead_id !== undefined) {
    if (body.lead_id !== null && typeof body.lead_id !== "string")
      throw validationError("lead_id", "Expected a lead UUID");
    note.lead_id = body.lead_id as string | null;
  }
  if (note.deal_id !== null && collections.deals.get(note.deal_id)?.is_deleted !== false)
    throw validationError("deal_id", `Deal with id ${note.deal_id} does not exist`);
  if (note.person_id !== null && collections.persons.get(note.person_id)?.is_deleted !== false)
    throw validationError("person_id", `Person with id ${note.person_id} does not exist`);
  if (note.org_id !== null && collections.organizations.get(note.org_id)?.is_deleted !== false)
    throw validationError("org_id", `Organization with id ${note.org_id} does not exist`);
  if (note.lead_id !== null && !collections.leads.has(note.lead_id))
    throw validationError("lead_id", `Lead with id ${note.lead_id} does not exist`);

  for (const [parent, pin] of parents) {
    if (body[pin] === undefined) continue;
    const pinned = flag(body[pin], pin);
    if (pinned && note[parent] === null) throw validationError(pin, `${pin} needs ${parent}`);
    note[pin] = pinned;
  }
  if (parents.every(([parent]) => note[parent] === null)) {
    throw validationError(
      "",
      "One of deal_id, person_id, org_id, lead_id or project_id is required",
    );
  }
};

const create = (context: RequestContext): HandlerResult => {
  const body = bodyObject(context);
  if (body.content === undefined) throw validationError("content", "Parameter is required");
  const now = v1Time();
  const note: NoteRecord = {
    id: 0,
    active_flag: true,
    add_time: now,
    update_time: now,
    content: "",
    deal_id: null,
    lead_id: null,
    person_id: null,
    org_id: null,
    project_id: null,
    user_id: context.user.id,
    last_update_user_id: null,
    pinned_to_deal_flag: false,
    pinned_to_person_flag: false,
    pinned_to_organization_flag: false,
    pinned_to_lead_flag: false,
    pinned_to_project_flag: false,
  };
  applyBody(context, note, body);
  note.id = context.account.store.nextId("note");
  context.account.store.collections.notes.set(note.id, note);
  context.account.store.changed("notes", note.id);
  return ok(presentNote(context.account, note, context.user.id));
};

const requireNote = (context: RequestContext): NoteRecord => {
  const note = context.account.store.collections.notes.get(intParam(context, "id"));
  if (note === undefined) throw notFound("Note");
  return note;
};

const update = (context: RequestContext): HandlerResult => {
  const draft = structuredClone(requireNote(context));
  applyBody(context, draft, bodyObject(context));
  draft.update_time = v1Time();
  draft.last_update_user_id = context.user.id;
  context.account.store.collections.notes.set(draft.id, draft);
  context.account.store.changed("notes", draft.id);
  return ok(presentNote(context.account, draft, context.user.id));
};

const list = (context: RequestContext): HandlerResult => {
  const query = context.query;
  const page = v1Page(query);
  const filters: Array<(note: NoteRecord) => boolean> = [];
  for (const key of ["user_id", "deal_id", "person_id", "org_id", "project_id"] as const) {
    const raw = query.get(key);
    if (raw !== null) {
      const id = idValue(raw, key);
      filters.push((note) => note[key] === id);
    }
  }
  const lead = query.get("lead_id");
  if (lead !== null) filters.push((note) => note.lead_id === lead);
  for (const [, pin] of parents) {
    const raw = query.get(pin);
    if (raw !== null) {
      const pinned = flag(raw, pin);
      filters.push((note) => note[pin] === pinned);
    }
  }
  const sinceRaw = query.get("updated_since");
  if (sinceRaw !== null) {
    const since = parseRfc3339(sinceRaw) ?? parseV1Time(sinceRaw);
    if (since === undefined)
      throw validationError("updated_since", `Expected an RFC 3339 date-time, got "${sinceRaw}"`);
    filters.push((note) => (parseV1Time(note.update_time) ?? 0) >= since);
  }

  const notes = [...context.account.store.collections.notes.values()].filter(
    (note) => note.active_flag && filters.every((keep) => keep(note)),
  );
  const slice = sliceV1(notes, page);
  return ok(
    slice.data.map((note) => presentNote(context.account, note, context.user.id)),
    slice.additionalData,
  );
};

/** Routes of v1 notes. */
export const noteRoutes: Array<Route> = [
  ["v1", "POST", "/notes", create],
  ["v1", "GET", "/notes", list],
  [
    "v1",
    "GET",
    "/notes/{id}",
    (context) => ok(presentNote(context.account, requireNote(context), context.user.id)),
  ],
  ["v1", "PUT", "/notes/{id}", update],
  [
    "v1",
    "DELETE",
    "/notes/{id}",
    (context) => {
      const note = requireNote(context);
      context.account.store.collections.notes.delete(note.id);
      context.account.store.changed("notes", note.id);
      return ok(true);
    },
  ],
];
