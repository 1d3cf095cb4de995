/**
 * Field definitions. The v2 Fields API (deal, person, organization and product fields; activity
 * fields read-only) creates, lists, renames and deletes fields and adds, relabels and deletes
 * options. Custom field codes are random 40-hex strings and option ids integers. The v1 lists
 * (`/v1/dealFields`, `/v1/leadFields`, ...) return the same fields in the v1 shape; lead fields are
 * the deal fields. Custom fields per company are capped by plan, with a 403 past the cap.
 */
import { randomHex40 } from "../Account.js";
import { ApiError, notFound, validationError } from "../ApiError.js";
import { bodyObject, type HandlerResult, ok, type RequestContext, type Route } from "../Http.js";
import { pageV2, sliceV1, v1Page, v2PageRules } from "../Paging.js";
import { plans } from "../Plans.js";
import type { FieldEntity, FieldOption, FieldRecord } from "../Store.js";
import { rfc3339 } from "../Time.js";
import { check, parseQuery, type Rule } from "../Validation.js";
import { presentV1Field, presentV2Field } from "./FieldShapes.js";

/** Field types that a custom field can be created with. */
export const creatableFieldTypes = [
  "varchar",
  "varchar_auto",
  "text",
  "double",
  "monetary",
  "date",
  "daterange",
  "time",
  "timerange",
  "set",
  "enum",
  "user",
  "org",
  "people",
  "phone",
  "address",
] as const;

/** Most options one enum or set field can have. */
export const maxOptions = 10_000;

const writableEntities: ReadonlyArray<FieldEntity> = ["deal", "person", "organization"];

const requireField = (context: RequestContext, entity: FieldEntity): FieldRecord => {
  const code = context.params.field_code ?? "";
  const field = context.account.field(entity, code);
  if (field === undefined) throw notFound("Field");
  return field;
};

const optionLabelRule: Rule = { type: "string", nonEmpty: true, maxLength: 255 };

const newOption = (context: RequestContext, label: string, color: unknown): FieldOption => {
  const now = rfc3339();
  return {
    id: context.account.store.nextId("option"),
    label,
    color: typeof color === "string" ? color : null,
    add_time: now,
    update_time: now,
  };
};

const checkOptionCount = (field: FieldRecord, adding: number): void => {
  if ((field.options?.length ?? 0) + adding > maxOptions) {
    throw validationError("options", `A field can have at most ${maxOptions} options`);
  }
};

const createField = (context: RequestContext, entity: FieldEntity): HandlerResult => {
  const body = bodyObject(context);
  check(
    {
      type: "object",
      properties: {
        field_name: { type: "string", nonEmpty: true, maxLength: 255 },
        field_type: { type: "string", oneOf: creatableFieldTypes },
        options: {
          type: "array",
          items: {
            type: "object",
            properties: { label: optionLabelRule, color: { type: "string" } },
            required: ["label"],
          },
        },
        description: { type: "string", nullable: true },
        ui_visibility: { type: "object", properties: {}, open: true },
        important_fields: { type: "object", properties: {}, open: true },
        required_fields: { type: "object", properties: {}, open: true },
      },
      required: ["field_name", "field_type"],
    },
    body,
    "",
  );
  const type = body.field_type as string;
  const options = (body.options as Array<{ label: string; color?: string }> | undefined) ?? [];
  const hasOptions = type === "enum" || type === "set";
  if (hasOptions && options.length === 0)
    throw validationError("options", `Options are required for the field type ${type}`);
  if (!hasOptions && body.options !== undefined)
    throw validationError("options", `The field type ${type} takes no options`);
  if (options.length > maxOptions)
    throw validationError("options", `A field can have at most ${maxOptions} options`);

  const account = context.account;
  const cap = plans[account.plan].customFieldCap;
  if (entity !== "product" && account.customFieldCount() >= cap) {
    throw new ApiError(
      403,
      `Custom fields limit reached. The ${account.plan} plan allows ${cap} custom fields.`,
      "Upgrade the plan to add more custom fields.",
      {
        code: "feature_capping_custom_fields_limit",
      },
    );
  }

  const now = rfc3339();
  const field: FieldRecord = {
    id: account.store.nextId("field"),
    entity,
    field_code: randomHex40(),
    field_name: body.field_name as string,
    field_type: type,
    is_custom_field: true,
    description: (body.description as string | null | undefined) ?? null,
    options: hasOptions
      ? options.map((option) => newOption(context, option.label, option.color))
      : null,
    add_time: now,
    update_time: now,
    is_deleted: false,
    order_nr: account.fields(entity).length,
    created_by_user_id: context.user.id,
  };
  account.store.collections.fields.set(field.id, field);
  account.store.changed("fields", field.id);
  return ok(presentV2Field(field));
};

