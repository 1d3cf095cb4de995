/**
 * The sandbox's control API, which is not part of Pipedrive: reset, seed pre-existing records,
 * snapshot and compare state, read metrics and rate-limit counters, set fault rules and user
 * permissions. The same operations are methods of `SandboxControl` and HTTP endpoints under
 * `/__sandbox/`. The endpoints need the admin token of the sandbox's start in the `x-api-token`
 * header, because a snapshot and the user list contain every user's API token. They cost nothing.
 */
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Account, SandboxUserSpec } from "./Account.js";
import { ApiError } from "./ApiError.js";
import { type ActiveFaultRule, type FaultRule, parseFaultRule } from "./Faults.js";
import { type Handler, parseJson, type RequestContext, sendJson } from "./Http.js";
import type { MetricsReport } from "./Metrics.js";
import type { RateLimiterState } from "./RateLimiter.js";
import { findHandler } from "./Router.js";
import { type Collections, collectionNames, type SerializedState } from "./Store.js";

/** Records to seed, as request bodies of the operation that creates each kind. */
export interface SeedData {
  readonly users?: ReadonlyArray<SandboxUserSpec>;
  readonly pipelines?: ReadonlyArray<Record<string, unknown>>;
  readonly stages?: ReadonlyArray<Record<string, unknown>>;
  readonly dealFields?: ReadonlyArray<Record<string, unknown>>;
  readonly personFields?: ReadonlyArray<Record<string, unknown>>;
  readonly organizationFields?: ReadonlyArray<Record<string, unknown>>;
  readonly leadLabels?: ReadonlyArray<Record<string, unknown>>;
  readonly organizations?: ReadonlyArray<Record<string, unknown>>;
  readonly persons?: ReadonlyArray<Record<string, unknown>>;
  readonly deals?: ReadonlyArray<Record<string, unknown>>;
  readonly leads?: ReadonlyArray<Record<string, unknown>>;
  readonly activities?: ReadonlyArray<Record<string, unknown>>;
  readonly notes?: ReadonlyArray<Record<string, unknown>>;
}

/** The operation each seed kind runs, in dependency order. */
const seedOperations: ReadonlyArray<readonly [keyof SeedData, "v1" | "v2", string]> = [
  ["pipelines", "v2", "/pipelines"],
  ["stages", "v2", "/stages"],
  ["dealFields", "v2", "/dealFields"],
  ["personFields", "v2", "/personFields"],
  ["organizationFields", "v2", "/organizationFields"],
  ["leadLabels", "v1", "/leadLabels"],
  ["organizations", "v2", "/organizations"],
  ["persons", "v2", "/persons"],
  ["deals", "v2", "/deals"],
  ["leads", "v1", "/leads"],
  ["activities", "v2", "/activities"],
  ["notes", "v1", "/notes"],
];

/**
 * Record ids added, removed and changed in each collection between two snapshots. The lists
 * count live records only: see `compareStates` for soft-deleted ones.
 */
export type StateDiff = Record<
  keyof Collections,
  {
    readonly added: Array<string | number>;
    readonly removed: Array<string | number>;
    readonly changed: Array<string | number>;
  }
>;

/**
 * Collections whose delete clears `active_flag` and keeps the record, as the v1 API does for
 * files and activity types. Users are left out because `active_flag: false` deactivates a user,
 * which is not a delete.
 */
const deletedByActiveFlag: ReadonlySet<keyof Collections> = new Set(["activityTypes", "files"]);

/** One record of a snapshot: its JSON text, and whether a soft delete marked it. */
interface IndexedRecord {
  readonly text: string;
  readonly isDeleted: boolean;
}

/**
 * Indexes one collection of a snapshot by record id. The v2 entities (organizations, persons,
 * deals, activities, pipelines, stages) and the fields mark a deleted record `is_deleted: true`.
 */
const indexCollection = (
  state: SerializedState,
  name: keyof Collections,
): Map<string | number, IndexedRecord> => {
  const index = new Map<string | number, IndexedRecord>();
  for (const record of state.collections[name] ?? []) {
    const fields = record as { id: string | number; is_deleted?: unknown; active_flag?: unknown };
    const isDeleted =
      fields.is_deleted === true || (deletedByActiveFlag.has(name) && fields.active_flag === false);
    index.set(fields.id, { text: JSON.stringify(record), isDeleted });
  }
  return index;
};

const isLive = (record: IndexedRecord | undefined): record is IndexedRecord =>
  record !== undefined && !record.isDeleted;

/**
 * Compares two snapshots by the live records of each collection, the ones present and not
 * soft-deleted. `added` lists the records live only in `after`, including a deleted record
 * that was restored. `removed` lists the records live only in `before`, whether deleted
 * permanently or soft-deleted. `changed` lists the records live in both whose JSON differs. A
 * record created and deleted between the snapshots is in no list, nor is a change to a record
 * deleted in both.
 */
