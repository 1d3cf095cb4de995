/**
 * The shared machinery of v2 entities (organizations, persons, deals, activities, pipelines,
 * stages): create, get, list with cursor paging and `ids`/`updated_since` filters, PATCH, and soft
 * delete. Each entity file supplies its request rules, how a body becomes a record, and its filters.
 */
import type { Account } from "../Account.js";
import { ApiError, notFound, validationError } from "../ApiError.js";
import { encodeV2CustomFields, parseV2CustomFields } from "../CustomFields.js";
import {
  bodyObject,
  type HandlerResult,
  intParam,
  ok,
  type RequestContext,
  type Route,
} from "../Http.js";
import { pageV2, v2PageRules } from "../Paging.js";
import type { EntityCollection, EntityRecord, FieldEntity } from "../Store.js";
import { parseRfc3339, rfc3339 } from "../Time.js";
import {
  check,
  type ParsedQuery,
  parseIdList,
  parseQuery,
  type QueryRules,
  type Rule,
} from "../Validation.js";

/** What one v2 entity contributes to the shared handlers. */
export interface EntitySpec {
  readonly collection: EntityCollection;
  /** The path segment, such as `persons`. */
  readonly path: string;
  /** Name in messages, such as `Person`. */
  readonly label: string;
  /** Entity whose custom fields `custom_fields` refers to; none for pipelines and stages. */
  readonly fieldEntity?: FieldEntity;
  /** Writable body parameters, without `custom_fields`. */
  readonly properties: Readonly<Record<string, Rule>>;
  readonly required: ReadonlyArray<string>;
  /** Parameters that Pipedrive sets itself; sending one is a 400. */
  readonly readOnly: ReadonlyArray<string>;
  /** Extra list filters, beyond paging, sorting, `ids` and `updated_since`. */
  readonly listRules: QueryRules;
  readonly sortKeys: ReadonlyArray<string>;
  /** Checks a list's extra filters against a record. Without it, lists leave deleted records out. */
  readonly matches?: (record: EntityRecord, query: ParsedQuery, account: Account) => boolean;
  /** Builds a new record's own members from a checked body. */
  readonly create: (
    context: RequestContext,
    body: Record<string, unknown>,
    id: number,
    now: string,
  ) => EntityRecord;
  /** Applies a checked PATCH body to a record. */
  readonly update: (
    context: RequestContext,
    record: EntityRecord,
    body: Record<string, unknown>,
  ) => void;
  /** Runs after a delete, such as deleting a pipeline's stages. */
  readonly afterDelete?: (account: Account, record: EntityRecord) => void;
  /** Checks a delete before it happens. */
  readonly beforeDelete?: (account: Account, record: EntityRecord) => void;
}

/** Finds a live record of a collection, or throws a 400 naming the parameter that referred to it. */
export const requireLive = (
  account: Account,
  collection: EntityCollection,
  id: number,
  parameter: string,
  label: string,
): EntityRecord => {
  const record = account.store.collections[collection].get(id);
  if (record === undefined || record.is_deleted)
    throw validationError(parameter, `${label} with id ${id} does not exist`);
  return record;
};

/** Checks that a user id exists, as `owner_id` requires. */
export const requireUser = (account: Account, id: number, parameter: string): void => {
  if (!account.store.collections.users.has(id))
    throw validationError(parameter, `User with id ${id} does not exist`);
};

/** Checks `label_ids` against the options of an entity's label field. */
export const checkLabelIds = (
  account: Account,
  entity: FieldEntity,
  ids: ReadonlyArray<number>,
): void => {
  const known = new Set(
    (account.field(entity, "label_ids")?.options ?? []).map((option) => option.id),
  );
  for (const id of ids)
    if (!known.has(id)) throw validationError("label_ids", `Label with id ${id} does not exist`);
};

/** Presents a stored record in its v2 response shape. */
export const presentV2 = (
  account: Account,
  spec: EntitySpec,
  record: EntityRecord,
  only?: ReadonlySet<string>,
): Record<string, unknown> => {
  if (spec.fieldEntity === undefined || !("custom_fields" in record)) return { ...record };
  let custom = encodeV2CustomFields(
    account,
    spec.fieldEntity,
    record.custom_fields as Record<string, unknown>,
  );
  if (only !== undefined)
    custom = Object.fromEntries(Object.entries(custom).filter(([key]) => only.has(key)));
  return { ...record, custom_fields: custom };
};

const checkBody = (spec: EntitySpec, body: Record<string, unknown>, isCreate: boolean): void => {
  for (const key of spec.readOnly) {
    if (key in body) throw validationError(key, "Parameter is read-only and cannot be set");
  }
  const properties: Record<string, Rule> = { ...spec.properties };
  if (spec.fieldEntity !== undefined) properties.custom_fields = { type: "any" };
  check({ type: "object", properties, required: isCreate ? spec.required : [] }, body, "");
};

const getRecord = (context: RequestContext, spec: EntitySpec): EntityRecord => {
  const id = intParam(context, "id");
  const record = context.account.store.collections[spec.collection].get(id);
  if (record === undefined || record.is_deleted) throw notFound(spec.label);
  return record;
};

const listRules = (spec: EntitySpec): QueryRules => ({
  ...v2PageRules,
  ids: { type: "string" },
  updated_since: { type: "string", format: "date-time" },
  updated_until: { type: "string", format: "date-time" },
  sort_by: { type: "string", oneOf: spec.sortKeys },
  sort_direction: { type: "string", oneOf: ["asc", "desc"] },
  ...(spec.fieldEntity === undefined
    ? {}
    : { custom_fields: { type: "string" }, include_fields: { type: "string" } }),
  filter_id: { type: "integer" },
  ...spec.listRules,
});

