import { EnsureField, type OutboundRecord, Progress, type ProgressEvent } from "@ferry/core";
import { Effect } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { fromConfig } from "../src/PipedriveDestination.js";
import { startTestSandbox, type TestSandbox } from "./support/sandbox.js";

let env: TestSandbox;

beforeAll(async () => {
  env = await startTestSandbox({ plan: "lite", timeScale: 100 });
});
afterAll(() => env.sandbox.close());

const persons = (prefix: string, count: number): Array<OutboundRecord> =>
  Array.from({ length: count }, (_, index) => ({
    kind: "person",
    ref: { kind: "contact", sourceId: `${prefix}-${index}` },
    fields: { name: `Person ${index}` },
    custom: {},
    links: {},
  }));

/** The schema list endpoints that `describe()` reads, once each for a small account. */
const schemaReads = [
  "GET v1 /activityTypes",
  "GET v1 /leadLabels",
  "GET v1 /users",
  "GET v2 /dealFields",
  "GET v2 /organizationFields",
  "GET v2 /personFields",
  "GET v2 /pipelines",
  "GET v2 /stages",
];

const readsOf = (sandbox: TestSandbox["sandbox"]) =>
  sandbox.control
    .metrics()
    .endpoints.filter((endpoint) => endpoint.method === "GET")
    .flatMap((endpoint) =>
      Array.from(
        { length: endpoint.requests },
        () => `${endpoint.method} ${endpoint.version} ${endpoint.template}`,
      ),
    )
    .sort();

const region = EnsureField.make({ kind: "person", name: "Region", type: "varchar" });