export const compareStates = (before: SerializedState, after: SerializedState): StateDiff => {
  const diff = {} as StateDiff;
  for (const name of collectionNames) {
    const left = indexCollection(before, name);
    const right = indexCollection(after, name);
    const added: Array<string | number> = [];
    const changed: Array<string | number> = [];
    for (const [id, record] of right) {
      if (!isLive(record)) continue;
      const earlier = left.get(id);
      if (!isLive(earlier)) added.push(id);
      else if (earlier.text !== record.text) changed.push(id);
    }
    const removed = [...left].filter(([id, record]) => isLive(record) && !isLive(right.get(id)));
    diff[name] = { added, removed: removed.map(([id]) => id), changed };
  }
  return diff;
};

/** A user with its token, as the control API lists it. */
export interface SandboxUserInfo {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly token: string;
  readonly isAdmin: boolean;
  readonly canDeleteLeads: boolean;
  readonly activeFlag: boolean;
}

/** The parts of the running sandbox that the control uses. */
export interface ControlParts {
  readonly account: () => Account;
  readonly reset: () => void;
  readonly metrics: () => MetricsReport;
  readonly resetMetrics: () => void;
  readonly rateLimits: () => RateLimiterState;
  readonly setTokensUsed: (tokens: number) => void;
  readonly resetRateLimits: () => void;
  readonly setFaults: (rules: ReadonlyArray<FaultRule>) => void;
  readonly faults: () => Array<ActiveFaultRule>;
  /** Writes the changes marked since the last commit to the state file, if there is one. */
  readonly commit: () => void;
  /** Writes the whole state to the state file, if there is one. */
  readonly flush: () => void;
  /** The token that the HTTP endpoints require in `x-api-token`: the admin token at start. */
  readonly adminToken: string;
}

/** Compares a request's token with the expected one in time that does not depend on the match. */
const sameToken = (given: string | undefined, expected: string): boolean => {
  if (given === undefined) return false;
  const left = Buffer.from(given);
  const right = Buffer.from(expected);
  return left.length === right.length && timingSafeEqual(left, right);
};

/** The control handle of a running sandbox. */
export class SandboxControl {
  constructor(private readonly parts: ControlParts) {}

  /** Empties the account and restores the defaults, counters, rate limits and faults. */
  reset(): void {
    this.parts.reset();
    this.parts.commit();
  }

  /** Creates records as pre-existing data, without token costs, and returns them by kind. */
  async seed(data: SeedData): Promise<Record<string, Array<unknown>>> {
    const created: Record<string, Array<unknown>> = {};
    const add = (kind: string, item: unknown): void => {
      const list = created[kind] ?? [];
      list.push(item);
      created[kind] = list;
    };
    try {
      await this.seedRecords(data, add);
    } finally {
      // Records seeded before a failure stay, as they would after the same requests.
      this.parts.commit();
    }
    return created;
  }

  private async seedRecords(
    data: SeedData,
    add: (kind: string, item: unknown) => void,
  ): Promise<void> {
    const account = this.parts.account();
    for (const spec of data.users ?? []) {
      const user = account.addUser(spec);
      add("users", { id: user.id, email: user.email, token: user.token });
    }
    const admin = [...account.store.collections.users.values()].find(
      (user) => user.is_admin && user.active_flag,
    );
    if (admin === undefined) throw new ApiError(400, "Seeding needs an active admin user");

    for (const [kind, version, template] of seedOperations) {
      const handler = findHandler(version, "POST", template) as Handler;
      for (const [index, body] of (data[kind] ?? []).entries()) {
        const raw = Buffer.from(JSON.stringify(body));
        const context: RequestContext = {
          method: "POST",
          version,
          template,
          params: {},
          query: new URLSearchParams(),
          body,
          rawBody: raw,
          contentType: "application/json",
          user: admin,
          account,
        };
        try {
          const result = await handler(context);
          add(kind, (result.body as { data: unknown }).data);
        } catch (error) {
          if (error instanceof ApiError)
            throw new ApiError(400, `Seeding ${kind}[${index}] failed: ${error.error}`);
          throw error;
        }
      }
    }
  }

  /** Returns the whole state as plain JSON. */
  snapshot(): SerializedState {
    return structuredClone(this.parts.account().store.serialize());
  }

  /** Compares a snapshot with another one, or with the current state. */
  compare(before: SerializedState, after: SerializedState = this.snapshot()): StateDiff {
    return compareStates(before, after);
  }

  /** Returns the request, token, 429 and 403 counters. */
  metrics(): MetricsReport {
    return this.parts.metrics();
  }

  /** Sets every counter to zero. */
  resetMetrics(): void {
    this.parts.resetMetrics();
  }

