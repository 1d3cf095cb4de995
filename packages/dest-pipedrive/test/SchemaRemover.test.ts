import {
  EnsureActivityType,
  EnsureField,
  EnsureLabel,
  EnsurePipeline,
  EnsureUser,
} from "@ferry/core";
import { Effect } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startTestSandbox, type TestSandbox } from "./support/sandbox.js";

let env: TestSandbox;
beforeAll(async () => {
  env = await startTestSandbox({ plan: "growth" });
});
afterAll(() => env.sandbox.close());

const changes = [
  EnsurePipeline.make({ name: "Rollback me", stages: [{ name: "One" }, { name: "Two" }] }),
  EnsureField.make({ kind: "deal", name: "Colour", type: "enum", options: ["Red", "Blue"] }),
  EnsureLabel.make({ kind: "lead", name: "Temporary", color: "blue" }),
  EnsureActivityType.make({ name: "Demo visit", icon: "meeting" }),
  EnsureUser.make({ email: "temp.rep@example.test", name: "Temp Rep", isActive: true }),
];

describe("SchemaRemover", () => {
  describe("removeSchema", () => {
    it("removes every created item, newest first", async () => {
      const destination = env.destination();
      const before = await Effect.runPromise(destination.describe());
      const applied = await Effect.runPromise(destination.applySchema(changes));
      const newestFirst = [...applied.created].reverse();

      const results = await Effect.runPromise(
        destination.removeSchema?.(newestFirst) ?? Effect.succeed([]),
      );

      expect(results.map((result) => result.id)).toEqual(newestFirst.map((item) => item.id));
      expect(results.every((result) => result.removed)).toBe(true);

      const after = await Effect.runPromise(destination.describe());
      expect(after.pipelines.map((p) => p.name)).toEqual(before.pipelines.map((p) => p.name));
      expect(after.labels.map((l) => l.name)).toEqual(before.labels.map((l) => l.name));
      expect(after.activityTypes.map((t) => t.name)).toEqual(
        before.activityTypes.map((t) => t.name),
      );
      expect(after.fields.deal?.map((f) => f.name)).toEqual(before.fields.deal?.map((f) => f.name));

      const user = after.users.find((candidate) => candidate.email === "temp.rep@example.test");
      expect(user?.isActive).toBe(false);
    });

    it("counts an item already gone as removed", async () => {
      const destination = env.destination();
      const applied = await Effect.runPromise(
        destination.applySchema([EnsureLabel.make({ kind: "lead", name: "Twice", color: "red" })]),
      );
      const label = applied.created.filter((item) => item.type === "label");
      await Effect.runPromise(destination.removeSchema?.(label) ?? Effect.succeed([]));
      const again = await Effect.runPromise(
        destination.removeSchema?.(label) ?? Effect.succeed([]),
      );
      expect(again).toEqual([{ id: label[0]?.id, removed: true }]);
    });

    it("reports an unknown item type", async () => {
      const destination = env.destination();
      const results = await Effect.runPromise(
        destination.removeSchema?.([{ type: "widget", id: "9", name: "Gadget" }]) ??
          Effect.succeed([]),
      );
      expect(results).toEqual([
        {
          id: "9",
          removed: false,
          reason: 'schema items of type "widget" cannot be removed; remove Gadget by hand',
        },
      ]);
    });
  });
});
