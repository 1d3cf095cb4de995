import type { OutboundRecord } from "@ferry/core";
import { Chunk, Effect, Stream } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { PipedriveDestination } from "../src/index.js";
import { startTestSandbox, type TestSandbox } from "./support/sandbox.js";

let env: TestSandbox;
let destination: PipedriveDestination;

beforeAll(async () => {
  env = await startTestSandbox({ plan: "growth", timeScale: 50 });
  destination = env.destination({ plan: "growth", concurrency: 8 });
  await Effect.runPromise(destination.applySchema([]));
});
afterAll(() => env.sandbox.close());

const writeMany = async (
  kind: string,
  count: number,
  make: (index: number) => Partial<OutboundRecord>,
) => {
  const records = Array.from(
    { length: count },
    (_, index): OutboundRecord => ({
      kind,
      ref: { kind: "src", sourceId: `${kind}-${index}` },
      fields: {},
      custom: {},
      links: {},
      ...make(index),
    }),
  );
  const results = await Effect.runPromise(destination.write(kind, records));
  return results.map((result) => (result._tag === "Written" ? result.id : "rejected"));
};

const requestsTo = (method: string, template: string): number =>
  env.sandbox.control
    .metrics()
    .endpoints.filter((endpoint) => endpoint.method === method && endpoint.template === template)
    .reduce((sum, endpoint) => sum + endpoint.requests, 0);

const readAll = async (kind: string, ids: ReadonlyArray<string>) =>
  Chunk.toReadonlyArray(
    await Effect.runPromise(Stream.runCollect(destination.readBack(kind, ids))),
  );

describe("Reader", () => {
  describe("readBack", () => {
    it("reads v2 records with ids filters of 100", async () => {
      const ids = await writeMany("organization", 230, (index) => ({
        fields: { name: `Org ${index}` },
      }));
      env.sandbox.control.resetMetrics();

      const records = await readAll("organization", ids);
      expect(records.map((record) => record.id).sort()).toEqual([...ids].sort());
      expect(requestsTo("GET", "/organizations")).toBe(3);
      expect(records[0]?.ref).toEqual({ kind: "src", sourceId: "organization-0" });
    });

    it("reads a few v1 records one by one and many by listing", async () => {
      const [personId = ""] = await writeMany("person", 1, () => ({ fields: { name: "Parent" } }));
      const noteIds = await writeMany("note", 30, (index) => ({
        fields: { content: `<p>${index}</p>` },
        links: { person_id: personId },
      }));
      env.sandbox.control.resetMetrics();

      const few = await readAll("note", noteIds.slice(0, 3));
      expect(few.map((record) => record.fields.content)).toEqual([
        "<p>0</p>",
        "<p>1</p>",
        "<p>2</p>",
      ]);
      expect(requestsTo("GET", "/notes/{id}")).toBe(3);

      const many = await readAll("note", noteIds.slice(0, 20));
      expect(many).toHaveLength(20);
      expect(requestsTo("GET", "/notes")).toBe(1);
    });

    it("leaves out ids that do not exist", async () => {
      const [id = ""] = await writeMany("deal", 1, () => ({ fields: { title: "Only" } }));
      const records = await readAll("deal", [id, "987654"]);
      expect(records.map((record) => record.id)).toEqual([id]);
      const leads = await readAll("lead", ["0f0f0f0f-0000-4000-8000-000000000000"]);
      expect(leads).toEqual([]);
    });

    it("reads nothing for no ids", async () => {
      env.sandbox.control.resetMetrics();
      expect(await readAll("person", [])).toEqual([]);
      expect(env.sandbox.control.metrics().requests).toBe(0);
    });

    it("fails for an unknown kind", async () => {
      const error = await Effect.runPromise(
        Effect.flip(Stream.runCollect(destination.readBack("ticket", ["1"]))),
      );
      expect(error.reason).toBe("validation");
      expect(error.message).toContain('Pipedrive has no kind "ticket"');
    });
  });
});
