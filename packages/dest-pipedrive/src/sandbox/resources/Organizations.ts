/**
 * v2 organizations: name, owner, visibility, labels, address and custom fields.
 */
import type { Route } from "../Http.js";
import type { EntityRecord } from "../Store.js";
import type { Rule } from "../Validation.js";
import {
  checkLabelIds,
  type EntitySpec,
  entityRoutes,
  requireUser,
  visibleToRule,
} from "./V2Entity.js";

const addressRule: Rule = {
  type: "object",
  properties: Object.fromEntries(
    [
      "value",
      "country",
      "admin_area_level_1",
      "admin_area_level_2",
      "locality",
      "sublocality",
      "route",
      "street_number",
      "subpremise",
      "postal_code",
      "formatted_address",
    ].map((key) => [key, { type: "string", nullable: true }]),
  ),
  nullable: true,
};

const apply = (record: EntityRecord, body: Record<string, unknown>): void => {
  for (const key of ["name", "owner_id", "visible_to", "label_ids", "add_time"] as const) {
    if (body[key] !== undefined) (record as Record<string, unknown>)[key] = body[key];
  }
  if (body.address !== undefined) {
    const address = body.address as Record<string, unknown> | null;
    record.address = address === null ? null : { ...emptyAddress(), ...address };
  }
};

const emptyAddress = (): Record<string, unknown> => ({
  value: null,
  country: null,
  admin_area_level_1: null,
  admin_area_level_2: null,
  locality: null,
  sublocality: null,
  route: null,
  street_number: null,
  postal_code: null,
});

/** The organization entity. */
export const organizationSpec: EntitySpec = {
  collection: "organizations",
  path: "organizations",
  label: "Organization",
  fieldEntity: "organization",
  properties: {
    name: { type: "string", nonEmpty: true, maxLength: 255 },
    owner_id: { type: "integer" },
    add_time: { type: "string", format: "date-time" },
    visible_to: visibleToRule,
    label_ids: { type: "array", items: { type: "integer" } },
    address: addressRule,
  },
  required: ["name"],
  readOnly: ["id", "update_time", "is_deleted"],
  listRules: { owner_id: { type: "integer" } },
  sortKeys: ["id", "update_time", "add_time"],
  matches: (record, query) =>
    !record.is_deleted && (query.owner_id === undefined || record.owner_id === query.owner_id),
  create: (context, body, id, now) => {
    if (typeof body.owner_id === "number") requireUser(context.account, body.owner_id, "owner_id");
    if (Array.isArray(body.label_ids))
      checkLabelIds(context.account, "organization", body.label_ids as Array<number>);
    const record: EntityRecord = {
      id,
      name: "",
      owner_id: context.user.id,
      add_time: now,
      update_time: now,
      is_deleted: false,
      visible_to: 3,
      address: null,
      label_ids: [],
      custom_fields: {},
    };
    apply(record, body);
    return record;
  },
  update: (context, record, body) => {
    if (typeof body.owner_id === "number") requireUser(context.account, body.owner_id, "owner_id");
    if (Array.isArray(body.label_ids))
      checkLabelIds(context.account, "organization", body.label_ids as Array<number>);
    apply(record, body);
  },
};

/** Routes of v2 organizations. */
export const organizationRoutes: Array<Route> = entityRoutes(organizationSpec);
