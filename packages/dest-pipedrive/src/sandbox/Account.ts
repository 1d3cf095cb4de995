/**
 * One simulated Pipedrive company: its store, plan and seats, its users with their tokens, and
 * the defaults a new Pipedrive account starts with (an admin, system fields, a pipeline with five
 * stages, three lead labels and the standard activity types).
 */
import { randomBytes } from "node:crypto";
import type { PlanName } from "./Plans.js";
import type { FieldEntity, FieldRecord, Store, UserRecord } from "./Store.js";
import { rfc3339, v1Time } from "./Time.js";

/** A user to create when the sandbox starts or resets. */
export interface SandboxUserSpec {
  readonly name: string;
  readonly email: string;
  readonly isAdmin?: boolean;
  /** Defaults to `isAdmin`. */
  readonly canDeleteLeads?: boolean;
  /** Defaults to a random 40-hex token. */
  readonly token?: string;
  readonly activeFlag?: boolean;
}

/** The company every sandbox simulates. */
export const company = {
  id: 1,
  name: "Ferry Sandbox",
  domain: "ferry-sandbox",
  country: "NL",
} as const;

/** Returns a random 40-character hex string, the form of Pipedrive custom field keys and tokens. */
export const randomHex40 = (): string => randomBytes(20).toString("hex");

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

/** A sandbox company: store, plan, seats, and lookups over the store. */
export class Account {
  private tokenIndex: Map<string, number> | undefined;

  constructor(
    readonly store: Store,
    readonly plan: PlanName,
    readonly seats: number,
  ) {}

  /** Finds the active user that owns an API token. */
  userByToken(token: string): UserRecord | undefined {
    if (this.tokenIndex === undefined) {
      this.tokenIndex = new Map();
      for (const user of this.store.collections.users.values())
        this.tokenIndex.set(user.token, user.id);
    }
    const id = this.tokenIndex.get(token);
    const user = id === undefined ? undefined : this.store.collections.users.get(id);
    return user?.active_flag === true ? user : undefined;
  }

  /** Forgets the token index after users or tokens change. */
  usersChanged(): void {
    this.tokenIndex = undefined;
  }

  /** Lists the fields of an entity that are not deleted, in field order. */
  fields(entity: FieldEntity): Array<FieldRecord> {
    return [...this.store.collections.fields.values()]
      .filter((field) => field.entity === entity && !field.is_deleted)
      .sort((a, b) => a.order_nr - b.order_nr || a.id - b.id);
  }

  /** Lists the custom fields of an entity that are not deleted. */
  customFields(entity: FieldEntity): Array<FieldRecord> {
    return this.fields(entity).filter((field) => field.is_custom_field);
  }

  /** Finds a field of an entity by its code, deleted fields excluded. */
  field(entity: FieldEntity, code: string): FieldRecord | undefined {
    return this.fields(entity).find((field) => field.field_code === code);
  }

  /** Counts the custom fields of the company that count against the plan cap. */
  customFieldCount(): number {
    let count = 0;
    for (const field of this.store.collections.fields.values()) {
      if (field.is_custom_field && !field.is_deleted && field.entity !== "product") count++;
    }
    return count;
  }

  /** Adds a user and returns it. */
  addUser(spec: SandboxUserSpec): UserRecord {
    const now = v1Time();
    const isAdmin = spec.isAdmin ?? false;
    const user: UserRecord = {
      id: this.store.nextId("user"),
      name: spec.name,
      email: spec.email.toLowerCase(),
      active_flag: spec.activeFlag ?? true,
      is_admin: isAdmin,
      can_delete_leads: spec.canDeleteLeads ?? isAdmin,
      token: spec.token ?? randomHex40(),
      created: now,
      modified: now,
      last_login: null,
      timezone_name: "Europe/Amsterdam",
      default_currency: "EUR",
      locale: "en_US",
      role_id: 1,
      access: [{ app: "sales", admin: isAdmin }],
    };
    this.store.collections.users.set(user.id, user);
    this.usersChanged();
    this.store.changed();
    return user;
  }

  /** Fills an empty store with the users and defaults of a new account. */
  seedDefaults(users: ReadonlyArray<SandboxUserSpec>): void {
    for (const spec of users) this.addUser(spec);
    const time = rfc3339();

    for (const [entity, fields] of Object.entries(systemFields) as Array<
      [FieldEntity, ReadonlyArray<SystemField>]
    >) {
      fields.forEach(([code, name, type], index) => {
        const labels = code === "label_ids" ? (defaultLabels[entity] ?? []) : undefined;
        const field: FieldRecord = {
          id: this.store.nextId("field"),
          entity,
          field_code: code,
          field_name: name,
          field_type: type,
          is_custom_field: false,
          description: null,
          options:
            labels?.map(([label, color]) => ({
              id: this.store.nextId("option"),
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
        this.store.collections.fields.set(field.id, field);
      });
    }

    const pipelineId = this.store.nextId("pipelines");
    this.store.collections.pipelines.set(pipelineId, {
      id: pipelineId,
      name: "Pipeline",
      order_nr: 1,
      is_deleted: false,
      is_deal_probability_enabled: false,
      add_time: time,
      update_time: time,
    });
    defaultStages.forEach(([name, probability], index) => {
      const id = this.store.nextId("stages");
      this.store.collections.stages.set(id, {
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
      const id = this.store.nextId("activityType");
      this.store.collections.activityTypes.set(id, {
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
      const id = crypto.randomUUID();
      this.store.collections.leadLabels.set(id, {
        id,
        name,
        color,
        add_time: time,
        update_time: time,
      });
    }

    this.store.changed();
  }
}
