import { describe, expect, it } from "@effect/vitest";

import type { DestinationSchema, SchemaChange } from "../../src/index.js";
import {
  duplicatedItems,
  parseSnapshot,
  recoveredItems,
  requestedKeys,
  schemaInventory,
  snapshotJson,
  takeSnapshot,
} from "../../src/runner/SchemaRecovery.js";

const schema = (withNew: boolean): DestinationSchema => ({
  users: [{ id: "1", name: "Ana", email: "ana@example.test", isActive: true, isAdmin: true }],
  pipelines: [
    {
      id: "10",
      name: "Sales",
      stages: [
        { id: "100", name: "Lead in", order: 1 },
        ...(withNew ? [{ id: "101", name: "Won", order: 2 }] : []),
      ],
    },
  ],
  fields: {
    person: [
      {
        key: "abc",
        name: "Lead source",
        type: "enum",
        isCustom: true,
        isWritable: true,
        options: withNew ? [{ id: "7", label: "Facebook" }] : [],
      },
      {
        key: "name",
        name: "Name",
        type: "varchar",
        isCustom: false,
        isWritable: true,
        options: [],
      },
    ],
  },
  labels: withNew ? [{ id: "L1", name: "Hot", kind: "lead" }] : [],
  activityTypes: [],
  limits: {},
});

/** Adds a second custom person field named "Lead source", as a late create would. */
const withDuplicate = (base: DestinationSchema): DestinationSchema => ({
  ...base,
  fields: {
    person: [
      ...(base.fields.person ?? []),
      {
        key: "def",
        name: "Lead source",
        type: "enum",
        isCustom: true,
        isWritable: true,
        options: [],
      },
    ],
  },
});

const changes: ReadonlyArray<SchemaChange> = [
  { _tag: "EnsurePipeline", name: "Sales", stages: [{ name: "Lead in" }, { name: "Won" }] },
  { _tag: "EnsureField", kind: "person", name: "Lead source", type: "enum", options: ["Facebook"] },
  { _tag: "EnsureLabel", kind: "lead", name: "Hot" },
];

describe("SchemaRecovery", () => {
  describe("schemaInventory", () => {
    it("lists custom fields but not standard ones", () => {
      const keys = [...schemaInventory(schema(false)).keys()];
      expect(keys).toContain("field:person/Lead source");
      expect(keys).not.toContain("field:person/Name");
      expect(keys).toContain("stage:Sales/Lead in");
      expect(keys).toContain("user:ana@example.test");
    });
  });

  describe("recoveredItems", () => {
    const requested = requestedKeys(changes);

    it("returns requested items missing from the snapshot", () => {
      const snapshot = takeSnapshot(schema(false), requested);
      const items = recoveredItems(requested, snapshot, schema(true), new Set());
      expect(items).toEqual([
        { type: "stage", id: "101", name: "Won", parentId: "10" },
        { type: "option", id: "7", name: "Facebook", kind: "person", parentId: "abc" },
        { type: "label", id: "L1", name: "Hot", kind: "lead" },
      ]);
    });

    it("skips items already journaled", () => {
      const snapshot = takeSnapshot(schema(false), requested);
      const items = recoveredItems(requested, snapshot, schema(true), new Set(["label:L1"]));
      expect(items.map((item) => item.id)).toEqual(["101", "7"]);
    });

    it("returns a second field of a name the snapshot had", () => {
      const snapshot = takeSnapshot(schema(false), requested);
      const items = recoveredItems(requested, snapshot, withDuplicate(schema(false)), new Set());
      expect(items).toEqual([{ type: "field", id: "def", name: "Lead source", kind: "person" }]);
    });

    it("ignores items whose names the changes do not request", () => {
      const snapshot = takeSnapshot(schema(false), []);
      expect(recoveredItems([], snapshot, schema(true), new Set())).toEqual([]);
    });

    it("compares keys only for a snapshot without ids", () => {
      const snapshot = parseSnapshot(JSON.stringify([...schemaInventory(schema(false)).keys()]));
      const items = recoveredItems(requested, snapshot, withDuplicate(schema(true)), new Set());
      expect(items.map((item) => item.id)).toEqual(["101", "7", "L1"]);
    });
  });

  describe("parseSnapshot", () => {
    it("reads back what snapshotJson stored", () => {
      const snapshot = takeSnapshot(schema(false), ["field:person/Lead source"]);
      const read = parseSnapshot(snapshotJson(snapshot));
      expect(read.keys).toEqual(snapshot.keys);
      expect(read.identities).toEqual(snapshot.identities);
      expect(read.requested).toEqual(["field:person/Lead source"]);
    });
  });

  describe("duplicatedItems", () => {
    it("lists a key that two fields share", () => {
      const found = duplicatedItems(requestedKeys(changes), withDuplicate(schema(false)));
      expect([...found.keys()]).toEqual(["field:person/Lead source"]);
      expect(found.get("field:person/Lead source")?.map((item) => item.id)).toEqual(["abc", "def"]);
    });

    it("returns nothing when every key has one item", () => {
      expect(duplicatedItems(requestedKeys(changes), schema(true)).size).toBe(0);
    });
  });
});
