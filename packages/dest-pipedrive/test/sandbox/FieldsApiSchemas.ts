/**
 * JSON schemas of the v2 Fields API responses, which are newer than the OpenAPI documents. They
 * are written from the response models of the official `pipedrive` npm package, version 33.7.0
 * (`GetDealFields200ResponseDataInner`, `AddDealFieldOptions200ResponseDataInner` and their
 * person and organization twins), so the contract test can validate those responses too.
 */
import { Ajv, type ValidateFunction } from "ajv";

const nullableString = { type: ["string", "null"] };

const option = {
  type: "object",
  properties: {
    id: { type: ["integer", "string"] },
    label: { type: "string" },
    color: nullableString,
    add_time: nullableString,
    update_time: nullableString,
  },
};

const subfield = {
  type: "object",
  required: ["field_code", "field_name", "field_type"],
  properties: {
    field_code: { type: "string" },
    field_name: { type: "string" },
    field_type: { type: "string" },
  },
};

const field = {
  type: "object",
  required: [
    "field_name",
    "field_code",
    "field_type",
    "is_custom_field",
    "is_optional_response_field",
  ],
  properties: {
    field_name: { type: "string" },
    field_code: { type: "string" },
    field_type: { type: "string" },
    is_custom_field: { type: "boolean" },
    is_optional_response_field: { type: "boolean" },
    description: nullableString,
    options: { anyOf: [{ type: "null" }, { type: "array", items: option }] },
    subfields: { anyOf: [{ type: "null" }, { type: "array", items: subfield }] },
  },
};

const envelope = (data: object, additionalData: object = { type: ["object", "null"] }) => ({
  type: "object",
  required: ["success", "data"],
  properties: { success: { const: true }, data, additional_data: additionalData },
});

const schemas: ReadonlyArray<readonly [RegExp, object]> = [
  [
    /^v2 GET \/\w+Fields$/,
    envelope(
      { type: "array", items: field },
      { type: "object", properties: { next_cursor: nullableString } },
    ),
  ],
  [/^v2 (GET|POST|PATCH|DELETE) \/\w+Fields(\/\{field_code\})?$/, envelope(field)],
  [
    /^v2 (POST|PATCH|DELETE) \/\w+Fields\/\{field_code\}\/options$/,
    envelope({
      type: "array",
      items: {
        type: "object",
        required: ["id", "label"],
        properties: { id: { type: "integer" }, label: { type: "string" } },
      },
    }),
  ],
];

const ajv = new Ajv({ strict: false });
const compiled: ReadonlyArray<readonly [RegExp, ValidateFunction]> = schemas.map(
  ([pattern, schema]) => [pattern, ajv.compile(schema)],
);

/**
 * Validates a response of a v2 Fields API operation such as `v2 POST /dealFields`. Returns the
 * errors as text, undefined when it is valid, or "no schema" for an operation outside that API.
 */
export const validateFieldsResponse = (operation: string, body: unknown): string | undefined => {
  const found = compiled.find(([pattern]) => pattern.test(operation));
  if (found === undefined) return "no schema";
  const [, validate] = found;
  return validate(body) ? undefined : ajv.errorsText(validate.errors);
};
