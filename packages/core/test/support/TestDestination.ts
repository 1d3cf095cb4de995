/**
 * A Destination for runner tests, with the Pipedrive kinds and their dependencies, a record
 * store (in memory or in SQLite), schema items, and fault injection: rejected records, lost
 * responses (the write happens but the call fails), and failures of whole calls.
 */
import { Effect, Stream } from "effect";

import {
  type CreatedSchemaItem,
  type Destination,
  DestinationError,
  type DestinationSchema,
  type ObjectKindSpec,
  type OutboundRecord,
  type ReadBackRecord,
  type RemoveResult,
  type SchemaChange,
  type TokenAccount,
  type WriteResult,
} from "../../src/index.js";
import { makeMapStore, type RecordStore, type StoredRecord } from "./RecordStore.js";

/** The kinds of the Pipedrive destination, in its declared order. */
export const pipedriveKinds: ReadonlyArray<ObjectKindSpec> = [
  { kind: "organization", dependsOn: [] },
  { kind: "person", dependsOn: ["organization"] },
  { kind: "deal", dependsOn: ["organization", "person"] },
  { kind: "lead", dependsOn: ["organization", "person"] },
  { kind: "note", dependsOn: ["organization", "person", "deal", "lead"] },
  { kind: "activity", dependsOn: ["organization", "person", "deal", "lead"] },
  { kind: "file", dependsOn: ["organization", "person", "deal", "lead"] },
];

/** A call of the test destination, as a fault hook receives it. */
export interface DestinationCall {
  readonly method: "applySchema" | "write" | "lookup" | "readBack" | "remove";
  readonly kind: string;
  /** 1-based count of calls of this method so far. */
  readonly n: number;
}

/** What a fault hook makes of a call: fail it, apply it and lose the response, or nothing. */
export type Fault = DestinationError | "lose-response" | undefined;

/** Options of the test destination. */
export interface TestDestinationOptions {
  readonly store?: RecordStore;
  /** Returns a rejection reason for a record the destination refuses. */
  readonly rejectWhen?: (record: OutboundRecord) => string | undefined;
  readonly fault?: (call: DestinationCall) => Fault;
  /** Token account the destination charges, and the cost of one write call. */
  readonly tokens?: TokenAccount;
  readonly tokensPerWrite?: number;
  /** Cost of one `readBack` call and of one `remove` call, charged to `tokens`. */
  readonly tokensPerReadBack?: number;
  readonly tokensPerRemove?: number;
}

/** A fault hook that fails no call and counts the calls of each method. */
export const countCalls = () => {
  const counts = new Map<DestinationCall["method"], number>();
  return {
    fault: (call: DestinationCall): Fault => {
      counts.set(call.method, (counts.get(call.method) ?? 0) + 1);
      return undefined;
    },
    count: (method: DestinationCall["method"]): number => counts.get(method) ?? 0,
  };
};

/** Makes a failure of a whole call. */
export const failure = (reason: DestinationError["reason"], kind?: string) =>
  new DestinationError({
    reason,
    method: "POST",
    url: "http://127.0.0.1/test",
    ...(kind === undefined ? {} : { kind }),
  });

const itemTypes: Readonly<Record<SchemaChange["_tag"], string>> = {
  EnsurePipeline: "pipeline",
  EnsureField: "field",
  EnsureLabel: "label",
  EnsureActivityType: "activity-type",
  EnsureUser: "user",
};

/** Describes the schema items the test destination created (pipelines without stages). */
const describeSchema = (items: ReadonlyArray<CreatedSchemaItem>): DestinationSchema => {
  const fields: Record<string, Array<DestinationSchema["fields"][string][number]>> = {};
  for (const item of items.filter((i) => i.type === "field")) {
    const kind = item.kind ?? "";
    fields[kind] = [
      ...(fields[kind] ?? []),
      {
        key: item.id,
        name: item.name,
        type: "varchar",
        isCustom: true,
        isWritable: true,
        options: [],
      },
    ];
  }
  return {
    users: items
      .filter((i) => i.type === "user")
      .map((i) => ({ id: i.id, name: i.name, email: i.name, isActive: true, isAdmin: false })),
    pipelines: items
      .filter((i) => i.type === "pipeline")
      .map((i) => ({ id: i.id, name: i.name, stages: [] })),
    fields,
    labels: items
      .filter((i) => i.type === "label")
      .map((i) => ({ id: i.id, name: i.name, kind: i.kind ?? "" })),
    activityTypes: items
      .filter((i) => i.type === "activity-type")
      .map((i) => ({ key: i.id, name: i.name, isActive: true })),
    limits: {},
  };
};

