/**
 * One simulated Pipedrive company: its store, plan and seats, and its users with their tokens.
 */
import { randomBytes } from "node:crypto";
import type { PlanName } from "./Plans.js";
import type { FieldEntity, FieldRecord, Store, UserRecord } from "./Store.js";
import { v1Time } from "./Time.js";

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
    this.store.changed("users", user.id);
    return user;
  }
}
