import { describe, expect, it } from "@effect/vitest";

import type { DestinationSchema, SchemaChange } from "../../src/index.js";
import { recoveredItems, schemaInventory } from "../../src/runner/SchemaRecovery.js";

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
    it("returns requested items missing from the snapshot", () => {
      const before = new Set(schemaInventory(schema(false)).keys());
      const items = recoveredItems(changes, before, schema(true), []);
      expect(items).toEqual([
        { type: "stage", id: "101", name: "Won", parentId: "10" },
        { type: "option", id: "7", name: "Facebook", kind: "person", parentId: "abc" },
        { type: "label", id: "L1", name: "Hot", kind: "lead" },
      ]);
    });

    it("skips items the attempt reported as created", () => {
      const before = new Set(schemaInventory(schema(false)).keys());
      const created = [{ type: "label", id: "L1", name: "Hot", kind: "lead" }];
      const items = recoveredItems(changes, before, schema(true), created);
      expect(items.map((item) => item.id)).toEqual(["101", "7"]);
    });
  });
});
