import { afterEach, beforeEach, describe, expect, it } from "vitest";

import type { MappingPlan } from "../src/index.js";
import {
  ledgerOf,
  liveRecords,
  migrateWith,
  openSandboxWorld,
  proposedPlan,
  type SandboxWorld,
} from "./support/sandboxWorld.js";

/** The plan with the activity route sent to `to`. */
const withActivityRoute = (plan: MappingPlan, to: ReadonlyArray<string>): MappingPlan => ({
  ...plan,
  routes: plan.routes.map((route) => (route.from === "activity" ? { ...route, to } : route)),
});

/**
 * The plan with its first queued owner added as a user and every other queued owner mapped to
 * that user, so a first run needs the user its own users phase creates.
 */
const withOwnersOnAddedUser = (plan: MappingPlan): { plan: MappingPlan; added: string } => {
  const queued = plan.owners.filter((owner) => owner.action === "queue");
  const added = queued[0]?.email ?? "";
  return {
    added,
    plan: {
      ...plan,
      owners: plan.owners.map((owner) => {
        if (owner.action !== "queue") return owner;
        return owner.email === added
          ? { ...owner, action: "add" as const, name: "Added Owner" }
          : { ...owner, action: "map" as const, user: added };
      }),
    },
  };
};

let world: SandboxWorld;

beforeEach(async () => {
  world = await openSandboxWorld(30);
});

afterEach(async () => {
  await world.close();
});

describe("Pipeline", () => {
  describe("routes", () => {
    it("writes no log records when activity routes nowhere", async () => {
      const { plan } = withOwnersOnAddedUser(await proposedPlan(world));
      const summary = await migrateWith(world, withActivityRoute(plan, []));
      const ledger = ledgerOf(world, summary.runId);

      expect(ledger.notesOf("activity")).toBe(0);
      expect(ledger.activitiesOf("activity")).toBe(0);
      expect(liveRecords(world, "activities")).toHaveLength(0);
      const kept = ["lead", "contact", "message_thread"].map((kind) => ledger.notesOf(kind));
      expect(kept.reduce((sum, count) => sum + count, 0)).toBe(liveRecords(world, "notes").length);
    });

    it("writes only log notes when activity routes to note", async () => {
      const { plan } = withOwnersOnAddedUser(await proposedPlan(world));
      const summary = await migrateWith(world, withActivityRoute(plan, ["note"]));
      const ledger = ledgerOf(world, summary.runId);

      expect(ledger.notesOf("activity")).toBeGreaterThan(0);
      expect(ledger.activitiesOf("activity")).toBe(0);
      expect(liveRecords(world, "activities")).toHaveLength(0);
    });

    it("writes only activities when activity routes to activity", async () => {
      const { plan } = withOwnersOnAddedUser(await proposedPlan(world));
      const summary = await migrateWith(world, withActivityRoute(plan, ["activity"]));
      const ledger = ledgerOf(world, summary.runId);

      expect(ledger.activitiesOf("activity")).toBeGreaterThan(0);
      expect(ledger.notesOf("activity")).toBe(0);
      expect(liveRecords(world, "activities")).toHaveLength(ledger.activitiesOf("activity"));
    });

    it("writes no thread notes when message_thread routes nowhere", async () => {
      const { plan } = withOwnersOnAddedUser(await proposedPlan(world));
      const edited: MappingPlan = {
        ...plan,
        routes: plan.routes.map((route) =>
          route.from === "message_thread" ? { ...route, to: [] } : route,
        ),
      };
      const summary = await migrateWith(world, edited);
      const ledger = ledgerOf(world, summary.runId);

      expect(ledger.notesOf("message_thread")).toBe(0);
      expect(ledger.notesOf("activity")).toBeGreaterThan(0);
    });
  });

  describe("owners", () => {
    it("loads owners mapped to a user the plan adds", async () => {
      const { plan, added } = withOwnersOnAddedUser(await proposedPlan(world));
      expect(added).not.toBe("");
      expect(plan.owners.filter((owner) => owner.action === "map").length).toBeGreaterThan(0);
      const summary = await migrateWith(world, plan);
      const ledger = ledgerOf(world, summary.runId);

      const held = ledger.queued.filter((row) => row.reason === "owner-without-user");
      expect(held).toEqual([]);
      const user = liveRecords(world, "users").find(
        (candidate) => String(candidate.email).toLowerCase() === added.toLowerCase(),
      );
      expect(user).toBeDefined();
      const owned = liveRecords(world, "persons").filter((person) => person.owner_id === user?.id);
      expect(owned.length).toBeGreaterThan(0);
    });

    it("queues no mapped owner in the dry run", async () => {
      const { plan } = withOwnersOnAddedUser(await proposedPlan(world));
      expect(plan.owners.filter((owner) => owner.action === "map").length).toBeGreaterThan(0);
      const summary = await migrateWith(world, plan, { dryRun: true });
      const ledger = ledgerOf(world, summary.runId);

      expect(summary.dryRun).toBe(true);
      const held = ledger.queued.filter((row) => row.reason === "owner-without-user");
      expect(held).toEqual([]);
    });
  });
});
