/**
 * Recovery of the schema items an interrupted schema phase created. Before the phase applies
 * its changes it stores a snapshot: the items the destination already has, and the keys of the
 * items the phase requests, including those the destination adds on its own (such as marker
 * fields). That snapshot is the phase's intent. When the phase runs again after a crash, or a
 * rollback looks for what a run left, every requested item that is absent from the snapshot and
 * not journaled yet is one an earlier attempt created. A create whose response was lost can
 * complete after the retry made its own item, so one key can match two items, and both count.
 */
import { Effect } from "effect";

import type { Destination } from "../Destination.js";
import type { DestinationError } from "../DestinationError.js";
import type { DestinationSchema } from "../DestinationSchema.js";
import type { Ledger } from "../ledger/Ledger.js";
import type { LedgerError } from "../ledger/LedgerError.js";
import type { CreatedSchemaItem, SchemaChange } from "../SchemaChange.js";
import { withLedger } from "./LedgerEffect.js";

/** One schema item with the key of its type and names; duplicates get one entry each. */
export interface InventoryEntry {
  readonly key: string;
  readonly item: CreatedSchemaItem;
}

/** Lists a destination schema's items with a key of their type and names, duplicates included. */
export const inventoryEntries = (schema: DestinationSchema): ReadonlyArray<InventoryEntry> => {
  const entries: Array<InventoryEntry> = [];
  const add = (key: string, item: CreatedSchemaItem) => entries.push({ key, item });
  for (const pipeline of schema.pipelines) {
    add(`pipeline:${pipeline.name}`, { type: "pipeline", id: pipeline.id, name: pipeline.name });
    for (const stage of pipeline.stages) {
      add(`stage:${pipeline.name}/${stage.name}`, {
        type: "stage",
        id: stage.id,
        name: stage.name,
        parentId: pipeline.id,
      });
    }
  }
  for (const [kind, fields] of Object.entries(schema.fields)) {
    for (const field of fields.filter((f) => f.isCustom)) {
      add(`field:${kind}/${field.name}`, { type: "field", id: field.key, name: field.name, kind });
      for (const option of field.options) {
        add(`option:${kind}/${field.name}/${option.label}`, {
          type: "option",
          id: option.id,
          name: option.label,
          kind,
          parentId: field.key,
        });
      }
    }
  }
  for (const label of schema.labels) {
    add(`label:${label.kind}/${label.name}`, {
      type: "label",
      id: label.id,
      name: label.name,
      kind: label.kind,
    });
  }
  for (const type of schema.activityTypes) {
    add(`activity-type:${type.name}`, { type: "activity-type", id: type.key, name: type.name });
  }
  for (const user of schema.users) {
    add(`user:${user.email}`, { type: "user", id: user.id, name: user.email });
  }
  return entries;
};

/** Lists a destination schema's items by their key; of duplicates, the last one listed stays. */
export const schemaInventory = (
  schema: DestinationSchema,
): ReadonlyMap<string, CreatedSchemaItem> =>
  new Map(inventoryEntries(schema).map((entry) => [entry.key, entry.item]));

/** The identity of one item: its key and id, so two items with one name differ. */
const identityOf = (entry: InventoryEntry) => `${entry.key}#${entry.item.type}:${entry.item.id}`;

/** The ledger form of an item, for comparing with journaled items. */
export const itemIdOf = (item: Pick<CreatedSchemaItem, "type" | "id">) => `${item.type}:${item.id}`;

/** The snapshot a schema phase stores before its first attempt. */
export interface SchemaSnapshot {
  /** Keys of the items the destination had. */
  readonly keys: ReadonlySet<string>;
  /** Key and id of each item the destination had; absent in snapshots of older versions. */
  readonly identities?: ReadonlySet<string>;
  /** Keys of the items the phase requests; absent in snapshots of older versions. */
  readonly requested?: ReadonlyArray<string>;
}