  /** Returns the daily budget, its use and the time until the day resets. */
  rateLimits(): RateLimiterState {
    return this.parts.rateLimits();
  }

  /** Sets the tokens used today, such as to start a test near the end of the budget. */
  setTokensUsed(tokens: number): void {
    this.parts.setTokensUsed(tokens);
  }

  /** Clears the burst windows, blocks and the day's usage. */
  resetRateLimits(): void {
    this.parts.resetRateLimits();
  }

  /** Replaces the fault rules; an empty list turns faults off. */
  setFaults(rules: ReadonlyArray<FaultRule>): void {
    this.parts.setFaults(rules.map((rule, index) => parseFaultRule(rule, index)));
  }

  /** Lists the fault rules with how often each fired. */
  faults(): Array<ActiveFaultRule> {
    return this.parts.faults();
  }

  /** Lists the users with their tokens. */
  users(): Array<SandboxUserInfo> {
    return [...this.parts.account().store.collections.users.values()].map((user) => ({
      id: user.id,
      name: user.name,
      email: user.email,
      token: user.token,
      isAdmin: user.is_admin,
      canDeleteLeads: user.can_delete_leads,
      activeFlag: user.active_flag,
    }));
  }

  /** Changes a user's permissions. */
  setUserPermissions(
    id: number,
    permissions: { readonly canDeleteLeads?: boolean; readonly isAdmin?: boolean },
  ): void {
    const account = this.parts.account();
    const user = account.store.collections.users.get(id);
    if (user === undefined) throw new ApiError(404, `User ${id} not found`);
    if (permissions.canDeleteLeads !== undefined)
      user.can_delete_leads = permissions.canDeleteLeads;
    if (permissions.isAdmin !== undefined) user.is_admin = permissions.isAdmin;
    account.store.changed("users", id);
    this.parts.commit();
  }

  /** Writes the whole state to the state file now and empties its journal, when there is one. */
  async flush(): Promise<void> {
    this.parts.flush();
  }

  /** Handles one `/__sandbox/` HTTP request. */
  async handleHttp(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    raw: Buffer,
  ): Promise<void> {
    const method = (request.method ?? "GET").toUpperCase();
    const path = url.pathname.replace(/^\/__sandbox/, "") || "/";
    const token = request.headers["x-api-token"];
    if (!sameToken(typeof token === "string" ? token : undefined, this.parts.adminToken)) {
      const error = new ApiError(
        401,
        "The control API needs the sandbox's admin token in the x-api-token header",
      );
      sendJson(response, 401, error.toBody());
      return;
    }
    try {
      const body = parseJson(raw, request.headers["content-type"] ?? "application/json") as
        | Record<string, unknown>
        | undefined;
      const data = await this.route(method, path, body ?? {});
      this.parts.commit();
      sendJson(response, 200, { success: true, data: data ?? null });
    } catch (error) {
      if (error instanceof ApiError) {
        sendJson(response, error.status, error.toBody());
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      sendJson(response, 400, new ApiError(400, message).toBody());
    }
  }

  private async route(
    method: string,
    path: string,
    body: Record<string, unknown>,
  ): Promise<unknown> {
    const userMatch = /^\/users\/(\d+)$/.exec(path);
    if (method === "PATCH" && userMatch !== null) {
      this.setUserPermissions(
        Number(userMatch[1]),
        body as { canDeleteLeads?: boolean; isAdmin?: boolean },
      );
      return this.users().find((user) => user.id === Number(userMatch[1]));
    }
    switch (`${method} ${path}`) {
      case "POST /reset":
        this.reset();
        return null;
      case "POST /seed":
        return this.seed(body as SeedData);
      case "GET /snapshot":
        return this.snapshot();
      case "POST /compare":
        return this.compare(
          body.before as SerializedState,
          body.after as SerializedState | undefined,
        );
      case "GET /metrics":
        return this.metrics();
      case "DELETE /metrics":
        this.resetMetrics();
        return null;
      case "GET /rate-limits":
        return this.rateLimits();
      case "PATCH /rate-limits":
        if (typeof body.tokensUsedToday !== "number")
          throw new ApiError(400, "tokensUsedToday must be a number");
        this.setTokensUsed(body.tokensUsedToday);
        return this.rateLimits();
      case "DELETE /rate-limits":
        this.resetRateLimits();
        return this.rateLimits();
      case "GET /faults":
        return this.faults();
      case "PUT /faults":
        if (!Array.isArray(body.rules))
          throw new ApiError(400, "rules must be an array of fault rules");
        this.setFaults(body.rules as Array<FaultRule>);
        return this.faults();
      case "DELETE /faults":
        this.setFaults([]);
        return [];
      case "GET /users":
        return this.users();
      case "POST /flush":
        await this.flush();
        return null;
      default:
        throw new ApiError(404, `The control API has no ${method} ${path}`);
    }
  }
}
