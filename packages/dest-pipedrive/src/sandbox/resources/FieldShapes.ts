/**
 * The two shapes of a field definition: the v2 Fields API object (`field_code`, `field_name`,
 * options with colors and times, subfields) and the v1 field list object (numeric `id`, `key`,
 * `edit_flag`, option ids and labels).
 */
import type { FieldRecord } from "../Store.js";
import { v1Time } from "../Time.js";

const subfieldsOf = (field: FieldRecord): Array<Record<string, string>> | null => {
  const code = field.field_code;
  if (field.field_type === "monetary")
    return [
      {
        field_code: `${code}_currency`,
        field_name: `${field.field_name} currency`,
        field_type: "varchar",
      },
    ];
  if (field.field_type === "daterange" || field.field_type === "timerange") {
    return [
      {
        field_code: `${code}_until`,
        field_name: `${field.field_name} until`,
        field_type: field.field_type === "daterange" ? "date" : "time",
      },
    ];
  }
  if (field.field_type === "address") {
    return [
      "route",
      "street_number",
      "locality",
      "country",
      "postal_code",
      "formatted_address",
    ].map((part) => ({
      field_code: `${code}_${part}`,
      field_name: `${field.field_name} ${part.replaceAll("_", " ")}`,
      field_type: "varchar",
    }));
  }
  return null;
};

/** Presents a field in the v2 Fields API shape. */
export const presentV2Field = (field: FieldRecord): Record<string, unknown> => ({
  field_name: field.field_name,
  field_code: field.field_code,
  field_type: field.field_type,
  is_custom_field: field.is_custom_field,
  is_optional_response_field: false,
  description: field.description,
  options: field.options?.map((option) => ({ ...option })) ?? null,
  subfields: subfieldsOf(field),
});

/**
 * v1 names for the v2-only system field types, because the v1 document allows only the 16
 * creatable types plus `visible_to`.
 */
const v1Types: Readonly<Record<string, string>> = {
  int: "double",
  stage: "enum",
  status: "enum",
  varchar_options: "enum",
  boolean: "enum",
  deal: "double",
};

const v1Keys: Readonly<Record<string, string>> = {
  emails: "email",
  phones: "phone",
  label_ids: "label",
};

/** Presents a field in the v1 shape of `/v1/dealFields` and the other v1 lists. */
export const presentV1Field = (field: FieldRecord): Record<string, unknown> => ({
  id: field.id,
  key: field.is_custom_field ? field.field_code : (v1Keys[field.field_code] ?? field.field_code),
  name: field.field_name,
  order_nr: field.order_nr,
  field_type: v1Types[field.field_type] ?? field.field_type,
  add_time: v1Time(field.add_time),
  update_time: v1Time(field.update_time),
  last_updated_by_user_id: field.created_by_user_id,
  created_by_user_id: field.created_by_user_id,
  active_flag: true,
  edit_flag: field.is_custom_field,
  details: field.description ?? "",
  add_visible_flag: true,
  important_flag: false,
  bulk_edit_allowed: true,
  filtering_allowed: true,
  sortable_flag: true,
  searchable_flag:
    field.is_custom_field &&
    ["varchar", "varchar_auto", "text", "double", "monetary", "phone", "address"].includes(
      field.field_type,
    ),
  mandatory_flag: false,
  options: field.options?.map((option) => ({ id: option.id, label: option.label })) ?? null,
  options_deleted: [],
  is_subfield: false,
});
