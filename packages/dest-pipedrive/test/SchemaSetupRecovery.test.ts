import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  EnsureField,
  Ledger,
  migrate,
  type Pipeline,
  recordApproval,
  rollback,
  runMigration,
  type Source,
} from "@ferry/core";
import { Effect, Fiber, Stream } from "effect";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import type { FaultRule } from "../src/sandbox/Faults.js";
import { startTestSandbox, type TestSandbox } from "./support/sandbox.js";

let env: TestSandbox;
beforeAll(async () => {
  env = await startTestSandbox({ plan: "growth" });
});
afterAll(() => env.sandbox.close());

const folders: Array<string> = [];
afterEach(() => {
  env.sandbox.control.setFaults([]);
  env.sandbox.control.reset();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

const planHash = "plan-marker-recovery";

/** A source with no records: these tests exercise only the schema phase. */
const source: Source = {
  name: "empty",
  kinds: [],
  discover: () => Effect.die("not used"),
  read: () => Stream.empty,
};

const pipeline: Pipeline = {
  planHash,
  schemaChanges: [EnsureField.make({ kind: "person", name: "Lead source", type: "varchar" })],
  sourceKinds: [],
  indexes: {},
  transform: () => Stream.empty,
};

const newStateDir = async () => {
  const stateDir = mkdtempSync(join(tmpdir(), "ferry-marker-"));
  folders.push(stateDir);
  await recordApproval({
    stateDir,
    planHash,
    approvedBy: "tester@example.test",
    approvedAt: "2026-12-04T00:00:00Z",
  });
  return stateDir;
};

const options = (stateDir: string) => ({
  source,
  pipeline,
  stateDir,
  destination: env.destination(),
  retryDelayMs: 1,
  maxAttempts: 3,
});

/** Reads the account's custom fields as `kind:name:key` through a new destination. */
const customFields = async () => {
  const schema = await Effect.runPromise(env.destination().describe());
  return ["organization", "person", "deal"].flatMap((kind) =>
    (schema.fields[kind] ?? [])
      .filter((field) => field.isCustom)
      .map((field) => `${kind}:${field.name}:${field.key}`),
  );
};

const markerCount = async (kind: string) =>
  (await customFields()).filter((field) => field.startsWith(`${kind}:Ferry source id:`)).length;

const journaledFields = (stateDir: string) => {
  const ledger = Ledger.open(stateDir);
  const items = ledger.schemaItems(ledger.runs().map((run) => run.id));
  ledger.close();
  return items.filter((item) => item.type === "field").map((item) => `${item.kind}:${item.name}`);
};

const until = async (check: () => Promise<boolean> | boolean, what: string) => {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting until ${what}`);
};

const setFaults = (rules: ReadonlyArray<FaultRule>) => env.sandbox.control.setFaults(rules);

describe("SchemaSetup", () => {
  describe("marker field recovery", () => {
    it("journals markers after a lost create response", async () => {
      const stateDir = await newStateDir();
      const before = await customFields();
      setFaults([{ kind: "drop-after-commit", method: "POST", path: "/dealFields", count: 1 }]);

      await runMigration(options(stateDir));
      expect(env.sandbox.control.faults()[0]?.fired).toBe(1);
      expect(journaledFields(stateDir).sort()).toEqual([
        "deal:Ferry source id",
        "organization:Ferry source id",
        "person:Ferry source id",
        "person:Lead source",
      ]);

      const summary = await rollback({
        stateDir,
        destination: env.destination(),
        scope: "all",
        removeSchema: true,
      });
      expect(summary.failures).toEqual([]);
      expect(summary.finished).toBe(true);
      expect(await customFields()).toEqual(before);
    });

    it("removes a late duplicate after an interrupted run", async () => {
      const stateDir = await newStateDir();
      const before = await customFields();
      setFaults([{ kind: "slow", delayMs: 1500, method: "POST", path: "/dealFields", count: 1 }]);

      // The first run stops while its deal marker create waits in the sandbox, as a killed
      // process would. That create completes later, after the resumed run made its own.
      const fiber = Effect.runFork(migrate(options(stateDir)));
      await until(() => env.sandbox.control.faults()[0]?.fired === 1, "the create is pending");
      await Effect.runPromise(Fiber.interrupt(fiber));
      await runMigration(options(stateDir));
      await until(async () => (await markerCount("deal")) === 2, "the late create lands");

      const summary = await rollback({
        stateDir,
        destination: env.destination(),
        scope: "all",
        removeSchema: true,
      });
      expect(summary.failures).toEqual([]);
      expect(summary.finished).toBe(true);
      expect(summary.schemaRemoved).toBe(5);
      expect(await customFields()).toEqual(before);
    });

    it("counts two marker fields seen on resume", async () => {
      const stateDir = await newStateDir();
      const before = await customFields();
      setFaults([{ kind: "slow", delayMs: 300, method: "POST", path: "/dealFields", count: 1 }]);

      const fiber = Effect.runFork(migrate(options(stateDir)));
      await until(() => env.sandbox.control.faults()[0]?.fired === 1, "the create is pending");
      await Effect.runPromise(Fiber.interrupt(fiber));
      await until(async () => (await markerCount("deal")) === 1, "the late create lands");
      // A second deal marker made before the resume reads the account.
      const response = await fetch(`${env.sandbox.url}/api/v2/dealFields`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-token": env.sandbox.adminToken },
        body: JSON.stringify({ field_name: "Ferry source id", field_type: "varchar" }),
      });
      expect(response.status).toBe(200);

      await runMigration(options(stateDir));
      const ledger = Ledger.open(stateDir);
      const counts = ledger.checkpoint(1, "schema")?.counts;
      ledger.close();
      expect(counts?.duplicated).toBe(1);
      expect(
        journaledFields(stateDir).filter((field) => field === "deal:Ferry source id"),
      ).toHaveLength(2);

      const summary = await rollback({
        stateDir,
        destination: env.destination(),
        scope: "all",
        removeSchema: true,
      });
      expect(summary.finished).toBe(true);
      expect(await customFields()).toEqual(before);
    });

    it("lists fields it cannot remove and does not finish", async () => {
      const stateDir = await newStateDir();
      await runMigration(options(stateDir));
      setFaults([{ kind: "status", status: 503, method: "DELETE", path: "/dealFields" }]);

      const summary = await rollback({
        stateDir,
        destination: env.destination(),
        scope: "all",
        removeSchema: true,
      });
      expect(summary.finished).toBe(false);
      expect(summary.failures.map((failure) => failure.kind)).toEqual(["field"]);
      expect(await markerCount("deal")).toBe(1);
    });
  });
});
