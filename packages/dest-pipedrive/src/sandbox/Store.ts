/**
 * The in-memory data of one sandbox account: plain Maps keyed by id, id counters, and the set of
 * changes that the state file has not written yet. Records of v2 entities are kept in their v2
 * response shape, and custom field values in the v2 format. The v1 encoders derive the v1 shape
 * from them.
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

/** The id of a record in its collection: a UUID string for leads and lead labels, else a number. */
export type RecordId = number | string;

/** The changes of a store since the state file last took them. */
export interface StoreChanges {
  /** Every collection may have changed, as after a reset, so only a whole snapshot records them. */
  readonly everything: boolean;
  /** Collections that changed as a whole, such as the fields after an option was added. */
  readonly collections: ReadonlyArray<keyof Collections>;
  /** Single records that were created, replaced, changed in place or deleted. */
  readonly records: ReadonlyArray<readonly [keyof Collections, RecordId]>;
}

/**
 * The data of one account. Every mutation calls `changed` with what it touched, and the state
 * file takes those changes before the response is sent.
 */
export class Store {
  collections: Collections = emptyCollections();
  private counters: Record<string, number> = {};
  private everythingChanged = false;
  private changedCollections = new Set<keyof Collections>();
  private changedRecords = new Map<keyof Collections, Set<RecordId>>();

  /**
   * Marks a change: one record of a collection (present, replaced, changed in place or deleted),
   * a whole collection when no id is given, or everything when no collection is given. A caller
   * that changes several records in one operation marks each of them, or their collection.
   */
  changed(collection?: keyof Collections, id?: RecordId): void {
    if (collection === undefined) {
      this.everythingChanged = true;
      return;
    }
    if (id === undefined) {
      this.changedCollections.add(collection);
      return;
    }
    const ids = this.changedRecords.get(collection) ?? new Set<RecordId>();
    ids.add(id);
    this.changedRecords.set(collection, ids);
  }

  /** Returns the changes marked since the last call and clears them, or undefined when none are. */
  takeChanges(): StoreChanges | undefined {
    if (
      !this.everythingChanged &&
      this.changedCollections.size === 0 &&
      this.changedRecords.size === 0
    ) {
      return undefined;
    }
    const records: Array<readonly [keyof Collections, RecordId]> = [];
    for (const [collection, ids] of this.changedRecords) {
      if (this.changedCollections.has(collection)) continue;
      for (const id of ids) records.push([collection, id]);
    }
    const changes: StoreChanges = {
      everything: this.everythingChanged,
      collections: [...this.changedCollections],
      records,
    };
    this.everythingChanged = false;
    this.changedCollections = new Set();
    this.changedRecords = new Map();
    return changes;
  }

  /** Allocates the next integer id of a sequence, starting at 1. */
  nextId(sequence: string): number {
    const next = (this.counters[sequence] ?? 0) + 1;
    this.counters[sequence] = next;
    return next;
  }

  /** Returns a copy of the id counters, by sequence. */
  idCounters(): Record<string, number> {
    return { ...this.counters };
  }

  /** Empties every collection and counter. */
  clear(): void {
    this.collections = emptyCollections();
    this.counters = {};
    this.changed();
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
    for (const name of collectionNames) this.replaceCollection(name, state.collections[name] ?? []);
  }

  /** Replaces one collection with copies of the given records. */
  replaceCollection(name: keyof Collections, records: ReadonlyArray<unknown>): void {
    const target = new Map<unknown, unknown>();
    for (const record of records) {
      const copy = structuredClone(record) as { id: unknown };
      target.set(copy.id, copy);
    }
    (this.collections as unknown as Record<string, Map<unknown, unknown>>)[name] = target;
  }

  /** Stores a record under its id, without copying it, or deletes the id when `record` is null. */
  replaceRecord(name: keyof Collections, id: RecordId, record: unknown): void {
    const target = this.collections[name] as Map<RecordId, unknown>;
    if (record === null) target.delete(id);
    else target.set(id, record);
  }

  /** Sets id counters to the given values and keeps the others. */
  restoreCounters(counters: Readonly<Record<string, number>>): void {
    Object.assign(this.counters, counters);
  }
}
