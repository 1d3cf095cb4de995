/**
 * A staging store over arrays of source records, for transform tests.
 */
import {
  Origin,
  type Rejection,
  type SourceRecord,
  type StagedRejection,
  type Staging,
} from "@ferry/core";
import { Effect, Option, Stream } from "effect";

/** Builds a source record with line numbers in the order given. */
export const sourceRecord = (
  kind: string,
  line: number,
  fields: Record<string, string>,
): SourceRecord => ({
  _tag: "SourceRecord",
  kind,
  sourceId: fields.id ?? String(line),
  fields,
  origin: new Origin({ file: `${kind}s.csv`, line }),
  warnings: [],
});

/** Builds records of one kind from rows; line numbers start at 2, after the header. */
export const records = (kind: string, rows: ReadonlyArray<Record<string, string>>) =>
  rows.map((row, index) => sourceRecord(kind, index + 2, row));

/** A staging store over the records given, and the source rejections of rows not staged. */
export const memoryStaging = (
  all: ReadonlyArray<SourceRecord>,
  rejected: ReadonlyArray<Rejection> = [],
): Staging => {
  const ofKind = (kind: string) => all.filter((record) => record.kind === kind);
  return {
    all: (kind) => Stream.fromIterable(ofKind(kind)),
    get: (kind, id) =>
      Effect.succeed(Option.fromNullable(ofKind(kind).find((r) => r.sourceId === id))),
    find: (kind, field, value) =>
      Stream.fromIterable(ofKind(kind).filter((record) => record.fields[field] === value)),
    findMany: (kind, field, values) => {
      const groups = new Map<string, Array<SourceRecord>>();
      for (const record of ofKind(kind)) {
        const value = record.fields[field];
        if (value === undefined || !values.includes(value)) continue;
        groups.set(value, [...(groups.get(value) ?? []), record]);
      }
      return Effect.succeed(groups);
    },
    getMany: (kind, ids) =>
      Effect.succeed(
        new Map(ofKind(kind).flatMap((r) => (ids.includes(r.sourceId) ? [[r.sourceId, r]] : []))),
      ),
    count: (kind) => Effect.succeed(ofKind(kind).length),
    rejections: (kind, ids) => {
      const found = new Map<string, StagedRejection>();
      for (const rejection of rejected) {
        const id = rejection.sourceId;
        if (rejection.kind !== kind || id === undefined || !ids.includes(id) || found.has(id))
          continue;
        found.set(id, { origin: rejection.origin, code: rejection.code });
      }
      return Effect.succeed(found);
    },
  };
};
