// Benchmark of the Flash Lead source: reads a generated leads file of 100,000 rows (and of
// 1,000,000 with --full) through bare fast-csv, through the source's Promise reader, through
// the source's Effect stream (what the runner consumes), and through `discover` (the audit).
// It reports rows per second, each as a ratio to fast-csv's, and the peak RSS and heap of the
// reader.
//
// The four reads take turns, --runs=<n> times each (3 by default), and the table shows the
// median time of each, because one run on a shared machine varies by a factor of 1.5 or more.
// The CPU columns give the median process CPU seconds (user and system, all threads, so garbage
// collection on helper threads is included) and vary less with load than wall time.
//
// Run `npm run build` first: this script imports the built packages. Pass --expose-gc to node
// for peak figures that start from a collected heap. Results go to bench/results/.
import { createReadStream } from "node:fs";
import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { makeFlashLeadReader, makeFlashLeadSource } from "@ferry/source-flashlead";
import { generateExport } from "@ferry/source-flashlead/generator";
import { Chunk, Effect, Stream } from "effect";
import { parse } from "fast-csv";

import { numberOption } from "./lib/options.mjs";

const sizes = process.argv.includes("--full") ? [100_000, 1_000_000] : [100_000];
const runs = numberOption("runs", 3);

/** Runs a task while sampling memory every 20 ms, and returns its times and peaks. */
const measure = async (task) => {
  globalThis.gc?.();
  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  }, 20);

  const cpuStart = process.cpuUsage();
  const started = process.hrtime.bigint();
  const rows = await task();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  clearInterval(sampler);
  return { rows, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRss, peakHeap };
};

const bareFastCsv = (path) =>
  new Promise((resolve, reject) => {
    let rows = 0;
    createReadStream(path)
      .pipe(parse({ headers: false }))
      .on("data", () => {
        rows += 1;
      })
      .on("error", reject)
      .on("end", () => resolve(rows - 1));
  });

const throughReader = async (folder) => {
  let rows = 0;
  for await (const _item of makeFlashLeadReader({ folder }).read("lead")) rows += 1;
  return rows;
};

const throughStream = (folder) => {
  const chunks = Stream.chunks(makeFlashLeadSource({ folder }).read("lead"));
  return Effect.runPromise(Stream.runFold(chunks, 0, (rows, chunk) => rows + Chunk.size(chunk)));
};

const throughDiscover = async (folder) => {
  const inventory = await makeFlashLeadReader({ folder }).discover();
  const lead = inventory.objects.find((object) => object.kind === "lead");
  return (lead?.recordCount ?? 0) + (lead?.rejectedCount ?? 0);
};

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Reduces the runs of one task to its row count, median times and highest peaks. */
const summarize = (samples) => ({
  rows: samples[0].rows,
  seconds: median(samples.map((s) => s.seconds)),
  cpuSeconds: median(samples.map((s) => s.cpuSeconds)),
  rowsPerSecond: Math.round(samples[0].rows / median(samples.map((s) => s.seconds))),
  peakRss: Math.max(...samples.map((s) => s.peakRss)),
  peakHeap: Math.max(...samples.map((s) => s.peakHeap)),
});

const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

const results = [];
for (const leads of sizes) {
  const folder = await mkdtemp(join(tmpdir(), "ferry-bench-"));
  try {
    await generateExport({ folder, leads, seed: 1, messy: true, kinds: ["lead"] });
    const path = join(folder, "leads.csv");
    const bytes = (await stat(path)).size;
    const tasks = {
      bare: () => bareFastCsv(path),
      reader: () => throughReader(folder),
      stream: () => throughStream(folder),
      discover: () => throughDiscover(folder),
    };

    const samples = { bare: [], reader: [], stream: [], discover: [] };
    for (let run = 0; run < runs; run += 1) {
      for (const [name, task] of Object.entries(tasks)) samples[name].push(await measure(task));
    }
    const [bare, source, stream, discover] = ["bare", "reader", "stream", "discover"].map((name) =>
      summarize(samples[name]),
    );
    for (const [name, summary] of Object.entries({ source, stream, discover })) {
      if (summary.rows !== bare.rows) {
        throw new Error(
          `${name} counted ${summary.rows} rows but fast-csv read ${bare.rows}, so the source lost or added rows`,
        );
      }
    }
    const ratio = (summary) => summary.rowsPerSecond / bare.rowsPerSecond;
    results.push({ leads, bytes, runs, bare, source, stream, discover, ratio: ratio(source) });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

const lines = [
  "| leads | file | fast-csv rows/s | source rows/s | ratio | source peak RSS | source peak heap |",
  "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ...results.map(
    (r) =>
      `| ${r.leads} | ${mib(r.bytes)} | ${r.bare.rowsPerSecond} | ${r.source.rowsPerSecond} | ${r.ratio.toFixed(2)} | ${mib(r.source.peakRss)} | ${mib(r.source.peakHeap)} |`,
  ),
  "",
  "| leads | runs | read | rows/s | ratio | median s | median CPU s | CPU ratio | peak RSS |",
  "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ...results.flatMap((r) =>
    [
      ["fast-csv", r.bare],
      ["reader", r.source],
      ["stream", r.stream],
      ["discover", r.discover],
    ].map(
      ([name, s]) =>
        `| ${r.leads} | ${r.runs} | ${name} | ${s.rowsPerSecond} | ${(s.rowsPerSecond / r.bare.rowsPerSecond).toFixed(2)} | ${s.seconds.toFixed(2)} | ${s.cpuSeconds.toFixed(2)} | ${(r.bare.cpuSeconds / s.cpuSeconds).toFixed(2)} | ${mib(s.peakRss)} |`,
    ),
  ),
];
process.stdout.write(`${lines.join("\n")}\n`);

const folder = fileURLToPath(new URL("./results/", import.meta.url));
await mkdir(folder, { recursive: true });
const machine = { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? "unknown" };
const file = join(folder, `source-read-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
await writeFile(file, `${JSON.stringify({ machine, results }, null, 2)}\n`);
process.stdout.write(`written to ${file}\n`);