/** Takes the snapshot of a schema phase before its first attempt. */
export const takeSnapshot = (
  schema: DestinationSchema,
  requested: ReadonlyArray<string>,
): SchemaSnapshot => {
  const entries = inventoryEntries(schema);
  return {
    keys: new Set(entries.map((entry) => entry.key)),
    identities: new Set(entries.map(identityOf)),
    requested: [...new Set(requested)],
  };
};

/** Turns a snapshot into the JSON the ledger stores. */
export const snapshotJson = (snapshot: SchemaSnapshot): string =>
  JSON.stringify({
    keys: [...snapshot.keys],
    identities: [...(snapshot.identities ?? [])],
    requested: snapshot.requested ?? [],
  });

/**
 * Reads a stored snapshot. Older versions stored only the array of keys, so such a snapshot
 * has no identities and no requested keys.
 */
export const parseSnapshot = (json: string): SchemaSnapshot => {
  const value = JSON.parse(json) as unknown;
  if (Array.isArray(value)) return { keys: new Set(value as ReadonlyArray<string>) };
  const stored = value as {
    readonly keys: ReadonlyArray<string>;
    readonly identities: ReadonlyArray<string>;
    readonly requested: ReadonlyArray<string>;
  };
  return {
    keys: new Set(stored.keys),
    identities: new Set(stored.identities),
    requested: stored.requested,
  };
};

/** Returns the inventory keys the changes ask for. */
export const requestedKeys = (changes: ReadonlyArray<SchemaChange>): ReadonlyArray<string> =>
  changes.flatMap((change) => {
    switch (change._tag) {
      case "EnsurePipeline":
        return [
          `pipeline:${change.name}`,
          ...change.stages.map((stage) => `stage:${change.name}/${stage.name}`),
        ];
      case "EnsureField":
        return [
          `field:${change.kind}/${change.name}`,
          ...change.options.map((option) => `option:${change.kind}/${change.name}/${option}`),
        ];
      case "EnsureLabel":
        return [`label:${change.kind}/${change.name}`];
      case "EnsureActivityType":
        return [`activity-type:${change.name}`];
      default:
        return [`user:${change.email.trim().toLowerCase()}`];
    }
  });

/**
 * Returns the requested items that exist now, were absent from the snapshot taken before the
 * first attempt, and are not in `known` (ledger ids, `type:id`): the items an earlier attempt
 * created. Every item of a key counts, so both items of a duplicated key are returned. A
 * snapshot of an older version has no ids, so there an item counts only when its key is new.
 */
export const recoveredItems = (
  requested: ReadonlyArray<string>,
  snapshot: SchemaSnapshot,
  now: DestinationSchema,
  known: ReadonlySet<string>,
): ReadonlyArray<CreatedSchemaItem> => {
  const requestedKeys = new Set(requested);
  const seen = new Set<string>();
  return inventoryEntries(now).flatMap((entry) => {
    if (!requestedKeys.has(entry.key)) return [];
    const existed =
      snapshot.identities === undefined
        ? snapshot.keys.has(entry.key)
        : snapshot.identities.has(identityOf(entry));
    const id = itemIdOf(entry.item);
    if (existed || known.has(id) || seen.has(id)) return [];
    seen.add(id);
    return [entry.item];
  });
};

/**
 * Returns the requested keys that more than one item of `now` has, with those items: for
 * example two `Ferry source id` fields on deals after a lost create completed late.
 */
export const duplicatedItems = (
  requested: ReadonlyArray<string>,
  now: DestinationSchema,
): ReadonlyMap<string, ReadonlyArray<CreatedSchemaItem>> => {
  const requestedKeys = new Set(requested);
  const byKey = new Map<string, Array<CreatedSchemaItem>>();
  for (const entry of inventoryEntries(now)) {
    if (!requestedKeys.has(entry.key)) continue;
    byKey.set(entry.key, [...(byKey.get(entry.key) ?? []), entry.item]);
  }
  return new Map([...byKey].filter(([, items]) => items.length > 1));
};

