/**
 * The in-memory data of one sandbox account: plain Maps keyed by id, id counters, and a change
 * hook that the state file uses. Records of v2 entities are kept in their v2 response shape, and
 * custom field values in the v2 format. The v1 encoders derive the v1 shape from them.
 */

/** Custom field values by field key, in the v2 format (numbers for options, arrays for sets). */
export type CustomValues = Record<string, unknown>;

/** The entities that have fields. Leads use the deal fields. */
export type FieldEntity = "deal" | "person" | "organization" | "product" | "activity";

/** A Pipedrive user of the account. */
export interface UserRecord {
  id: number;
  name: string;
  email: string;
  active_flag: boolean;
  is_admin: boolean;
  /** The "delete leads" permission. Without it, DELETE /v1/leads returns 403. */
  can_delete_leads: boolean;
  /** The user's personal API token. */
  token: string;
  created: string;
  modified: string;
  last_login: string | null;
  timezone_name: string;
  default_currency: string;
  locale: string;
  role_id: number;
  access: Array<{ app: string; admin?: boolean; permission_set_id?: string }>;
}

/** One option of an enum or set field. */
export interface FieldOption {
  id: number;
  label: string;
  color: string | null;
  add_time: string;
  update_time: string;
}

/** A field definition, system or custom. */
export interface FieldRecord {
  /** Numeric id of the v1 Fields API. */
  id: number;
  entity: FieldEntity;
  field_code: string;
  field_name: string;
  field_type: string;
  is_custom_field: boolean;
  description: string | null;
  options: Array<FieldOption> | null;
  add_time: string;
  update_time: string;
  is_deleted: boolean;
  order_nr: number;
  created_by_user_id: number | null;
}

/** A record of a v2 entity (organization, person, deal, activity, pipeline, stage). */
export interface EntityRecord {
  id: number;
  is_deleted: boolean;
  add_time: string;
  update_time: string;
  [key: string]: unknown;
}

/** A v1 lead; its custom values use the deal fields. */
export interface LeadRecord {
  id: string;
  title: string;
  owner_id: number;
  creator_id: number;
  label_ids: Array<string>;
  person_id: number | null;
  organization_id: number | null;
  source_name: string;
  origin: string;
  origin_id: string | null;
  channel: number | null;
  channel_id: string | null;
  is_archived: boolean;
  was_seen: boolean;
  value: { amount: number; currency: string } | null;
  expected_close_date: string | null;
  next_activity_id: number | null;
  add_time: string;
  update_time: string;
  visible_to: string;
  cc_email: string;
  custom: CustomValues;
}

/** A v1 lead label. */
export interface LeadLabelRecord {
  id: string;
  name: string;
  color: string;
  add_time: string;
  update_time: string;
}

/** A v1 note. */
export interface NoteRecord {
  id: number;
  active_flag: boolean;
  add_time: string;
  update_time: string;
  content: string;
  deal_id: number | null;
  lead_id: string | null;
  person_id: number | null;
  org_id: number | null;
  project_id: number | null;
  user_id: number;
  last_update_user_id: number | null;
  pinned_to_deal_flag: boolean;
  pinned_to_person_flag: boolean;
  pinned_to_organization_flag: boolean;
  pinned_to_lead_flag: boolean;
  pinned_to_project_flag: boolean;
}

/** A v1 activity type. */
export interface ActivityTypeRecord {
  id: number;
  order_nr: number;
  name: string;
  key_string: string;
  icon_key: string;
  active_flag: boolean;
  color: string | null;
  is_custom_flag: boolean;
  add_time: string;
  update_time: string | null;
}

/** A v1 file; the bytes are kept base64-encoded so the state file can hold them. */
export interface FileRecord {
  id: number;
  user_id: number;
  deal_id: number | null;
  person_id: number | null;
  org_id: number | null;
  product_id: number | null;
  activity_id: number | null;
  lead_id: string | null;
  add_time: string;
  update_time: string;
  file_name: string;
  file_type: string;
  file_size: number;
  active_flag: boolean;
  inline_flag: boolean;
  name: string;
  description: string | null;
  content_base64: string;
}

/** The collections of numeric-id entities of the v2 API. */
export type EntityCollection =
  | "organizations"
  | "persons"
  | "deals"
  | "activities"
  | "pipelines"
  | "stages";

/** Every collection of a store, by name. */
export interface Collections {
  users: Map<number, UserRecord>;
  fields: Map<number, FieldRecord>;
  organizations: Map<number, EntityRecord>;
  persons: Map<number, EntityRecord>;
  deals: Map<number, EntityRecord>;
  activities: Map<number, EntityRecord>;
  pipelines: Map<number, EntityRecord>;
  stages: Map<number, EntityRecord>;
  leads: Map<string, LeadRecord>;
  leadLabels: Map<string, LeadLabelRecord>;
  notes: Map<number, NoteRecord>;
  activityTypes: Map<number, ActivityTypeRecord>;
  files: Map<number, FileRecord>;
}

/** The names of every collection, in the order snapshots list them. */
export const collectionNames = [
  "users",
  "fields",
  "organizations",
  "persons",
  "deals",
  "activities",
  "pipelines",
  "stages",
  "leads",
  "leadLabels",
  "notes",
  "activityTypes",
  "files",
] as const satisfies ReadonlyArray<keyof Collections>;

/** A store as plain JSON: every collection as an array of records, and the id counters. */
export interface SerializedState {
  readonly version: 1;
  readonly counters: Record<string, number>;
  readonly collections: { readonly [K in keyof Collections]: ReadonlyArray<unknown> };
}

const emptyCollections = (): Collections => ({
  users: new Map(),
  fields: new Map(),
  organizations: new Map(),
  persons: new Map(),
  deals: new Map(),
  activities: new Map(),
  pipelines: new Map(),
  stages: new Map(),
  leads: new Map(),
  leadLabels: new Map(),
  notes: new Map(),
  activityTypes: new Map(),
  files: new Map(),
});

/** The data of one account. Every mutation calls `changed()`, which notifies the listener. */
export class Store {
  collections: Collections = emptyCollections();
  private counters: Record<string, number> = {};
  private listener: () => void = () => {};

  /** Sets the function called after every change, such as the state file's debounced write. */
  onChange(listener: () => void): void {
    this.listener = listener;
  }

  /** Marks the store as changed. */
  changed(): void {
    this.listener();
  }

  /** Allocates the next integer id of a sequence, starting at 1. */
  nextId(sequence: string): number {
    const next = (this.counters[sequence] ?? 0) + 1;
    this.counters[sequence] = next;
    return next;
  }

  /** Empties every collection and counter. */
  clear(): void {
    this.collections = emptyCollections();
    this.counters = {};
  }

  /**
   * Returns the whole store as plain JSON. The arrays hold the live records, so callers that keep
   * the result past the next change must copy it (the state file serializes it at once).
   */
  serialize(): SerializedState {
    const collections = {} as Record<keyof Collections, ReadonlyArray<unknown>>;
    for (const name of collectionNames) collections[name] = [...this.collections[name].values()];
    return { version: 1, counters: { ...this.counters }, collections };
  }

  /** Replaces the store's content with a serialized state. */
  load(state: SerializedState): void {
    this.clear();
    this.counters = { ...state.counters };
    for (const name of collectionNames) {
      const target = this.collections[name] as Map<unknown, { id: unknown }>;
      for (const record of state.collections[name] ?? []) {
        const copy = structuredClone(record) as { id: unknown };
        target.set(copy.id, copy);
      }
    }
  }
}