/** Makes the test destination and the handles tests inspect it with. */
export const makeTestDestination = (options: TestDestinationOptions = {}) => {
  const store = options.store ?? makeMapStore();
  const calls = new Map<string, number>();
  const schemaItems: Array<CreatedSchemaItem> = [];
  const removedSchema: Array<string> = [];

  const call = (method: DestinationCall["method"], kind: string) => {
    const n = (calls.get(method) ?? 0) + 1;
    calls.set(method, n);
    return options.fault?.({ method, kind, n });
  };

  const writeOne = (kind: string, record: OutboundRecord): WriteResult => {
    const reason = options.rejectWhen?.(record);
    if (reason !== undefined) {
      return { _tag: "WriteRejected", ref: record.ref, reason: "validation", message: reason };
    }
    if (record.destinationId !== undefined) {
      const existing = store.get(kind, record.destinationId);
      if (existing === undefined) {
        return { _tag: "WriteRejected", ref: record.ref, reason: "not-found", message: "gone" };
      }
      store.put({
        ...existing,
        fields: { ...existing.fields, ...record.fields },
        custom: { ...existing.custom, ...record.custom },
        links: { ...existing.links, ...record.links },
        updatedAt: new Date().toISOString(),
      });
      return { _tag: "Written", ref: record.ref, id: existing.id, action: "updated" };
    }
    const id = store.nextId();
    store.put({ ...record, id, kind, updatedAt: new Date().toISOString() });
    return { _tag: "Written", ref: record.ref, id, action: "created" };
  };

  const toReadBack = (stored: StoredRecord): ReadBackRecord => ({
    kind: stored.kind,
    id: stored.id,
    ref: stored.ref,
    fields: stored.fields,
    custom: stored.custom,
    links: stored.links,
    updatedAt: stored.updatedAt,
  });

  const withFault = <A>(fault: Fault, work: () => A): Effect.Effect<A, DestinationError> => {
    if (fault instanceof DestinationError) return Effect.fail(fault);
    const result = work();
    return fault === "lose-response" ? Effect.fail(failure("transport")) : Effect.succeed(result);
  };

  const destination: Destination = {
    name: "test",
    kinds: pipedriveKinds,
    describe: () => Effect.sync(() => describeSchema(schemaItems)),
    applySchema: (changes) =>
      Effect.suspend(() =>
        withFault(call("applySchema", "schema"), () => {
          const created: Array<CreatedSchemaItem> = [];
          const existing: Array<string> = [];
          for (const change of changes) {
            const name = change._tag === "EnsureUser" ? change.email : change.name;
            const type = itemTypes[change._tag];
            const kind = "kind" in change ? change.kind : undefined;
            if (
              schemaItems.some(
                (item) => item.type === type && item.name === name && item.kind === kind,
              )
            ) {
              existing.push(name);
              continue;
            }
            const id = `${type}-${schemaItems.length + 1}`;
            const item: CreatedSchemaItem =
              kind === undefined ? { type, id, name } : { type, id, name, kind };
            schemaItems.push(item);
            created.push(item);
          }
          return { created, existing };
        }),
      ),
    write: (kind, batch) =>
      Effect.suspend(() => {
        options.tokens?.add(options.tokensPerWrite ?? 0);
        return withFault(call("write", kind), () => batch.map((record) => writeOne(kind, record)));
      }),
    lookup: (kind, refs) =>
      Effect.suspend(() =>
        withFault(call("lookup", kind), () => {
          const wanted = new Set(refs.map((ref) => `${ref.kind}:${ref.sourceId}`));
          const found = new Map<string, string>();
          for (const stored of store.all(kind)) {
            if (wanted.has(`${stored.ref.kind}:${stored.ref.sourceId}`)) {
              found.set(stored.ref.sourceId, stored.id);
            }
          }
          return found;
        }),
      ),
    readBack: (kind, ids) =>
      Stream.unwrap(
        Effect.suspend(() => {
          options.tokens?.add(options.tokensPerReadBack ?? 0);
          return withFault(call("readBack", kind), () =>
            Stream.fromIterable(
              ids.flatMap((id) => {
                const stored = store.get(kind, id);
                return stored === undefined ? [] : [toReadBack(stored)];
              }),
            ),
          );
        }),
      ),
    remove: (kind, ids) =>
      Effect.suspend(() => {
        options.tokens?.add(options.tokensPerRemove ?? 0);
        return withFault(call("remove", kind), () =>
          ids.map((id): RemoveResult => {
            store.delete(kind, id);
            return { id, removed: true };
          }),
        );
      }),
    removeSchema: (items) =>
      Effect.sync(() =>
        items.map((item) => {
          removedSchema.push(item.id);
          const index = schemaItems.findIndex(
            (candidate) => candidate.type === item.type && candidate.id === item.id,
          );
          if (index >= 0) schemaItems.splice(index, 1);
          return { id: item.id, removed: true };
        }),
      ),
  };

  /** Edits a record as a person working in the destination would. */
  const edit = (kind: string, id: string, fields: Readonly<Record<string, string>>) => {
    const existing = store.get(kind, id);
    if (existing === undefined) throw new Error(`no ${kind} ${id}`);
    store.put({ ...existing, fields: { ...existing.fields, ...fields } });
  };

  return {
    destination,
    store,
    schemaItems,
    removedSchema,
    edit,
    records: (kind?: string) => store.all(kind),
    calls: (method: DestinationCall["method"]) => calls.get(method) ?? 0,
  };
};
