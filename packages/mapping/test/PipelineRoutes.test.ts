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

/** Replaces the kinds of the plan's activity route with `to`. */
const withActivityRoute = (plan: MappingPlan, to: ReadonlyArray<string>): MappingPlan => ({
  ...plan,
  routes: plan.routes.map((route) => (route.from === "activity" ? { ...route, to } : route)),
});

/**
 * Adds the plan's first queued owner as a user and maps every other queued owner to that user,
 * so a first run needs the user that its own users phase creates.
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
  world = await openSandboxWorld(20);
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
      const notesKept = ["lead", "contact", "message_thread"].map((kind) => ledger.notesOf(kind));
      expect(notesKept.reduce((sum, count) => sum + count, 0)).toBe(
        liveRecords(world, "notes").length,
      );
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

      const ownerHolds = ledger.queued.filter((row) => row.reason === "owner-without-user");
      expect(ownerHolds).toEqual([]);
      const user = liveRecords(world, "users").find(
        (candidate) => String(candidate.email).toLowerCase() === added.toLowerCase(),
      );
      expect(user).toBeDefined();
      const owned = liveRecords(world, "persons").filter((person) => person.owner_id === user?.id);
      expect(owned.length).toBeGreaterThan(0);
    });

    it("queues in the dry run what the run queues", async () => {
      const { plan } = withOwnersOnAddedUser(await proposedPlan(world));
      expect(plan.owners.filter((owner) => owner.action === "map").length).toBeGreaterThan(0);
      const dryRun = await migrateWith(world, plan, { dryRun: true });
      const ownerHolds = ledgerOf(world, dryRun.runId).queued.filter(
        (row) => row.reason === "owner-without-user",
      );
      expect(dryRun.dryRun).toBe(true);
      expect(ownerHolds).toEqual([]);

      const run = await migrateWith(world, plan);
      const queuedByPhase = (summary: typeof run) =>
        summary.phases.map((phase) => [phase.phase, phase.counts.queued]);
      expect(run.dryRun).toBe(false);
      expect(queuedByPhase(dryRun)).toEqual(queuedByPhase(run));
    });
  });
});