describe("PipedriveDestination", () => {
  describe("describe", () => {
    it("reads the schema once for setup and writes", async () => {
      env.sandbox.control.reset();
      env.sandbox.control.resetMetrics();
      const destination = env.destination();

      await Effect.runPromise(destination.describe());
      await Effect.runPromise(destination.applySchema([region]));
      const schema = await Effect.runPromise(destination.describe());
      const [written] = await Effect.runPromise(
        destination.write("person", [
          { ...(persons("once", 1)[0] as OutboundRecord), custom: { Region: "North" } },
        ]),
      );

      expect(readsOf(env.sandbox)).toEqual(schemaReads);
      expect(schema.fields.person?.some((field) => field.name === "Region")).toBe(true);
      expect(written?._tag).toBe("Written");
      const key = schema.fields.person?.find((field) => field.name === "Region")?.key ?? "";
      const id = written?._tag === "Written" ? written.id : "";
      const response = await fetch(`${env.sandbox.url}/api/v2/persons/${id}`, {
        headers: { "x-api-token": env.sandbox.adminToken },
      });
      const body = (await response.json()) as { data: { custom_fields: Record<string, unknown> } };
      expect(body.data.custom_fields[key]).toBe("North");
    });

    it("starts from a given schema without reading", async () => {
      env.sandbox.control.reset();
      const schema = await Effect.runPromise(env.destination().describe());
      env.sandbox.control.resetMetrics();

      const setup = env.destination();
      const seeded = Effect.runSync(fromConfig(setup.client.config, { schema }));
      await Effect.runPromise(seeded.applySchema([region]));
      const after = await Effect.runPromise(seeded.describe());

      expect(readsOf(env.sandbox)).toEqual([]);
      expect(after.fields.person?.some((field) => field.name === "Region")).toBe(true);
    });

    it("reads again in a new destination", async () => {
      env.sandbox.control.reset();
      const first = env.destination();
      await Effect.runPromise(first.applySchema([region]));
      const field = (await Effect.runPromise(first.describe())).fields.person?.find(
        (candidate) => candidate.name === "Region",
      );
      await fetch(`${env.sandbox.url}/api/v2/personFields/${field?.key}`, {
        method: "DELETE",
        headers: { "x-api-token": env.sandbox.adminToken },
      });

      const second = env.destination();
      const result = await Effect.runPromise(second.applySchema([region]));

      expect(result.created.map((item) => `${item.type}:${item.name}`)).toEqual(["field:Region"]);
      expect(result.created[0]?.id).not.toBe(field?.key);
    });
  });

  describe("write", () => {
    it("meets no 429 in 1,000 creates at the Lite limit", async () => {
      env.sandbox.control.reset();
      const destination = env.destination({ concurrency: 8 });
      await Effect.runPromise(destination.applySchema([]));
      await Effect.runPromise(destination.describe());
      env.sandbox.control.resetMetrics();
      const before = destination.stats();

      const records = persons("steady", 1000);
      const results = [];
      for (let start = 0; start < records.length; start += 100) {
        results.push(
          ...(await Effect.runPromise(
            destination.write("person", records.slice(start, start + 100)),
          )),
        );
      }

      const metrics = env.sandbox.control.metrics();
      expect(results.filter((result) => result._tag === "Written")).toHaveLength(1000);
      expect(metrics.rateLimited).toBe(0);
      expect(destination.stats().rateLimited).toBe(0);
      expect(metrics.requests).toBe(1000);
      expect(metrics.tokens).toBe(5000);
      expect(destination.stats().tokensSpent - before.tokensSpent).toBe(5000);
      expect(
        metrics.endpoints.map((endpoint) => `${endpoint.method} ${endpoint.template}`),
      ).toEqual(["POST /persons"]);
    });

    it("stops resumably before a batch the budget cannot pay", async () => {
      env.sandbox.control.reset();
      const setup = env.destination();
      await Effect.runPromise(setup.applySchema([]));
      const probe = env.destination();
      await Effect.runPromise(probe.describe());
      const describeCost = probe.stats().tokensSpent;

      // After its own describe, the destination has 60 tokens left: room for 10 of 20 creates.
      const destination = env.destination({ spentToday: 30_000 - 60 - describeCost });
      await Effect.runPromise(destination.describe());
      env.sandbox.control.setTokensUsed(30_000 - 60);

      const first = await Effect.runPromise(destination.write("person", persons("budget", 10)));
      expect(first.every((result) => result._tag === "Written")).toBe(true);
      const requestsBefore = env.sandbox.control.metrics().requests;

      const error = await Effect.runPromise(
        Effect.flip(destination.write("person", persons("budget-b", 10))),
      );
      expect(error.reason).toBe("budget-exhausted");
      expect(error.haltsRun).toBe(true);
      expect(error.message).toContain(
        "costs 50 tokens and 10 are left today; nothing of it was sent",
      );
      expect(error.resetsAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect(env.sandbox.control.metrics().requests).toBe(requestsBefore);
      expect(destination.stats().tokensSpent).toBe(describeCost + 50);
    });

    it("stops when the API says the budget is spent", async () => {
      env.sandbox.control.reset();
      const destination = env.destination({ concurrency: 1 });
      await Effect.runPromise(destination.applySchema([]));
      env.sandbox.control.setTokensUsed(30_000);

      const error = await Effect.runPromise(
        Effect.flip(destination.write("person", persons("api-budget", 5))),
      );
      expect(error.reason).toBe("budget-exhausted");
      expect(env.sandbox.control.metrics().rateLimitedByBudget).toBe(1);
      expect(env.sandbox.control.snapshot().collections.persons).toEqual([]);
    });

    it("waits for the reset when configured", async () => {
      const fast = await startTestSandbox({ plan: "lite", timeScale: 100_000 });
      try {
        const setup = fast.destination();
        await Effect.runPromise(setup.applySchema([]));
        fast.sandbox.control.setTokensUsed(30_000);
        const destination = fast.destination({ spentToday: 30_000, waitForBudgetReset: true });

        const events: Array<ProgressEvent> = [];
        const results = await Effect.runPromise(
          destination
            .write("person", persons("wait", 3))
            .pipe(Effect.provide(Progress.fromCallback((event) => events.push(event)))),
        );
        expect(results.every((result) => result._tag === "Written")).toBe(true);
        expect(
          events.some(
            (event) => event._tag === "RateLimitWait" && event.reason === "budget-exhausted",
          ),
        ).toBe(true);
      } finally {
        await fast.sandbox.close();
      }
    });
  });
});
