/**
 * Record stores for the test destination: one in memory, and one in a SQLite file whose
 * contents survive the death of the process that wrote them, for the crash tests.
 */
import Database from "better-sqlite3";

import type { FieldValue, RecordRef } from "../../src/index.js";

/** A record as a test destination stores it. */
export interface StoredRecord {
  readonly id: string;
  readonly kind: string;
  readonly ref: RecordRef;
  readonly fields: Readonly<Record<string, FieldValue>>;
  readonly custom: Readonly<Record<string, FieldValue>>;
  readonly links: Readonly<Record<string, string>>;
  readonly updatedAt: string;
}

/** Where a test destination keeps its records. */
export interface RecordStore {
  readonly nextId: () => string;
  readonly put: (record: StoredRecord) => void;
  readonly get: (kind: string, id: string) => StoredRecord | undefined;
  readonly delete: (kind: string, id: string) => boolean;
  readonly all: (kind?: string) => ReadonlyArray<StoredRecord>;
}

/** Makes a record store in memory. */
export const makeMapStore = (): RecordStore => {
  const records = new Map<string, StoredRecord>();
  let next = 1;
  return {
    nextId: () => String(next++),
    put: (record) => records.set(`${record.kind}/${record.id}`, record),
    get: (kind, id) => records.get(`${kind}/${id}`),
    delete: (kind, id) => records.delete(`${kind}/${id}`),
    all: (kind) => [...records.values()].filter((r) => kind === undefined || r.kind === kind),
  };
};

/** Makes a record store in a SQLite file; every call commits before it returns. */
export const makeSqliteStore = (path: string): RecordStore & { readonly close: () => void } => {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.exec(
    "CREATE TABLE IF NOT EXISTS records (kind TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (kind, id)); CREATE TABLE IF NOT EXISTS seq (n INTEGER NOT NULL); INSERT INTO seq SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM seq);",
  );
  const decode = (row: unknown) => JSON.parse((row as { body: string }).body) as StoredRecord;
  return {
    nextId: () => {
      db.prepare("UPDATE seq SET n = n + 1").run();
      return String((db.prepare("SELECT n FROM seq").get() as { n: number }).n);
    },
    put: (record) => {
      db.prepare("INSERT OR REPLACE INTO records (kind, id, body) VALUES (?, ?, ?)").run(
        record.kind,
        record.id,
        JSON.stringify(record),
      );
    },
    get: (kind, id) => {
      const row = db.prepare("SELECT body FROM records WHERE kind = ? AND id = ?").get(kind, id);
      return row === undefined ? undefined : decode(row);
    },
    delete: (kind, id) =>
      db.prepare("DELETE FROM records WHERE kind = ? AND id = ?").run(kind, id).changes > 0,
    all: (kind) =>
      (kind === undefined
        ? db.prepare("SELECT body FROM records ORDER BY rowid").all()
        : db.prepare("SELECT body FROM records WHERE kind = ? ORDER BY rowid").all(kind)
      ).map(decode),
    close: () => db.close(),
  };
};
