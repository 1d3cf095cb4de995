import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { afterEach, beforeAll, describe, expect, it } from "@effect/vitest";
import { build } from "esbuild";

import { Ledger, type RollbackSummary, type RunSummary, recordApproval } from "../../src/index.js";
import { FIRST_RECORD_PHASE } from "../../src/runner/RecordPhases.js";
import { makeSqliteStore } from "../support/RecordStore.js";
import { cleanUp, refsOf, tempFolder } from "../support/RunnerFixture.js";
import { makeToyPipeline, toyTables } from "../support/ToyPipeline.js";

afterEach(cleanUp);

const here = dirname(fileURLToPath(import.meta.url));
const repositoryRoot = resolve(here, "../../../..");
// Inside node_modules so that the bundle's import of better-sqlite3 resolves.
const bundle = join(repositoryRoot, "node_modules/.cache/ferry-core-crash/child.mjs");
const COMPANIES = 25;
const KILLS = 30;

beforeAll(async () => {
  mkdirSync(dirname(bundle), { recursive: true });
  await build({
    entryPoints: [join(here, "../support/CrashChild.ts")],
    outfile: bundle,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // Bundling effect halves the child's start-up time; the native module stays external.
    external: ["better-sqlite3"],
    logLevel: "silent",
  });
});

/** A seeded pseudo-random generator (mulberry32), so that a failing run can be replayed. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/**
 * Runs the child; kills it with SIGKILL after `killAfter` progress lines unless it ends first.
 * Resolves with the run summary when the child finished, or undefined when it was killed.
 */
const runChild = <A = RunSummary>(args: ReadonlyArray<string>, killAfter: number | undefined) =>
  new Promise<A | undefined>((done, fail) => {
    const child: ChildProcess = spawn(process.execPath, [bundle, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let seen = 0;
    let buffer = "";
    let summary: A | undefined;
    let stderr = "";
    child.stderr?.on("data", (chunk) => {
      stderr += String(chunk);
    });
    child.stdout?.on("data", (chunk) => {
      buffer += String(chunk);
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const text of lines) {
        if (text.startsWith("progress")) seen += 1;
        if (text.startsWith("done ")) summary = JSON.parse(text.slice(5)) as A;
        if (text.startsWith("error ")) stderr += text;
        if (killAfter !== undefined && seen >= killAfter && child.exitCode === null) {
          child.kill("SIGKILL");
        }
      }
    });
    child.on("error", fail);
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") done(undefined);
      else if (code === 0) done(summary);
      else fail(new Error(`the crash child exited with code ${code}: ${stderr}`));
    });
  });

/** Returns the status of every run in the ledger of a state folder. */
const runStatuses = (stateDir: string): ReadonlyArray<string> => {
  const ledger = Ledger.open(stateDir);
  try {
    return ledger.runs().map((run) => run.status);
  } finally {
    ledger.close();
  }
};

describe("Crash", () => {
  describe("runMigration killed with SIGKILL", () => {
    it("ends with exactly the expected records", async () => {
      const stateDir = tempFolder("ferry-crash-");
      const destinationDb = join(tempFolder("ferry-crash-dest-"), "destination.sqlite");
      const pipeline = makeToyPipeline();
      await recordApproval({
        stateDir,
        planHash: pipeline.planHash,
        approvedBy: "ana@example.test",
        approvedAt: "2026-01-01T00:00:00Z",
      });
      const args = [stateDir, destinationDb, String(COMPANIES)];
      const next = random(20_260_304);

      // A kill can land after the child marked the run finished and before it printed the
      // summary. Another start would then begin a second run, so the loop stops there and the
      // counts come from the ledger's checkpoints.
      let kills = 0;
      let summary: RunSummary | undefined;
      let finishedBeforeKill = false;
      while (kills < KILLS && summary === undefined && !finishedBeforeKill) {
        summary = await runChild(args, 1 + Math.floor(next() * 6));
        if (summary === undefined) {
          kills += 1;
          finishedBeforeKill = runStatuses(stateDir).includes("finished");
        }
      }
      if (!finishedBeforeKill) summary ??= await runChild(args, undefined);

      expect(kills).toBeGreaterThanOrEqual(10);
      if (summary !== undefined) expect(summary.resumed).toBe(true);

      const tables = toyTables(COMPANIES);
      const expected = Object.entries(tables)
        .flatMap(([kind, rows]) => rows.map((row) => `${kind}:${row?.id}`))
        .sort();
      const store = makeSqliteStore(destinationDb);
      const refs = refsOf(store.all());
      const ids = store.all().map((record) => `${record.kind}/${record.id}`);
      store.close();
      expect(refs).toEqual(expected);
      expect(new Set(ids).size).toBe(ids.length);

      const ledger = Ledger.open(stateDir);
      const loaded = ledger
        .checkpoints(1)
        .filter((checkpoint) => checkpoint.position >= FIRST_RECORD_PHASE)
        .reduce((sum, checkpoint) => sum + Number(checkpoint.counts?.loaded ?? 0), 0);
      expect(loaded).toBe(expected.length);
      if (summary !== undefined) {
        const reported = summary.phases.reduce((sum, phase) => sum + phase.counts.loaded, 0);
        expect(reported).toBe(expected.length);
      }
      expect(ledger.runs()).toHaveLength(1);
      expect(ledger.runs()[0]?.status).toBe("finished");
      expect(ledger.journal.allOpen()).toEqual([]);
      expect(ledger.idMapEntries()).toHaveLength(expected.length);
      ledger.close();
    }, 90_000);
  });

  describe("rollback killed with SIGKILL", () => {
    it("removes every record once resumed", async () => {
      const stateDir = tempFolder("ferry-crash-rollback-");
      const destinationDb = join(tempFolder("ferry-crash-rollback-dest-"), "destination.sqlite");
      const pipeline = makeToyPipeline();
      await recordApproval({
        stateDir,
        planHash: pipeline.planHash,
        approvedBy: "ana@example.test",
        approvedAt: "2026-01-01T00:00:00Z",
      });
      const companies = 10;
      await runChild([stateDir, destinationDb, String(companies)], undefined);
      const args = [stateDir, destinationDb, String(companies), "rollback"];
      const next = random(7);

      let kills = 0;
      let summary: RollbackSummary | undefined;
      while (kills < 10 && summary === undefined) {
        summary = await runChild<RollbackSummary>(args, 1 + Math.floor(next() * 3));
        if (summary === undefined) kills += 1;
      }
      summary ??= await runChild<RollbackSummary>(args, undefined);

      expect(kills).toBeGreaterThanOrEqual(5);
      // A child killed after its rollback finished leaves a next, empty rollback to the rerun.
      expect(summary?.finished).toBe(true);
      const store = makeSqliteStore(destinationDb);
      expect(store.all()).toEqual([]);
      store.close();
      const ledger = Ledger.open(stateDir);
      expect(ledger.idMapEntries()).toEqual([]);
      const rollbacks = Array.from({ length: summary?.rollbackId ?? 0 }, (_, i) =>
        ledger.rollbacks.get(i + 1),
      );
      expect(rollbacks.reduce((sum, row) => sum + (row?.removed ?? 0), 0)).toBe(companies * 7);
      expect(rollbacks.every((row) => row?.failures.length === 0)).toBe(true);
      ledger.close();
    }, 60_000);
  });
});