const list = (context: RequestContext, spec: EntitySpec): HandlerResult => {
  const query = parseQuery(context.query, listRules(spec));
  if (query.filter_id !== undefined)
    throw new ApiError(404, `Filter with id ${query.filter_id} not found`);

  const ids =
    typeof query.ids === "string" ? new Set(parseIdList(query.ids, "ids", 100)) : undefined;
  const since =
    typeof query.updated_since === "string" ? parseRfc3339(query.updated_since) : undefined;
  const until =
    typeof query.updated_until === "string" ? parseRfc3339(query.updated_until) : undefined;
  const onlyCustom =
    typeof query.custom_fields === "string"
      ? new Set(query.custom_fields.split(",").map((key) => key.trim()))
      : undefined;
  if (onlyCustom !== undefined && onlyCustom.size > 15)
    throw validationError("custom_fields", "At most 15 custom field keys are allowed");

  const keep = (record: EntityRecord): boolean => {
    if (ids !== undefined && !ids.has(record.id)) return false;
    const matches =
      spec.matches === undefined
        ? !record.is_deleted
        : spec.matches(record, query, context.account);
    if (!matches) return false;
    const updated = Date.parse(record.update_time);
    if (since !== undefined && updated < since) return false;
    if (until !== undefined && updated >= until) return false;
    return true;
  };

  const page = pageV2(context.account.store.collections[spec.collection].values(), keep, query, {
    sortBy: typeof query.sort_by === "string" ? query.sort_by : "id",
    direction: query.sort_direction === "desc" ? "desc" : "asc",
  });
  const data = page.items.map((record) => presentV2(context.account, spec, record, onlyCustom));
  return ok(data, { next_cursor: page.nextCursor });
};

const create = (context: RequestContext, spec: EntitySpec): HandlerResult => {
  const body = bodyObject(context);
  checkBody(spec, body, true);
  const custom =
    spec.fieldEntity === undefined
      ? undefined
      : parseV2CustomFields(context.account, spec.fieldEntity, body.custom_fields ?? {});

  const store = context.account.store;
  const record = spec.create(context, body, store.nextId(spec.collection), rfc3339());
  if (custom !== undefined) record.custom_fields = custom;
  store.collections[spec.collection].set(record.id, record);
  store.changed(spec.collection, record.id);
  return ok(presentV2(context.account, spec, record));
};

const update = (context: RequestContext, spec: EntitySpec): HandlerResult => {
  const record = getRecord(context, spec);
  const body = bodyObject(context);
  checkBody(spec, body, false);
  const custom =
    spec.fieldEntity === undefined || body.custom_fields === undefined
      ? undefined
      : parseV2CustomFields(context.account, spec.fieldEntity, body.custom_fields);

  const draft = structuredClone(record);
  spec.update(context, draft, body);
  if (custom !== undefined) draft.custom_fields = { ...(draft.custom_fields as object), ...custom };
  draft.update_time = rfc3339();
  context.account.store.collections[spec.collection].set(draft.id, draft);
  context.account.store.changed(spec.collection, draft.id);
  return ok(presentV2(context.account, spec, draft));
};

const remove = (context: RequestContext, spec: EntitySpec): HandlerResult => {
  const record = getRecord(context, spec);
  spec.beforeDelete?.(context.account, record);
  record.is_deleted = true;
  record.update_time = rfc3339();
  spec.afterDelete?.(context.account, record);
  context.account.store.changed(spec.collection, record.id);
  return ok({ id: record.id });
};

/** Builds the five routes of a v2 entity. */
export const entityRoutes = (spec: EntitySpec): Array<Route> => [
  ["v2", "POST", `/${spec.path}`, (context) => create(context, spec)],
  ["v2", "GET", `/${spec.path}`, (context) => list(context, spec)],
  [
    "v2",
    "GET",
    `/${spec.path}/{id}`,
    (context) => {
      parseQuery(
        context.query,
        spec.fieldEntity === undefined
          ? {}
          : { include_fields: { type: "string" }, custom_fields: { type: "string" } },
      );
      return ok(presentV2(context.account, spec, getRecord(context, spec)));
    },
  ],
  ["v2", "PATCH", `/${spec.path}/{id}`, (context) => update(context, spec)],
  ["v2", "DELETE", `/${spec.path}/{id}`, (context) => remove(context, spec)],
];

/** Rules for `visible_to`, an integer visibility group in v2. */
export const visibleToRule: Rule = { type: "integer", oneOf: [1, 3, 5, 7] };

/** Rules for emails, phones and ims in v2: objects with a value, never plain strings. */
export const contactListRule: Rule = {
  type: "array",
  items: {
    type: "object",
    properties: {
      value: { type: "string" },
      primary: { type: "boolean" },
      label: { type: "string" },
    },
    required: ["value"],
  },
};

/** Normalizes a v2 contact list: label defaults to `work`, and the first becomes primary if none is. */
export const normalizeContacts = (
  items: ReadonlyArray<{ value: string; primary?: boolean; label?: string }>,
  parameter: string,
): Array<{ value: string; primary: boolean; label: string }> => {
  const primaries = items.filter((item) => item.primary === true).length;
  if (primaries > 1) throw validationError(parameter, "Only one item can be primary");
  return items.map((item, index) => ({
    value: item.value,
    primary: primaries === 0 ? index === 0 : item.primary === true,
    label: item.label ?? "work",
  }));
};
