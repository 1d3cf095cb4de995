// Benchmark of the Flash Lead source on files with one huge cell: a notes cell of 5 MiB and of
// 50 MiB, plain and quoted, between two normal rows (scripts/make-corpus.mjs writes them). The
// source drops a cell over its 1 MiB limit before fast-csv, so its time should follow the file
// size. With --fast-csv, bare fast-csv 5 also reads the 5 MiB files, for comparison.
//
// Run `npm run build` first: this script imports the built packages. Pass --expose-gc to node
// for peak figures that start from a collected heap. Results go to bench/results/.
import { execFileSync } from "node:child_process";
import { createReadStream } from "node:fs";
import { mkdtemp, rename, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { makeFlashLeadReader } from "@ferry/source-flashlead";
import { parse } from "fast-csv";
import { measure } from "./lib/memory.mjs";
import { flag } from "./lib/options.mjs";
import { markdownTable, mib, repoRoot, writeResult } from "./lib/results.mjs";

const files = [
  "huge-cell-5mb.csv",
  "huge-quoted-cell-5mb.csv",
  "huge-cell-50mb.csv",
  "huge-quoted-cell-50mb.csv",
];
const withFastCsv = flag("fast-csv");

/** Counts the items the source reads from a folder, by tag. */
const throughSource = async (folder) => {
  const counts = { SourceRecord: 0, Rejection: 0 };
  for await (const item of makeFlashLeadReader({ folder }).read("lead")) counts[item._tag] += 1;
  return counts;
};

/** Counts the rows bare fast-csv parses from a file, header included. */
const bareFastCsv = (path) =>
  new Promise((resolve, reject) => {
    let rows = 0;
    createReadStream(path)
      .pipe(parse({ headers: false }))
      .on("data", () => {
        rows += 1;
      })
      .on("error", reject)
      .on("end", () => resolve(rows));
  });

const rows = [];
for (const name of files) {
  const folder = await mkdtemp(join(tmpdir(), "ferry-bench-huge-"));
  try {
    execFileSync(process.execPath, [join(repoRoot, "scripts/make-corpus.mjs"), folder, name]);
    const path = join(folder, "leads.csv");
    await rename(join(folder, name), path);
    const bytes = (await stat(path)).size;

    const source = await measure(() => throughSource(folder));
    const row = {
      file: name,
      size: mib(bytes),
      records: source.result.SourceRecord,
      rejections: source.result.Rejection,
      seconds: source.seconds,
      mibPerSecond: bytes / 2 ** 20 / source.seconds,
      peakRss: mib(source.peakRss),
      fastCsvSeconds: "",
    };
    if (withFastCsv && bytes < 10 * 2 ** 20) {
      row.fastCsvSeconds = (await measure(() => bareFastCsv(path))).seconds;
    }
    rows.push(row);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

const columns = [
  ["file", "file"],
  ["size", "size"],
  ["records", "records"],
  ["rejections", "rejections"],
  ["source s", "seconds"],
  ["source MiB/s", "mibPerSecond"],
  ["source peak RSS", "peakRss"],
  ["fast-csv 5 s", "fastCsvSeconds"],
];
process.stdout.write(`${markdownTable(columns, rows)}\n`);
const file = await writeResult("huge-cell", { rows });
process.stdout.write(`written to ${file}\n`);
