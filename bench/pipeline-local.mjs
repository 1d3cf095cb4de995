// Benchmark of the local pipeline. Generated Flash Lead exports of 2,000, 10,000 and 100,000
// leads (and 1,000,000 with --full), with the activity log, contacts, invoices and threads in
// proportion, go through discovery, the plan and a dry-run migration, which stages and
// transforms and writes nothing. It reports rows per second, the ratio of the pipeline's time
// to bare fast-csv parsing of the same files, and peak RSS and heap. It also times the floor of
// a staged design (bench/lib/floor.mjs: parse, stage and plan the rows in SQLite with nothing
// else), so the pipeline's ratio can be read against the minimum cost of a ledger-backed run.
//
// Run `npm run build` first: this script imports the built packages. The plan is proposed
// against a sandbox on 127.0.0.1, which the dry run only reads. Options: --full, --leads=<n>
// (one size instead). Pass --expose-gc to node for peaks that start from a collected heap.
import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";

import { parse } from "fast-csv";

import { discover, migrate } from "../examples/flashlead-to-pipedrive/dist/index.js";
import { Ledger } from "../packages/core/dist/index.js";
import { floorPipeline } from "./lib/floor.mjs";
import { measure } from "./lib/memory.mjs";
import { flag, numberOption } from "./lib/options.mjs";
import { markdownTable, mib, writeResult } from "./lib/results.mjs";
import { confirmPlan, openWorld } from "./lib/world.mjs";

const single = numberOption("leads", 0);
// The 1,000,000-lead case takes about ten times the 100,000-lead one, so it alone would use most
// of the 20 minutes that `npm run bench` may take on two cores: it is behind --full.
const defaultSizes = [2_000, 10_000, 100_000];
const sizes = single > 0 ? [single] : flag("full") ? [...defaultSizes, 1_000_000] : defaultSizes;

const csvFiles = async (folder) =>
  (await readdir(folder)).filter((name) => name.endsWith(".csv")).map((name) => join(folder, name));

/** Parses every CSV file of the export with fast-csv and nothing else, and returns the data rows. */
const bareParse = async (files) => {
  let rows = 0;
  for (const path of files) {
    rows += await new Promise((resolve, reject) => {
      let count = 0;
      createReadStream(path)
        .pipe(parse({ headers: false }))
        .on("data", () => {
          count += 1;
        })
        .on("error", reject)
        .on("end", () => resolve(count - 1));
    });
  }
  return rows;
};

/**
 * Splits a dry run's time by the ledger's checkpoints: staging, planning, the record phases
 * together, and the rest (opening the ledger, reading the schema, writing the reports).
 */
const phaseSeconds = (stateDir, runId, totalSeconds) => {
  const ledger = Ledger.open(stateDir);
  try {
    const started = Date.parse(ledger.run(runId).startedAt);
    const done = new Map(ledger.checkpoints(runId).map((c) => [c.phase, Date.parse(c.at)]));
    const staged = done.get("stage") ?? started;
    const planned = done.get("plan") ?? staged;
    const last = Math.max(planned, ...done.values());
    return {
      stage: (staged - started) / 1000,
      plan: (planned - staged) / 1000,
      records: (last - planned) / 1000,
      other: totalSeconds - (last - started) / 1000,
    };
  } finally {
    ledger.close();
  }
};

const results = [];
for (const leads of sizes) {
  process.stderr.write(`pipeline-local: generating ${leads} leads\n`);
  const world = await openWorld({ leads, plan: "premium", seats: 1, timeScale: 1 });
  try {
    const files = await csvFiles(world.exportDir);
    const bytes = (await Promise.all(files.map((path) => stat(path)))).reduce(
      (sum, s) => sum + s.size,
      0,
    );
    process.stderr.write(`pipeline-local: ${mib(bytes)} in ${files.length} files, parsing bare\n`);
    const bare = await measure(() => bareParse(files));
    process.stderr.write("pipeline-local: floor of a staged design\n");
    const floor = await measure(() => floorPipeline(files));

    process.stderr.write("pipeline-local: discovery\n");
    const discovered = await measure(() =>
      discover(world.exportDir, { ...world.options, dailyBudget: 30_000 }),
    );
    await confirmPlan(world);
    process.stderr.write("pipeline-local: dry-run migration\n");
    const dryRun = await measure(() => migrate(world.planPath, { ...world.options, dryRun: true }));

    const phases = phaseSeconds(world.stateDir, dryRun.result.summary.runId, dryRun.seconds);
    const staged = dryRun.result.summary.phases.reduce((sum, p) => sum + p.counts.read, 0);
    const seconds = discovered.seconds + dryRun.seconds;
    results.push({
      leads,
      files: files.length,
      bytes,
      sourceRows: bare.result,
      stagedRecords: staged,
      bareSeconds: bare.seconds,
      floorSeconds: floor.seconds,
      floorRatio: floor.seconds / bare.seconds,
      discoverSeconds: discovered.seconds,
      dryRunSeconds: dryRun.seconds,
      phaseSeconds: phases,
      rowsPerSecond: Math.round(bare.result / seconds),
      ratio: seconds / bare.seconds,
      discoverRatio: discovered.seconds / bare.seconds,
      dryRunRatio: dryRun.seconds / bare.seconds,
      barePeakRss: bare.peakRss,
      peakRss: Math.max(discovered.peakRss, dryRun.peakRss),
      peakHeap: Math.max(discovered.peakHeap, dryRun.peakHeap),
    });
  } finally {
    await world.close();
  }
}

const table = markdownTable(
  [
    ["leads", "leads"],
    ["CSV", "size"],
    ["source rows", "sourceRows"],
    ["staged records", "stagedRecords"],
    ["fast-csv s", "bare"],
    ["floor s", "floor"],
    ["floor / fast-csv", "floorRatio"],
    ["discover s", "discover"],
    ["dry run s", "dryRun"],
    ["rows/s", "rowsPerSecond"],
    ["time / fast-csv", "ratio"],
    ["peak RSS", "rss"],
    ["peak heap", "heap"],
  ],
  results.map((r) => ({
    ...r,
    size: mib(r.bytes),
    bare: r.bareSeconds.toFixed(1),
    floor: r.floorSeconds.toFixed(1),
    floorRatio: r.floorRatio.toFixed(2),
    discover: r.discoverSeconds.toFixed(1),
    dryRun: r.dryRunSeconds.toFixed(1),
    ratio: r.ratio.toFixed(2),
    rss: mib(r.peakRss),
    heap: mib(r.peakHeap),
  })),
);
process.stdout.write(`Local pipeline (discover + dry-run migration) against bare fast-csv\n\n`);
process.stdout.write(`${table}\n\n`);
const phaseTable = markdownTable(
  [
    ["leads", "leads"],
    ["discover s", "discover"],
    ["stage s", "stage"],
    ["plan s", "plan"],
    ["record phases s", "records"],
    ["schema read, reports, rest s", "other"],
  ],
  results.map((r) => ({
    leads: r.leads,
    discover: r.discoverSeconds.toFixed(1),
    stage: r.phaseSeconds.stage.toFixed(1),
    plan: r.phaseSeconds.plan.toFixed(1),
    records: r.phaseSeconds.records.toFixed(1),
    other: r.phaseSeconds.other.toFixed(1),
  })),
);
process.stdout.write(`Where the time goes, from the dry run's checkpoints\n\n${phaseTable}\n\n`);
process.stdout.write(`Wrote ${await writeResult("pipeline-local", { sizes, results })}\n`);
