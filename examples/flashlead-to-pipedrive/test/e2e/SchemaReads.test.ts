/**
 * Schema reads of a migration, counted by the sandbox over HTTP. A run reads the account's
 * schema once and keeps it current with its own schema writes, and the ledger counts that read.
 * The next run reads the account again, so it finds a field deleted in between.
 */
import { schemaListPaths } from "@ferry/dest-pipedrive";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { migrate } from "../../src/ReferencePipeline.js";
import { confirmedPlan, openWorld, secretToken, tokensInLedger, type World } from "./Harness.js";

/** The schema lists as the sandbox's metrics name them, such as `GET v1 /users`. */
const schemaReads = schemaListPaths
  .map((path) => {
    const [, , version, ...rest] = path.split("/");
    return `GET ${version} /${rest.join("/")}`;
  })
  .sort();

const readsOf = (world: World) =>
  world.sandbox.control
    .metrics()
    .endpoints.map((endpoint) => ({
      name: `${endpoint.method} ${endpoint.version} ${endpoint.template}`,
      requests: endpoint.requests,
    }))
    .filter((endpoint) => schemaReads.includes(endpoint.name))
    .flatMap((endpoint) => Array.from({ length: endpoint.requests }, () => endpoint.name))
    .sort();

interface ApiField {
  readonly field_code: string;
  readonly field_name: string;
}

const personFields = async (world: World): Promise<ReadonlyArray<ApiField>> => {
  const response = await fetch(`${world.sandbox.url}/api/v2/personFields?limit=500`, {
    headers: { "x-api-token": secretToken },
  });
  return ((await response.json()) as { data: ReadonlyArray<ApiField> }).data;
};

describe("ReferencePipeline", () => {
  let world: World;
  beforeAll(async () => {
    world = await openWorld({ leads: 20 });
    await confirmedPlan(world);
  });
  afterAll(() => world.close());

  describe("migrate", () => {
    it("reads the schema once per run", async () => {
      world.sandbox.control.resetMetrics();
      const { summary } = await migrate(world.planPath, world.options);

      expect(summary.mode).toBe("full");
      expect(readsOf(world)).toEqual(schemaReads);
      expect(tokensInLedger(world.stateDir)).toBe(world.sandbox.control.metrics().tokens);
    });

    it("reads the schema again in the next run", async () => {
      const stageField = (await personFields(world)).find(
        (field) => field.field_name === "fls_original_stage__c",
      );
      expect(stageField).toBeDefined();
      await fetch(`${world.sandbox.url}/api/v2/personFields/${stageField?.field_code}`, {
        method: "DELETE",
        headers: { "x-api-token": secretToken },
      });

      world.sandbox.control.resetMetrics();
      const { summary } = await migrate(world.planPath, world.options);
      const reads = readsOf(world);
      const recreated = (await personFields(world)).filter(
        (field) => field.field_name === "fls_original_stage__c",
      );

      expect(summary.mode).toBe("delta");
      expect(reads).toEqual(schemaReads);
      expect(recreated).toHaveLength(1);
      expect(recreated[0]?.field_code).not.toBe(stageField?.field_code);
    });
  });
});
