import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Ledger } from "@ferry/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import type { MappingPlan } from "../src/index.js";
import {
  liveRecords,
  migrateWith,
  openSandboxWorld,
  proposedPlan,
  type SandboxWorld,
} from "./support/sandboxWorld.js";

/** Replaces the first occurrence of `from` on the CSV line `line` (1 is the header). */
const editLine = (world: SandboxWorld, file: string, line: number, from: string, to: string) => {
  const path = join(world.exportDir, file);
  const lines = readFileSync(path, "utf8").split("\n");
  const text = lines[line - 1] ?? "";
  expect(text).toContain(from);
  lines[line - 1] = text.replace(from, to);
  writeFileSync(path, lines.join("\n"));
};

/** Maps every queued owner to the sandbox's admin user, so no record waits for an owner. */
const withOwnersOnAdmin = (world: SandboxWorld, plan: MappingPlan): MappingPlan => {
  const admin = String(liveRecords(world, "users")[0]?.email);
  return {
    ...plan,
    owners: plan.owners.map((owner) =>
      owner.action === "queue" ? { ...owner, action: "map" as const, user: admin } : owner,
    ),
  };
};

const ledgerRows = (world: SandboxWorld, runId: number) => {
  const ledger = Ledger.open(world.stateDir);
  try {
    return { rejections: ledger.rejections(runId), lossy: ledger.lossy(runId) };
  } finally {
    ledger.close();
  }
};

let world: SandboxWorld;

beforeEach(async () => {
  world = await openSandboxWorld(20);
});

afterEach(async () => {
  await world.close();
});

describe("Pipeline", () => {
  describe("leads and contacts", () => {
    it("rejects an invalid deal value", async () => {
      // L000004 (line 5) is a Qualified lead, so it becomes a deal with its value.
      editLine(world, "leads.csv", 5, ",9350,", ",8.4OO,");
      const plan = withOwnersOnAdmin(world, await proposedPlan(world));
      const summary = await migrateWith(world, plan);

      const rejection = ledgerRows(world, summary.runId).rejections.find(
        (row) => row.file === "leads.csv" && row.line === 5,
      );
      expect(rejection?.code).toBe("invalid-money");
      expect(rejection?.column).toBe("Value");
      expect(rejection?.value).toBe("8.4OO");
    });

    it("keeps the contact's lead on its person", async () => {
      // C000001 (line 2) belongs to L000001, whose company is Amostra Demo Co.
      editLine(world, "contacts.csv", 2, ",Demo Testes,", ",,");
      const plan = withOwnersOnAdmin(world, await proposedPlan(world));
      await migrateWith(world, plan);

      const field = liveRecords(world, "fields").find(
        (candidate) =>
          candidate.field_name === "Flash Lead lead id" && candidate.entity === "person",
      );
      expect(field).toBeDefined();
      const code = String(field?.field_code);
      const persons = liveRecords(world, "persons");
      const contact = persons.find((person) =>
        JSON.stringify(person.emails).includes("c1@example.test"),
      );
      const custom = (contact?.custom_fields ?? {}) as Record<string, unknown>;
      expect(custom[code]).toBe("L000001");
      const org = liveRecords(world, "organizations").find(
        (candidate) => candidate.name === "Amostra Demo Co",
      );
      expect(org).toBeDefined();
      expect(contact?.org_id).toBe(org?.id);
    });

    it("records a lead without an owner", async () => {
      editLine(world, "leads.csv", 4, ",testa.exemplo@example.test,", ",,");
      const plan = withOwnersOnAdmin(world, await proposedPlan(world));
      const summary = await migrateWith(world, plan);

      const step = ledgerRows(world, summary.runId).lossy.find((row) => row.code === "no-owner");
      expect(step?.file).toBe("leads.csv");
      expect(step?.line).toBe(4);
      expect(step?.message).toContain("owned by the user of the API token");
    });

    it("gives a lead without an owner to the default owner", async () => {
      editLine(world, "leads.csv", 4, ",testa.exemplo@example.test,", ",,");
      const proposed = withOwnersOnAdmin(world, await proposedPlan(world));
      const added = "default.owner@example.test";
      const plan: MappingPlan = {
        ...proposed,
        owners: [
          ...proposed.owners,
          { email: added, name: "Default Owner", action: "add", active: true, reason: "test" },
        ],
        defaultOwner: added,
      };
      const summary = await migrateWith(world, plan);

      const lossy = ledgerRows(world, summary.runId).lossy;
      expect(lossy.filter((row) => row.code === "no-owner")).toEqual([]);
      const user = liveRecords(world, "users").find((candidate) => candidate.email === added);
      expect(user).toBeDefined();
      const person = liveRecords(world, "persons").find((candidate) =>
        JSON.stringify(candidate.emails).includes("testa.modelo.3@example.test"),
      );
      expect(person?.owner_id).toBe(user?.id);
    });
  });
});
