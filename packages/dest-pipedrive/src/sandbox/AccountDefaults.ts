/**
 * The defaults a new Pipedrive account starts with: an admin and the given users, system fields
 * with default label options, a pipeline with five stages, the standard activity types and three
 * lead labels.
 */
import { randomUUID } from "node:crypto";
import type { Account, SandboxUserSpec } from "./Account.js";
import type { FieldEntity, FieldRecord } from "./Store.js";
import { rfc3339, v1Time } from "./Time.js";

/** A system field of a new account: its code, name and type. */
type SystemField = readonly [code: string, name: string, type: string];

const systemFields: Readonly<Record<FieldEntity, ReadonlyArray<SystemField>>> = {
  deal: [
    ["title", "Title", "varchar"],
    ["owner_id", "Owner", "user"],
    ["person_id", "Contact person", "people"],
    ["org_id", "Organization", "org"],
    ["pipeline_id", "Pipeline", "int"],
    ["stage_id", "Stage", "stage"],
    ["value", "Value", "monetary"],
    ["status", "Status", "status"],
    ["probability", "Probability", "double"],
    ["expected_close_date", "Expected close date", "date"],
    ["lost_reason", "Lost reason", "varchar_options"],
    ["won_time", "Won time", "date"],
    ["lost_time", "Lost time", "date"],
    ["label_ids", "Label", "set"],
    ["visible_to", "Visible to", "visible_to"],
    ["add_time", "Deal created", "date"],
    ["update_time", "Update time", "date"],
  ],
  person: [
    ["name", "Name", "varchar"],
    ["first_name", "First name", "varchar"],
    ["last_name", "Last name", "varchar"],
    ["owner_id", "Owner", "user"],
    ["org_id", "Organization", "org"],
    ["emails", "Email", "varchar"],
    ["phones", "Phone", "phone"],
    ["job_title", "Job title", "varchar"],
    ["label_ids", "Label", "set"],
    ["visible_to", "Visible to", "visible_to"],
    ["add_time", "Person created", "date"],
    ["update_time", "Update time", "date"],
  ],
  organization: [
    ["name", "Name", "varchar"],
    ["owner_id", "Owner", "user"],
    ["address", "Address", "address"],
    ["label_ids", "Label", "set"],
    ["visible_to", "Visible to", "visible_to"],
    ["add_time", "Organization created", "date"],
    ["update_time", "Update time", "date"],
  ],
  product: [
    ["name", "Name", "varchar"],
    ["code", "Product code", "varchar"],
    ["owner_id", "Owner", "user"],
  ],
  activity: [
    ["subject", "Subject", "varchar"],
    ["type", "Type", "varchar_options"],
    ["due_date", "Due date", "date"],
    ["due_time", "Due time", "time"],
    ["duration", "Duration", "time"],
    ["done", "Done", "boolean"],
    ["owner_id", "Assigned to user", "user"],
    ["deal_id", "Deal", "deal"],
    ["person_id", "Contact person", "people"],
    ["org_id", "Organization", "org"],
    ["note", "Note", "text"],
  ],
};

const defaultLabels: Readonly<Record<string, ReadonlyArray<readonly [string, string]>>> = {
  deal: [
    ["Hot", "red"],
    ["Warm", "yellow"],
    ["Cold", "blue"],
  ],
  person: [
    ["Customer", "green"],
    ["Hot lead", "red"],
    ["Warm lead", "yellow"],
    ["Cold lead", "blue"],
  ],
  organization: [
    ["Customer", "green"],
    ["Hot lead", "red"],
    ["Warm lead", "yellow"],
    ["Cold lead", "blue"],
  ],
};

const defaultStages: ReadonlyArray<readonly [string, number]> = [
  ["Qualified", 10],
  ["Contact Made", 20],
  ["Demo Scheduled", 40],
  ["Proposal Made", 60],
  ["Negotiations Started", 80],
];

const defaultActivityTypes: ReadonlyArray<readonly [string, string]> = [
  ["Call", "call"],
  ["Meeting", "meeting"],
  ["Task", "task"],
  ["Deadline", "deadline"],
  ["Email", "email"],
  ["Lunch", "lunch"],
];

const defaultLeadLabels: ReadonlyArray<readonly [string, string]> = [
  ["Hot", "red"],
  ["Warm", "yellow"],
  ["Cold", "blue"],
];

/** Fills the empty store of an account with the users and defaults of a new Pipedrive account. */
export const seedDefaults = (account: Account, users: ReadonlyArray<SandboxUserSpec>): void => {
  const store = account.store;
  for (const spec of users) account.addUser(spec);
  const time = rfc3339();

  for (const [entity, fields] of Object.entries(systemFields) as Array<
    [FieldEntity, ReadonlyArray<SystemField>]
  >) {
    fields.forEach(([code, name, type], index) => {
      const labels = code === "label_ids" ? (defaultLabels[entity] ?? []) : undefined;
      const field: FieldRecord = {
        id: store.nextId("field"),
        entity,
        field_code: code,
        field_name: name,
        field_type: type,
        is_custom_field: false,
        description: null,
        options:
          labels?.map(([label, color]) => ({
            id: store.nextId("option"),
            label,
            color,
            add_time: time,
            update_time: time,
          })) ?? null,
        add_time: time,
        update_time: time,
        is_deleted: false,
        order_nr: index,
        created_by_user_id: null,
      };
      store.collections.fields.set(field.id, field);
    });
  }

  const pipelineId = store.nextId("pipelines");
  store.collections.pipelines.set(pipelineId, {
    id: pipelineId,
    name: "Pipeline",
    order_nr: 1,
    is_deleted: false,
    is_deal_probability_enabled: false,
    add_time: time,
    update_time: time,
  });
  defaultStages.forEach(([name, probability], index) => {
    const id = store.nextId("stages");
    store.collections.stages.set(id, {
      id,
      order_nr: index + 1,
      name,
      is_deleted: false,
      deal_probability: probability,
      pipeline_id: pipelineId,
      is_deal_rot_enabled: false,
      days_to_rotten: null,
      add_time: time,
      update_time: time,
    });
  });

  defaultActivityTypes.forEach(([name, key], index) => {
    const id = store.nextId("activityType");
    store.collections.activityTypes.set(id, {
      id,
      order_nr: index + 1,
      name,
      key_string: key,
      icon_key: key,
      active_flag: true,
      color: null,
      is_custom_flag: false,
      add_time: v1Time(),
      update_time: null,
    });
  });

  for (const [name, color] of defaultLeadLabels) {
    const id = randomUUID();
    store.collections.leadLabels.set(id, {
      id,
      name,
      color,
      add_time: time,
      update_time: time,
    });
  }

  store.changed();
};