const updateField = (context: RequestContext, entity: FieldEntity): HandlerResult => {
  const field = requireField(context, entity);
  const body = bodyObject(context);
  check(
    {
      type: "object",
      properties: {
        field_name: { type: "string", nonEmpty: true, maxLength: 255 },
        description: { type: "string", nullable: true },
        ui_visibility: { type: "object", properties: {}, open: true },
        important_fields: { type: "object", properties: {}, open: true },
        required_fields: { type: "object", properties: {}, open: true },
      },
    },
    body,
    "",
  );
  if (!field.is_custom_field && body.field_name !== undefined)
    throw validationError("field_name", "System fields cannot be renamed");
  if (typeof body.field_name === "string") field.field_name = body.field_name;
  if (body.description !== undefined) field.description = body.description as string | null;
  field.update_time = rfc3339();
  context.account.store.changed("fields", field.id);
  return ok(presentV2Field(field));
};

const deleteField = (context: RequestContext, entity: FieldEntity): HandlerResult => {
  const field = requireField(context, entity);
  if (!field.is_custom_field)
    throw validationError("field_code", "System fields cannot be deleted");
  field.is_deleted = true;
  field.update_time = rfc3339();
  context.account.store.changed("fields", field.id);
  return ok(presentV2Field(field));
};

const optionsBody = (context: RequestContext, itemRule: Rule): Array<Record<string, unknown>> => {
  const body = context.body;
  check({ type: "array", items: itemRule, minItems: 1 }, body, "");
  return body as Array<Record<string, unknown>>;
};

const requireOptionsField = (context: RequestContext, entity: FieldEntity): FieldRecord => {
  const field = requireField(context, entity);
  if (field.options === null || !field.is_custom_field)
    throw validationError("field_code", `The field ${field.field_code} has no editable options`);
  return field;
};

const addOptions = (context: RequestContext, entity: FieldEntity): HandlerResult => {
  const field = requireOptionsField(context, entity);
  const items = optionsBody(context, {
    type: "object",
    properties: { label: optionLabelRule, color: { type: "string" } },
    required: ["label"],
  });
  checkOptionCount(field, items.length);
  const added = items.map((item) => newOption(context, item.label as string, item.color));
  field.options = [...(field.options ?? []), ...added];
  field.update_time = rfc3339();
  context.account.store.changed("fields", field.id);
  return ok(
    added.map(({ id, label }) => ({ id, label })),
    null,
  );
};

const findOption = (field: FieldRecord, id: number, index: number): FieldOption => {
  const option = field.options?.find((candidate) => candidate.id === id);
  if (option === undefined)
    throw validationError(
      `[${index}].id`,
      `Option id ${id} does not exist for the field "${field.field_name}"`,
    );
  return option;
};

