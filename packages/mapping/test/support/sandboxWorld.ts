/**
 * A migration world for tests of what a plan writes: a generated Flash Lead export in a
 * temporary folder, a Pipedrive sandbox on 127.0.0.1 and a real ledger. `migrateWith` runs the
 * runner under a plan the way `ferry migrate` does, and the readers return what the sandbox
 * contains and what the ledger queued.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  Ledger,
  type QueueRow,
  type RunSummary,
  recordApproval,
  runMigration,
  type Source,
} from "@ferry/core";
import { decodePipedriveConfig, fromConfig } from "@ferry/dest-pipedrive";
import { type Sandbox, startSandbox } from "@ferry/dest-pipedrive/sandbox";
import { makeFlashLeadSource } from "@ferry/source-flashlead";
import { generateExport } from "@ferry/source-flashlead/generator";
import { Effect } from "effect";

import { buildPipeline, defaultProposer, type MappingPlan, planHash } from "../../src/index.js";

const token = "tok-mapping-routes-test";
/** Paid seats of the sandbox account, enough for the users a plan adds. */
const seats = 20;

/** One test's export, sandbox and state folder. */
export interface SandboxWorld {
  readonly exportDir: string;
  readonly stateDir: string;
  readonly sandbox: Sandbox;
  readonly close: () => Promise<void>;
}

/** Writes an export of `leads` leads and starts an empty sandbox. */
export const openSandboxWorld = async (leads: number): Promise<SandboxWorld> => {
  const root = mkdtempSync(join(tmpdir(), "ferry-mapping-"));
  const exportDir = join(root, "export");
  await generateExport({ folder: exportDir, leads, seed: 11 });
  const sandbox = await startSandbox({ token, plan: "premium", seats, timeScale: 20 });
  return {
    exportDir,
    stateDir: join(root, "state"),
    sandbox,
    close: async () => {
      await sandbox.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
};

const destinationOf = (world: SandboxWorld) =>
  Effect.runPromise(
    decodePipedriveConfig({
      baseUrl: world.sandbox.url,
      apiToken: token,
      plan: "premium",
      seats,
      timeScale: 20,
    }).pipe(Effect.flatMap((config) => fromConfig(config))),
  );

const sourceOf = (world: SandboxWorld): Source =>
  makeFlashLeadSource({ folder: world.exportDir }) as unknown as Source;

/** Drafts the default proposer's plan for the world's export and its sandbox account. */
export const proposedPlan = async (world: SandboxWorld): Promise<MappingPlan> => {
  const destination = await destinationOf(world);
  const inventory = await Effect.runPromise(sourceOf(world).discover());
  const schema = await Effect.runPromise(destination.describe());
  const proposal = await Effect.runPromise(
    defaultProposer.propose({ inventory, destination: schema }),
  );
  return proposal.plan;
};

/** Runs a migration (or a dry run) of the world's export under a plan, approved in the ledger. */
export const migrateWith = async (
  world: SandboxWorld,
  plan: MappingPlan,
  options: { readonly dryRun?: boolean } = {},
): Promise<RunSummary> => {
  const destination = await destinationOf(world);
  const schema = await Effect.runPromise(destination.describe());
  await recordApproval({
    stateDir: world.stateDir,
    planHash: planHash(plan),
    approvedBy: "routes tester",
    approvedAt: "2026-01-05T10:00:00Z",
  });
  return runMigration({
    source: sourceOf(world),
    destination,
    pipeline: buildPipeline(plan, schema, { exportFolder: world.exportDir }),
    stateDir: world.stateDir,
    ...(options.dryRun === undefined ? {} : { dryRun: options.dryRun }),
  });
};

/** Live records of a sandbox collection, such as `notes` or `activities`. */
export const liveRecords = (
  world: SandboxWorld,
  collection: string,
): ReadonlyArray<Record<string, unknown>> => {
  const collections: Readonly<Record<string, unknown>> =
    world.sandbox.control.snapshot().collections;
  const records = collections[collection] as ReadonlyArray<Record<string, unknown>> | undefined;
  return (records ?? []).filter(
    (record) => record.is_deleted !== true && record.active_flag !== false,
  );
};

/** Reads the ledger: written records by destination kind and source object, and the queue. */
export const ledgerOf = (world: SandboxWorld, runId: number) => {
  const ledger = Ledger.open(world.stateDir);
  try {
    const entries = ledger.idMapEntries();
    const written = (destKind: string, sourceKind: string): number =>
      entries.filter((entry) => entry.destKind === destKind && entry.ref.kind === sourceKind)
        .length;
    const queued: ReadonlyArray<QueueRow> = ledger.queued(runId);
    return {
      notesOf: (sourceKind: string) => written("note", sourceKind),
      activitiesOf: (sourceKind: string) => written("activity", sourceKind),
      queued,
    };
  } finally {
    ledger.close();
  }
};
