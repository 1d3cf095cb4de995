/**
 * A small in-memory Source and Destination for tests of the contracts and the runner. The
 * destination keeps its records in maps and can be told to reject records whose name matches.
 */
import { Effect, Option, Stream } from "effect";

import {
  type Destination,
  type FieldValue,
  Origin,
  type OutboundRecord,
  type ReadBackRecord,
  type RecordRef,
  Rejection,
  type Source,
  type SourceItem,
  SourceRecord,
  type WriteResult,
} from "../../src/index.js";

/** A row of the in-memory source; `null` stands for a row that cannot be read. */
export type MemoryRow = Readonly<Record<string, string>> | null;

/**
 * Makes a Source whose kinds are the keys of `tables`, each row keyed by its `id` field. Each
 * kind is one file, `<kind>.csv`, reported to `onFileRead` with the blank rows of `blankRows`
 * and its first row's fields as columns, headed in upper case.
 */
export const makeMemorySource = (
  tables: Readonly<Record<string, ReadonlyArray<MemoryRow>>>,
  blankRows: Readonly<Record<string, number>> = {},
) => {
  const itemOf = (kind: string, row: MemoryRow, index: number): SourceItem => {
    const origin = new Origin({ file: `${kind}.csv`, line: index + 2 });
    if (row === null || row.id === undefined) {
      return Rejection.make({ kind, origin, code: "unreadable", message: "the row has no id" });
    }
    return SourceRecord.make({ kind, sourceId: row.id, fields: row, origin, warnings: [] });
  };

  const source: Source = {
    name: "memory",
    kinds: Object.keys(tables),
    discover: () =>
      Effect.succeed({
        source: "memory",
        location: "memory",
        objects: Object.entries(tables).map(([kind, rows]) => ({
          kind,
          files: [],
          recordCount: rows.filter((row) => row !== null).length,
          rejectedCount: rows.filter((row) => row === null).length,
          warningCount: 0,
          columns: [],
        })),
        findings: [],
        unclassified: [],
      }),
    read: (kind, options) => {
      const rows = tables[kind] ?? [];
      const names = Object.keys(rows.find((row) => row !== null) ?? {});
      const report = () =>
        options?.onFileRead?.({
          kind,
          file: `${kind}.csv`,
          columns: names.map((name) => ({ name, header: name.toUpperCase() })),
          skipped: { blank: blankRows[kind] ?? 0, delimiterHint: 0 },
        });
      return Stream.fromIterable(rows.map((row, i) => itemOf(kind, row, i))).pipe(
        Stream.ensuring(Effect.sync(report)),
      );
    },
  };
  return source;
};

/** A record as the in-memory destination stores it. */
export interface StoredRecord {
  readonly id: string;
  readonly ref: RecordRef;
  readonly fields: Readonly<Record<string, FieldValue>>;
  readonly custom: Readonly<Record<string, FieldValue>>;
  readonly links: Readonly<Record<string, string>>;
}

/** Makes a Destination with organizations and persons; persons depend on organizations. */
export const makeMemoryDestination = (options: { readonly rejectName?: string } = {}) => {
  const stores = new Map<string, Map<string, StoredRecord>>();
  let nextId = 1;

  const store = (kind: string) => {
    const existing = stores.get(kind);
    if (existing !== undefined) return existing;
    const created = new Map<string, StoredRecord>();
    stores.set(kind, created);
    return created;
  };

  const writeOne = (kind: string, record: OutboundRecord): WriteResult => {
    if (options.rejectName !== undefined && record.fields.name === options.rejectName) {
      return { _tag: "WriteRejected", ref: record.ref, reason: "validation", message: "rejected" };
    }
    const id = record.destinationId ?? String(nextId++);
    const action = record.destinationId === undefined ? "created" : "updated";
    store(kind).set(id, { id, ...record });
    return { _tag: "Written", ref: record.ref, id, action };
  };

  const toReadBack = (kind: string, stored: StoredRecord): ReadBackRecord => ({
    kind,
    id: stored.id,
    ref: stored.ref,
    fields: stored.fields,
    custom: stored.custom,
    links: stored.links,
  });

  const destination: Destination = {
    name: "memory",
    kinds: [
      { kind: "person", dependsOn: ["organization"] },
      { kind: "organization", dependsOn: [] },
    ],
    describe: () =>
      Effect.succeed({
        users: [],
        pipelines: [],
        fields: {},
        labels: [],
        activityTypes: [],
        limits: {},
      }),
    applySchema: () => Effect.succeed({ created: [], existing: [] }),
    write: (kind, batch) => Effect.sync(() => batch.map((record) => writeOne(kind, record))),
    lookup: (kind, refs) =>
      Effect.sync(() => {
        const wanted = new Set(refs.map((ref) => `${ref.kind}:${ref.sourceId}`));
        const found = new Map<string, string>();
        for (const stored of store(kind).values()) {
          if (wanted.has(`${stored.ref.kind}:${stored.ref.sourceId}`)) {
            found.set(stored.ref.sourceId, stored.id);
          }
        }
        return found;
      }),
    readBack: (kind, ids) =>
      Stream.fromIterable(ids).pipe(
        Stream.filterMap((id) =>
          Option.fromNullable(store(kind).get(id)).pipe(
            Option.map((stored) => toReadBack(kind, stored)),
          ),
        ),
      ),
    remove: (kind, ids) =>
      Effect.sync(() => ids.map((id) => ({ id, removed: store(kind).delete(id) }))),
  };

  return { destination, records: (kind: string) => [...store(kind).values()] };
};
