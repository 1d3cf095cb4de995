// Benchmark of the Flash Lead source: reads a generated leads file of 100,000 rows (and of
// 1,000,000 with --full) through the built source and through bare fast-csv, and reports
// rows per second, peak RSS and heap, and the source's throughput as a ratio to fast-csv's.
//
// Run `npm run build` first: this script imports the built packages. Pass --expose-gc to node
// for peak figures that start from a collected heap. Results go to bench/results/.
import { createReadStream } from "node:fs";
import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { makeFlashLeadReader } from "@ferry/source-flashlead";
import { generateExport } from "@ferry/source-flashlead/generator";
import { parse } from "fast-csv";

const sizes = process.argv.includes("--full") ? [100_000, 1_000_000] : [100_000];

/** Runs a task while sampling memory every 20 ms, and returns its time and peaks. */
const measure = async (task) => {
  globalThis.gc?.();
  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  }, 20);

  const started = process.hrtime.bigint();
  const rows = await task();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  return { rows, seconds, rowsPerSecond: Math.round(rows / seconds), peakRss, peakHeap };
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

const throughSource = async (folder) => {
  let rows = 0;
  for await (const _item of makeFlashLeadReader({ folder }).read("lead")) rows += 1;
  return rows;
};

const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

const results = [];
for (const leads of sizes) {
  const folder = await mkdtemp(join(tmpdir(), "ferry-bench-"));
  try {
    await generateExport({ folder, leads, seed: 1, messy: true, kinds: ["lead"] });
    const path = join(folder, "leads.csv");
    const bytes = (await stat(path)).size;
    const bare = await measure(() => bareFastCsv(path));
    const source = await measure(() => throughSource(folder));
    results.push({ leads, bytes, bare, source, ratio: source.rowsPerSecond / bare.rowsPerSecond });
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
];
process.stdout.write(`${lines.join("\n")}\n`);

const folder = fileURLToPath(new URL("./results/", import.meta.url));
await mkdir(folder, { recursive: true });
const machine = { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? "unknown" };
const file = join(folder, `source-read-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
await writeFile(file, `${JSON.stringify({ machine, results }, null, 2)}\n`);
process.stdout.write(`written to ${file}\n`);
