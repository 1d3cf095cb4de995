import { afterEach, describe, expect, it } from "@effect/vitest";

import {
  isMissingOrGoneLink,
  Ledger,
  runMigration,
  type TokenAccount,
  utcDay,
  verify,
} from "../../src/index.js";
import { cleanUp, setupRun } from "../support/RunnerFixture.js";
import { makeTestDestination } from "../support/TestDestination.js";
import { toyTables } from "../support/ToyPipeline.js";

afterEach(cleanUp);

describe("Verification", () => {
  describe("verify", () => {
    it("finds no difference after a clean run", async () => {
      const { options, test, stateDir } = await setupRun(toyTables(3));
      await runMigration(options);
      const result = await verify({ stateDir, destination: test.destination });
      expect(result.records).toBe(21);
      expect(result.differences).toEqual([]);
    });

    it("reports links to unmapped records", async () => {
      const { options, test, stateDir } = await setupRun(toyTables(2));
      await runMigration(options);
      const gone = test.records("organization").find((r) => r.ref.sourceId === "K1");
      // The state an older Ferry left when it rolled back a sample after the full run that
      // linked records to it: the organization and its id map entry are gone.
      test.store.delete("organization", gone?.id ?? "");
      const ledger = Ledger.open(stateDir);
      ledger.idMapDelete("organization", { kind: "company", sourceId: "K1" });
      ledger.close();

      const result = await verify({ stateDir, destination: test.destination });
      expect(
        result.differences.map((d) => [d.ref.sourceId, d.field, d.expected, d.actual]),
      ).toEqual([
        ["C1-1", "links.org_id", "organization in the id map", gone?.id],
        ["C1-2", "links.org_id", "organization in the id map", gone?.id],
      ]);
      expect(result.differences.every(isMissingOrGoneLink)).toBe(true);
    });

    it("counts its tokens for the verified run", async () => {
      const { options, test, stateDir } = await setupRun(toyTables(3));
      const first = await runMigration(options);
      const destination = (tokens: TokenAccount) =>
        makeTestDestination({ store: test.store, tokens, tokensPerReadBack: 25 }).destination;

      const result = await verify({ stateDir, destination });
      const again = await verify({ stateDir, destination, runId: first.runId });

      // The toy run writes four kinds, and verification reads each back with one call.
      expect(result.tokensSpent).toBe(100);
      expect(again.tokensSpent).toBe(100);
      const ledger = Ledger.open(stateDir);
      expect(ledger.tokens.ofRun(first.runId)).toMatchObject({
        migrate: 0,
        verify: 200,
        total: 200,
      });
      expect(ledger.tokensSpent(utcDay(Date.now()))).toBe(200);
      ledger.close();
    });

    it("reports each differing field", async () => {
      const { options, test, stateDir } = await setupRun(toyTables(3));
      await runMigration(options);
      const person = test.records("person").find((r) => r.ref.sourceId === "C1-1");
      test.edit("person", person?.id ?? "", { name: "Changed" });
      const deal = test.records("deal").find((r) => r.ref.sourceId === "D2-2");
      test.store.delete("deal", deal?.id ?? "");

      const result = await verify({ stateDir, destination: test.destination });
      expect(result.differences).toContainEqual({
        kind: "person",
        ref: { kind: "contact", sourceId: "C1-1" },
        destId: person?.id,
        field: "name",
        expected: "Contact 1.1",
        actual: "Changed",
      });
      expect(result.differences).toContainEqual(
        expect.objectContaining({ kind: "deal", field: "*", actual: null }),
      );
      expect(result.differences).toHaveLength(2);

      const ledger = Ledger.open(stateDir);
      expect(ledger.verifications.get(result.runId)?.differences).toHaveLength(2);
      ledger.close();
    });

    it("halts outside the time window", async () => {
      const { options, test, stateDir } = await setupRun(toyTables(1));
      await runMigration(options);
      const hour = new Date().getUTCHours();
      const start = `${String((hour + 2) % 24).padStart(2, "0")}:00`;
      const end = `${String((hour + 3) % 24).padStart(2, "0")}:00`;
      const run = verify({
        stateDir,
        destination: test.destination,
        window: { start, end, timeZone: "UTC" },
        outsideWindow: "halt",
      });
      await expect(run).rejects.toMatchObject({ _tag: "RunHaltedError", reason: "time-window" });
      const ledger = Ledger.open(stateDir);
      expect(ledger.runs()[0]?.status).toBe("finished");
      ledger.close();
    });

    it("compares custom fields and links", async () => {
      const { options, test, stateDir } = await setupRun(toyTables(2));
      await runMigration(options);
      const person = test.records("person").find((r) => r.ref.sourceId === "C1-2");
      test.store.put({
        ...(person as NonNullable<typeof person>),
        custom: { ...person?.custom, "Lead source": "Cold call" },
        links: { org_id: "elsewhere" },
      });

      const result = await verify({ stateDir, destination: test.destination });
      expect(result.differences.map((d) => d.field).sort()).toEqual([
        "custom.Lead source",
        "links.org_id",
      ]);
    });
  });
});
