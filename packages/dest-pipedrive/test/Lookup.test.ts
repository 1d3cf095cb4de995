import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { OutboundRecord } from "@ferry/core";
import { Effect } from "effect";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import type { PipedriveDestination } from "../src/index.js";
import type { FaultRule } from "../src/sandbox/index.js";
import { startTestSandbox, type TestSandbox } from "./support/sandbox.js";

let env: TestSandbox;
let destination: PipedriveDestination;

beforeAll(async () => {
  env = await startTestSandbox({ plan: "growth", timeScale: 50 });
});
afterAll(() => env.sandbox.close());
beforeEach(async () => {
  env.sandbox.control.reset();
  destination = env.destination({ plan: "growth" });
  await Effect.runPromise(destination.applySchema([]));
});

const outbound = (
  kind: string,
  sourceId: string,
  fields: OutboundRecord["fields"],
  links: OutboundRecord["links"] = {},
): OutboundRecord => ({ kind, ref: { kind: "src", sourceId }, fields, custom: {}, links });

const writeOne = async (record: OutboundRecord): Promise<string> => {
  const [result] = await Effect.runPromise(destination.write(record.kind, [record]));
  if (result?._tag !== "Written") throw new Error(`not written: ${JSON.stringify(result)}`);
  return result.id;
};

const count = (
  collection: "organizations" | "persons" | "deals" | "leads" | "notes" | "activities" | "files",
) => env.sandbox.control.snapshot().collections[collection].length;

const requestsTo = (method: string, template: string): number =>
  env.sandbox.control
    .metrics()
    .endpoints.filter((endpoint) => endpoint.method === method && endpoint.template === template)
    .reduce((sum, endpoint) => sum + endpoint.requests, 0);

const lose = (rule: Omit<FaultRule, "kind" | "count">) =>
  env.sandbox.control.setFaults([{ kind: "drop-after-commit", count: 1, method: "POST", ...rule }]);

describe("Lookup", () => {
  describe("write after a lost response", () => {
    it.each([
      ["organization", "organizations", "/organizations", { name: "Acme" }],
      ["person", "persons", "/persons", { name: "Ana" }],
      ["deal", "deals", "/deals", { title: "Big" }],
    ] as const)("creates one %s, not two", async (kind, collection, path, fields) => {
      lose({ path });
      const [result] = await Effect.runPromise(
        destination.write(kind, [outbound(kind, "1", fields)]),
      );
      expect(result?._tag).toBe("Written");
      expect(count(collection)).toBe(1);
      expect(requestsTo("POST", path)).toBe(1);
      expect(requestsTo("GET", "/itemSearch/field")).toBe(1);
    });

    it("creates one lead, not two", async () => {
      const personId = await writeOne(outbound("person", "P", { name: "Leo" }));
      lose({ path: "/leads" });
      const [result] = await Effect.runPromise(
        destination.write("lead", [
          outbound("lead", "L", { title: "Lead" }, { person_id: personId }),
        ]),
      );
      expect(result?._tag).toBe("Written");
      expect(count("leads")).toBe(1);
    });

    it("creates one note and one activity, found by their marker comments", async () => {
      const dealId = await writeOne(outbound("deal", "D", { title: "Parent" }));
      lose({ path: "/notes" });
      const [note] = await Effect.runPromise(
        destination.write("note", [
          outbound("note", "N", { content: "<p>x</p>" }, { deal_id: dealId }),
        ]),
      );
      lose({ path: "/activities" });
      const [activity] = await Effect.runPromise(
        destination.write("activity", [
          outbound("activity", "A", { subject: "Call" }, { deal_id: dealId }),
        ]),
      );
      expect(note?._tag).toBe("Written");
      expect(activity?._tag).toBe("Written");
      expect(count("notes")).toBe(1);
      expect(count("activities")).toBe(1);
      expect(requestsTo("GET", "/notes")).toBe(1);
      expect(requestsTo("GET", "/activities")).toBe(1);
    });

    it("creates one file, found by parent and name", async () => {
      const dealId = await writeOne(outbound("deal", "D", { title: "Parent" }));
      const path = join(tmpdir(), `ferry-lost-${process.pid}.txt`);
      await writeFile(path, "bytes");
      lose({ path: "/files" });
      const [result] = await Effect.runPromise(
        destination.write("file", [
          outbound("file", "F", { path, name: "lost.txt" }, { deal_id: dealId }),
        ]),
      );
      expect(result?._tag).toBe("Written");
      expect(count("files")).toBe(1);
    });

    it("sends a create again when it did not land", async () => {
      env.sandbox.control.setFaults([
        { kind: "status", status: 503, count: 1, method: "POST", path: "/persons" },
      ]);
      const [result] = await Effect.runPromise(
        destination.write("person", [outbound("person", "R", { name: "Retry" })]),
      );
      expect(result?._tag).toBe("Written");
      expect(count("persons")).toBe(1);
      expect(requestsTo("POST", "/persons")).toBe(2);
      expect(requestsTo("GET", "/itemSearch/field")).toBe(1);
    });
  });

  describe("lookup", () => {
    it("finds entities, notes and activities by marker", async () => {
      const personId = await writeOne(outbound("person", "P1", { name: "Found" }));
      await writeOne(outbound("person", "P2", { name: "Also" }));
      const noteId = await writeOne(
        outbound("note", "N1", { content: "<p>n</p>" }, { person_id: personId }),
      );
      const activityId = await writeOne(
        outbound("activity", "A1", { subject: "s" }, { person_id: personId }),
      );

      const persons = await Effect.runPromise(
        destination.lookup("person", [
          { kind: "src", sourceId: "P1" },
          { kind: "src", sourceId: "missing" },
        ]),
      );
      expect([...persons.entries()]).toEqual([["P1", personId]]);

      const notes = await Effect.runPromise(
        destination.lookup("note", [{ kind: "src", sourceId: "N1" }]),
      );
      expect(notes.get("N1")).toBe(noteId);
      const activities = await Effect.runPromise(
        destination.lookup("activity", [{ kind: "src", sourceId: "A1" }]),
      );
      expect(activities.get("A1")).toBe(activityId);
    });

    it("paces searches to the search limit", async () => {
      const refs = Array.from({ length: 25 }, (_, index) => ({
        kind: "src",
        sourceId: `none-${index}`,
      }));
      env.sandbox.control.resetMetrics();
      const searcher = env.destination({ plan: "growth", concurrency: 8 });
      const found = await Effect.runPromise(searcher.lookup("organization", refs));
      expect(found.size).toBe(0);
      expect(requestsTo("GET", "/itemSearch/field")).toBe(25);
      expect(env.sandbox.control.metrics().rateLimited).toBe(0);
    });

    it("tells refs of another source kind apart", async () => {
      await writeOne(outbound("person", "same", { name: "Ana" }));
      const found = await Effect.runPromise(
        destination.lookup("person", [{ kind: "other", sourceId: "same" }]),
      );
      expect(found.size).toBe(0);
    });
  });
});
