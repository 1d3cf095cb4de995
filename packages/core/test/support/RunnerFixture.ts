/**
 * Setup shared by the runner tests: a temporary state folder, an approved toy pipeline, a test
 * destination and the migration options that join them. Folders are removed by `cleanUp`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  type Ledger,
  type MigrationOptions,
  recordApproval,
  type Source,
} from "../../src/index.js";
import { type MemoryRow, makeMemorySource } from "./InMemory.js";
import { makeTestDestination, type TestDestinationOptions } from "./TestDestination.js";
import { makeToyPipeline, toyTables } from "./ToyPipeline.js";

const folders: Array<string> = [];

/** Makes a temporary folder that `cleanUp` removes. */
export const tempFolder = (prefix = "ferry-test-"): string => {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  folders.push(folder);
  return folder;
};

/** Removes every folder made by `tempFolder`; call it in `afterEach`. */
export const cleanUp = (): void => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
};

/** Toy tables with one queued contact, one invalid deal, and records that depend on them. */
export const tablesWithProblems = (): Record<string, ReadonlyArray<MemoryRow>> => {
  const tables = toyTables(3);
  return {
    ...tables,
    contact: [
      ...(tables.contact ?? []),
      { id: "CQ", name: "Queued", company_id: "K1", source: "", owner: "nobody@example.test" },
      null,
    ],
    deal: [
      ...(tables.deal ?? []),
      { id: "DX", title: "Bad value", stage: "Won", value: "abc", contact_id: "C1-1" },
      { id: "DQ", title: "For queued", stage: "Won", value: "1", contact_id: "CQ" },
    ],
    note: [
      ...(tables.note ?? []),
      { id: "NX", content: "On the bad deal", deal_id: "DX", attachment: "scan.pdf" },
    ],
  };
};

/** Makes a state folder with the toy plan approved, a test destination and run options. */
export const setupRun = async (
  tables: Record<string, ReadonlyArray<MemoryRow>> = tablesWithProblems(),
  destinationOptions: TestDestinationOptions = {},
) => {
  const stateDir = tempFolder("ferry-run-");
  const pipeline = makeToyPipeline();
  await recordApproval({
    stateDir,
    planHash: pipeline.planHash,
    approvedBy: "ana@example.test",
    approvedAt: "2026-01-01T00:00:00Z",
  });
  const test = makeTestDestination(destinationOptions);
  const options: MigrationOptions = {
    source: makeMemorySource(tables),
    destination: test.destination,
    pipeline,
    stateDir,
    batchSize: 4,
    retryDelayMs: 1,
  };
  return { stateDir, pipeline, test, options };
};

/** Lists `kind:sourceId` of records, sorted. */
export const refsOf = (
  records: ReadonlyArray<{ readonly ref: { readonly kind: string; readonly sourceId: string } }>,
): ReadonlyArray<string> => records.map((r) => `${r.ref.kind}:${r.ref.sourceId}`).sort();

/** Returns a source of the toy tables of `count` companies plus one new company, like a later export. */
export const sourceWithNewCompany = (count: number): Source => {
  const tables = toyTables(count);
  return makeMemorySource({
    ...tables,
    company: [...(tables.company ?? []), { id: "K9", name: "New" }],
  });
};

/** Creates a full run in a ledger, started now unless `startedAt` is given, and returns its id. */
export const createTestRun = (ledger: Ledger, startedAt = new Date().toISOString()): number =>
  ledger.createRun({
    mode: "full",
    planHash: "h",
    dryRun: false,
    source: "memory",
    destination: "test",
    schemaChanges: [],
    automations: [],
    startedAt,
  });
