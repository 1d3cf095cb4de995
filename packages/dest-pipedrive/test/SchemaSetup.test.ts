import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
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
  env = await startTestSandbox({ plan: "lite" });
});
afterAll(() => env.sandbox.close());

const changes = [
  EnsurePipeline.make({
    name: "Migration",
    stages: [
      { name: "New", probability: 10 },
      { name: "Won over", probability: 90 },
    ],
  }),
  EnsureField.make({
    kind: "person",
    name: "Lead source",
    type: "enum",
    options: ["Facebook", "Referral"],
  }),
  EnsureField.make({ kind: "lead", name: "Tags", type: "set", options: ["a", "b"] }),
  EnsureLabel.make({ kind: "lead", name: "Imported", color: "green" }),
  EnsureActivityType.make({ name: "Site visit", icon: "meeting" }),
  EnsureUser.make({ email: "Rep@Example.test", name: "Rep", isActive: true }),
];

/**
 * Starts a proxy on 127.0.0.1 in front of the sandbox that drops `data.id` from the responses
 * of lead label creates, as a response without the new item's id would look.
 */
const startIdDroppingProxy = async (target: string): Promise<{ url: string; server: Server }> => {
  const server = createServer(async (request, response) => {
    const chunks: Array<Buffer> = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const upstream = await fetch(`${target}${request.url ?? "/"}`, {
      method: request.method ?? "GET",
      headers: Object.fromEntries(
        Object.entries(request.headers).flatMap(([name, value]) =>
          typeof value === "string" && name !== "host" && name !== "content-length"
            ? [[name, value]]
            : [],
        ),
      ),
      ...(chunks.length === 0 ? {} : { body: Buffer.concat(chunks) }),
    });
    let body = await upstream.text();
    if (request.method === "POST" && request.url?.startsWith("/api/v1/leadLabels") === true) {
      const parsed = JSON.parse(body) as { data: Record<string, unknown> };
      delete parsed.data.id;
      body = JSON.stringify(parsed);
    }
    const headers = Object.fromEntries(upstream.headers.entries());
    delete headers["content-length"];
    delete headers["content-encoding"];
    response.writeHead(upstream.status, headers);
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server };
};

describe("SchemaSetup", () => {
  describe("applySchema", () => {
    it("creates what is missing and nothing the second time", async () => {
      const destination = env.destination();
      const first = await Effect.runPromise(destination.applySchema(changes));
      const types = first.created.map((item) => `${item.type}:${item.name}`);
      expect(types).toEqual([
        "pipeline:Migration",
        "stage:New",
        "stage:Won over",
        "label:Imported",
        "activity-type:Site visit",
        "user:rep@example.test",
        "field:Ferry source id",
        "field:Ferry source id",
        "field:Ferry source id",
        "field:Lead source",
        "field:Tags",
      ]);
      expect(
        first.created.filter((item) => item.type === "stage").map((item) => item.parentId),
      ).toEqual([first.created[0]?.id, first.created[0]?.id]);

      const second = await Effect.runPromise(destination.applySchema(changes));
      expect(second.created).toEqual([]);
      expect(second.existing).toContain("pipeline Migration");
      expect(second.existing).toContain("field person.Lead source");
    });

    it("lists only the requested items as existing", async () => {
      const destination = env.destination();
      await Effect.runPromise(destination.applySchema(changes));
      const users = changes.filter((change) => change._tag === "EnsureUser");

      const result = await Effect.runPromise(destination.applySchema(users));
      expect(result.created).toEqual([]);
      expect(result.existing).toEqual(["user rep@example.test"]);
    });

    it("adds missing options to an existing field", async () => {
      const destination = env.destination();
      const more = EnsureField.make({
        kind: "person",
        name: "Lead source",
        type: "enum",
        options: ["Facebook", "Fair"],
      });
      const result = await Effect.runPromise(destination.applySchema([more]));
      expect(result.created.map((item) => [item.type, item.name])).toEqual([["option", "Fair"]]);

      const schema = await Effect.runPromise(destination.describe());
      const field = schema.fields.person?.find((candidate) => candidate.name === "Lead source");
      expect(field?.options.map((option) => option.label)).toEqual([
        "Facebook",
        "Referral",
        "Fair",
      ]);
    });

    it("describes stages in order with probabilities", async () => {
      const schema = await Effect.runPromise(env.destination().describe());
      const pipeline = schema.pipelines.find((candidate) => candidate.name === "Migration");
      expect(pipeline?.stages.map((stage) => [stage.name, stage.probability])).toEqual([
        ["New", 10],
        ["Won over", 90],
      ]);
      expect(schema.labels.some((label) => label.name === "Imported")).toBe(true);
      expect(schema.activityTypes.some((type) => type.name === "Site visit")).toBe(true);
      expect(schema.users.some((user) => user.email === "rep@example.test")).toBe(true);
      expect(schema.fields.lead).toEqual(schema.fields.deal);
      expect(schema.limits.customFieldCap).toBe(30);
      expect(schema.limits.dailyBudget).toBe(30_000);
    });

    it("fails with plan-cap before creating anything", async () => {
      const destination = env.destination();
      const before = await Effect.runPromise(destination.describe());
      const tooMany = Array.from({ length: 30 }, (_, index) =>
        EnsureField.make({ kind: "deal", name: `Extra ${index}`, type: "varchar" }),
      );
      const error = await Effect.runPromise(Effect.flip(destination.applySchema(tooMany)));
      expect(error.reason).toBe("plan-cap");
      expect(error.message).toContain("the plan allows 30 custom fields");

      const after = await Effect.runPromise(env.destination().describe());
      expect(after.limits.customFieldCount).toBe(before.limits.customFieldCount);
    });
  });

  describe("schema snapshot", () => {
    it("matches a fresh read without reading again", async () => {
      env.sandbox.control.reset();
      const destination = env.destination();
      await Effect.runPromise(destination.describe());
      env.sandbox.control.resetMetrics();

      const result = await Effect.runPromise(destination.applySchema(changes));
      const snapshot = await Effect.runPromise(destination.describe());
      const metrics = env.sandbox.control.metrics();
      const fresh = await Effect.runPromise(env.destination().describe());

      expect(result.created).toHaveLength(11);
      expect(metrics.endpoints.filter((endpoint) => endpoint.method === "GET")).toEqual([]);
      expect(snapshot).toEqual(fresh);
    });

    it("adds new options to the snapshot", async () => {
      const destination = env.destination();
      const more = EnsureField.make({
        kind: "lead",
        name: "Tags",
        type: "set",
        options: ["a", "c"],
      });
      await Effect.runPromise(destination.applySchema([more]));
      const snapshot = await Effect.runPromise(destination.describe());
      const fresh = await Effect.runPromise(env.destination().describe());

      const tags = (schema: typeof snapshot) =>
        schema.fields.lead?.find((field) => field.name === "Tags")?.options;
      expect(tags(snapshot)?.map((option) => option.label)).toEqual(["a", "b", "c"]);
      expect(snapshot.fields).toEqual(fresh.fields);
    });

    it("reads the account again after a lost create response", async () => {
      env.sandbox.control.reset();
      const destination = env.destination({ maxAttempts: 1 });
      const field = EnsureField.make({ kind: "person", name: "Region", type: "varchar" });
      // The marker fields come first in every call, so they are made before the fault is set.
      await Effect.runPromise(destination.applySchema([]));
      env.sandbox.control.setFaults([
        { kind: "drop-after-commit", count: 1, method: "POST", path: "/personFields" },
      ]);

      const error = await Effect.runPromise(Effect.flip(destination.applySchema([field])));
      expect(error.reason).toBe("transport");
      env.sandbox.control.setFaults([]);
      env.sandbox.control.resetMetrics();

      const second = await Effect.runPromise(destination.applySchema([field]));
      const reads = env.sandbox.control
        .metrics()
        .endpoints.filter((endpoint) => endpoint.method === "GET");
      const fields = env.sandbox.control.snapshot().collections.fields as ReadonlyArray<{
        entity: string;
        field_name: string;
        is_deleted: boolean;
      }>;
      const regions = fields.filter((candidate) => candidate.field_name === "Region");

      expect(reads.length).toBeGreaterThan(0);
      expect(second.existing).toContain("field person.Region");
      expect(regions).toHaveLength(1);
    });

    it("reads the account again when an id is missing", async () => {
      env.sandbox.control.reset();
      const proxy = await startIdDroppingProxy(env.sandbox.url);
      try {
        const destination = env.destination({ baseUrl: proxy.url });
        await Effect.runPromise(destination.applySchema([]));
        env.sandbox.control.resetMetrics();

        const label = EnsureLabel.make({ kind: "lead", name: "Imported" });
        const result = await Effect.runPromise(destination.applySchema([label]));
        const reads = env.sandbox.control
          .metrics()
          .endpoints.filter((endpoint) => endpoint.method === "GET");
        const snapshot = await Effect.runPromise(destination.describe());
        const fresh = await Effect.runPromise(env.destination().describe());

        expect(result.created.map((item) => [item.type, item.id])).toEqual([["label", ""]]);
        expect(reads.length).toBeGreaterThan(0);
        const imported = snapshot.labels.find((entry) => entry.name === "Imported");
        expect(imported?.id).not.toBe("");
        expect(snapshot).toEqual(fresh);
      } finally {
        await new Promise((resolve) => proxy.server.close(resolve));
      }
    });

    it("reads the account again after removeSchema", async () => {
      env.sandbox.control.reset();
      const destination = env.destination();
      const label = EnsureLabel.make({ kind: "lead", name: "Short-lived" });
      const applied = await Effect.runPromise(destination.applySchema([label]));
      const created = applied.created.filter((item) => item.type === "label");

      const removeSchema = destination.removeSchema;
      expect(removeSchema).toBeDefined();
      if (removeSchema !== undefined) await Effect.runPromise(removeSchema(created));
      env.sandbox.control.resetMetrics();
      const schema = await Effect.runPromise(destination.describe());

      expect(env.sandbox.control.metrics().requests).toBeGreaterThan(0);
      expect(schema.labels.map((entry) => entry.name)).not.toContain("Short-lived");
    });
  });
});