/** The runner's phases that apply schema changes, each with its own snapshot. */
export const schemaPhases = ["schema", "users"] as const;

/** The ledger meta key of a schema phase's snapshot. */
export const snapshotKeyOf = (runId: number, phase: string) => `schema-snapshot:${runId}:${phase}`;

/** The stored snapshots of some runs that list their requested keys, oldest run first. */
const snapshotsOf = (ledger: Ledger, runIds: ReadonlyArray<number>) =>
  [...runIds]
    .sort((a, b) => a - b)
    .flatMap((runId) =>
      schemaPhases.flatMap((phase) => {
        const stored = ledger.getMeta(snapshotKeyOf(runId, phase));
        const snapshot = stored === undefined ? undefined : parseSnapshot(stored);
        return snapshot?.requested === undefined ? [] : [{ runId, snapshot }];
      }),
    );

/** Lists, per run, the requested items of `now` that the run's snapshots lack. */
const newItemsByRun = (
  ledger: Ledger,
  runIds: ReadonlyArray<number>,
  now: DestinationSchema,
): ReadonlyArray<{ readonly runId: number; readonly item: CreatedSchemaItem }> => {
  const claimed = new Set<string>();
  return snapshotsOf(ledger, runIds).flatMap(({ runId, snapshot }) =>
    recoveredItems(snapshot.requested ?? [], snapshot, now, claimed).map((item) => {
      claimed.add(itemIdOf(item));
      return { runId, item };
    }),
  );
};

/**
 * Journals the items that runs created but never recorded, so that a rollback removes them: a
 * create that completed after its process died, or after a retry had made its own item. An
 * item counts when a run's snapshot lacks it and no run of the ledger journaled it. It is
 * journaled to the oldest such run among `runIds`. Returns the items journaled.
 */
export const journalUnrecordedItems = (
  ledger: Ledger,
  destination: Destination,
  runIds: ReadonlyArray<number>,
): Effect.Effect<ReadonlyArray<CreatedSchemaItem>, DestinationError | LedgerError> =>
  Effect.gen(function* () {
    if (snapshotsOf(ledger, runIds).length === 0) return [];
    const now = yield* destination.describe();
    const journaled = new Set(ledger.schemaItems(ledger.runs().map((run) => run.id)).map(itemIdOf));
    const found = newItemsByRun(ledger, runIds, now).filter(
      ({ item }) => !journaled.has(itemIdOf(item)),
    );
    yield* withLedger(ledger, (l) => {
      for (const { runId, item } of found) l.addSchemaItems(runId, [item]);
    });
    return found.map(({ item }) => item);
  });

/**
 * Returns the items that runs created and the account still has, for the check after a
 * rollback removed them: requested items that the runs' snapshots lack, other than those that a
 * run outside `runIds` journaled.
 */
export const leftoverItems = (
  ledger: Ledger,
  destination: Destination,
  runIds: ReadonlyArray<number>,
): Effect.Effect<ReadonlyArray<CreatedSchemaItem>, DestinationError> =>
  Effect.gen(function* () {
    if (snapshotsOf(ledger, runIds).length === 0) return [];
    const now = yield* destination.describe();
    const inScope = new Set(runIds);
    const others = ledger.runs().flatMap((run) => (inScope.has(run.id) ? [] : [run.id]));
    const ownedByOthers = new Set(
      others.length === 0 ? [] : ledger.schemaItems(others).map(itemIdOf),
    );
    // Users cannot be deleted and activity types stay listed after a delete, so only active
    // ones are left over.
    const active = (item: CreatedSchemaItem) =>
      item.type === "user"
        ? now.users.some((user) => user.id === item.id && user.isActive)
        : item.type === "activity-type"
          ? now.activityTypes.some((type) => type.key === item.id && type.isActive)
          : true;
    return newItemsByRun(ledger, runIds, now)
      .map(({ item }) => item)
      .filter((item) => !ownedByOthers.has(itemIdOf(item)) && active(item));
  });