const updateOptions = (context: RequestContext, entity: FieldEntity): HandlerResult => {
  const field = requireOptionsField(context, entity);
  const items = optionsBody(context, {
    type: "object",
    properties: { id: { type: "integer" }, label: optionLabelRule, color: { type: "string" } },
    required: ["id", "label"],
  });
  const options = items.map((item, index) => findOption(field, item.id as number, index));
  const now = rfc3339();
  items.forEach((item, index) => {
    const option = options[index];
    if (option === undefined) return;
    option.label = item.label as string;
    if (typeof item.color === "string") option.color = item.color;
    option.update_time = now;
  });
  context.account.store.changed("fields", field.id);
  return ok(
    options.map(({ id, label }) => ({ id, label })),
    null,
  );
};

const deleteOptions = (context: RequestContext, entity: FieldEntity): HandlerResult => {
  const field = requireOptionsField(context, entity);
  const items = optionsBody(context, {
    type: "object",
    properties: { id: { type: "integer" } },
    required: ["id"],
  });
  const removed = items.map((item, index) => findOption(field, item.id as number, index));
  const ids = new Set(removed.map((option) => option.id));
  field.options = (field.options ?? []).filter((option) => !ids.has(option.id));
  field.update_time = rfc3339();
  context.account.store.changed("fields", field.id);
  return ok(
    removed.map(({ id, label }) => ({ id, label })),
    null,
  );
};

const listV2 = (context: RequestContext, entity: FieldEntity): HandlerResult => {
  const query = parseQuery(context.query, { ...v2PageRules, include_fields: { type: "string" } });
  const page = pageV2(
    context.account.fields(entity).sort((a, b) => a.id - b.id),
    () => true,
    query,
  );
  return ok(page.items.map(presentV2Field), { next_cursor: page.nextCursor });
};

const leadSystemFields = new Set([
  "title",
  "owner_id",
  "person_id",
  "org_id",
  "value",
  "expected_close_date",
  "label_ids",
  "visible_to",
  "add_time",
  "update_time",
]);

const listV1 = (context: RequestContext, entity: FieldEntity | "lead"): HandlerResult => {
  const fields =
    entity === "lead"
      ? context.account
          .fields("deal")
          .filter((field) => field.is_custom_field || leadSystemFields.has(field.field_code))
      : context.account.fields(entity);
  const page = sliceV1(fields.map(presentV1Field), v1Page(context.query));
  return ok(page.data, page.additionalData);
};

const v2FieldRoutes = (entity: FieldEntity): Array<Route> => {
  const base = `/${entity}Fields`;
  return [
    ["v2", "GET", base, (context) => listV2(context, entity)],
    ["v2", "POST", base, (context) => createField(context, entity)],
    [
      "v2",
      "GET",
      `${base}/{field_code}`,
      (context) => ok(presentV2Field(requireField(context, entity))),
    ],
    ["v2", "PATCH", `${base}/{field_code}`, (context) => updateField(context, entity)],
    ["v2", "DELETE", `${base}/{field_code}`, (context) => deleteField(context, entity)],
    ["v2", "POST", `${base}/{field_code}/options`, (context) => addOptions(context, entity)],
    ["v2", "PATCH", `${base}/{field_code}/options`, (context) => updateOptions(context, entity)],
    ["v2", "DELETE", `${base}/{field_code}/options`, (context) => deleteOptions(context, entity)],
  ];
};

/** Routes of the v2 Fields API and the v1 field lists. */
export const fieldRoutes: Array<Route> = [
  ...writableEntities.flatMap(v2FieldRoutes),
  ["v2", "GET", "/activityFields", (context) => listV2(context, "activity")],
  [
    "v2",
    "GET",
    "/activityFields/{field_code}",
    (context) => ok(presentV2Field(requireField(context, "activity"))),
  ],
  ["v1", "GET", "/dealFields", (context) => listV1(context, "deal")],
  ["v1", "GET", "/personFields", (context) => listV1(context, "person")],
  ["v1", "GET", "/organizationFields", (context) => listV1(context, "organization")],
  ["v1", "GET", "/productFields", (context) => listV1(context, "product")],
  ["v1", "GET", "/activityFields", (context) => listV1(context, "activity")],
  ["v1", "GET", "/leadFields", (context) => listV1(context, "lead")],
];
