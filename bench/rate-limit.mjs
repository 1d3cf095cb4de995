// Benchmark of burst pacing: the sample export migrates into a sandbox at the Lite burst limit
// (20 requests per 2-second window) with its clock sped up by a time scale, so the window is
// 2/X seconds. It reports the requests per window that reached the sandbox against the limit,
// the 429s, and the load's wall time against the theoretical minimum (requests / limit windows).
//
// Run `npm run build` first: this script imports the built packages. Request arrivals are read
// from Node's HTTP diagnostics channel inside this process, where the sandbox runs. Options:
// --time-scale=<factor> (default 2, so 20 requests per second), --leads=<n> (a generated
// export instead of the sample), --seats=<n> (default 5, so the Lite budget of 30,000 tokens
// per seat covers the run; seats scale only the budget, not the burst limit).
//
// The share depends on the machine's load, because the sandbox, the client and the runner share
// one event loop, so the header line prints the 1-minute load average before and after the run.
import { loadavg } from "node:os";

import { recordArrivals, windowStats } from "./lib/arrivals.mjs";
import { measuredMigration } from "./lib/migration.mjs";
import { numberOption } from "./lib/options.mjs";
import { markdownTable, writeResult } from "./lib/results.mjs";
import { openWorld, sampleExport } from "./lib/world.mjs";

const timeScale = numberOption("time-scale", 2);
const leads = numberOption("leads", 0);
const seats = numberOption("seats", 5);
const limit = 20;
const windowMs = 2000 / timeScale;

const loadBefore = loadavg()[0];
const spec = leads > 0 ? { leads } : { copyFrom: sampleExport };
const world = await openWorld({ ...spec, plan: "lite", seats, timeScale });
let result;
try {
  let recording;
  let arrivals = [];
  const run = await measuredMigration(world, {
    dailyBudget: 30_000 * seats,
    onLoadStart: () => {
      recording = recordArrivals();
    },
    onLoadEnd: () => {
      arrivals = recording.stop();
    },
  });
  const stats = windowStats(arrivals, windowMs, limit);
  const minimumSeconds = (run.load.requests / limit) * (windowMs / 1000);
  result = {
    export: leads > 0 ? `${leads} leads` : "sample export",
    plan: "lite",
    seats,
    timeScale,
    limit,
    windowMs,
    ...stats,
    shareOfLimit: stats.meanPerWindow / limit,
    rateLimited: run.load.rateLimited,
    rateLimitedByBurst: run.load.rateLimitedByBurst,
    rateLimitedByBudget: run.load.rateLimitedByBudget,
    loadSeconds: run.loadSeconds,
    apiSeconds: stats.spanMs / 1000,
    minimumSeconds,
    wallRatio: run.loadSeconds / minimumSeconds,
    apiRatio: stats.spanMs / 1000 / minimumSeconds,
    records: run.records,
    loadAverageBefore: loadBefore,
    loadAverageAfter: loadavg()[0],
    endpoints: run.load.endpoints
      .map((e) => ({
        endpoint: `${e.method} ${e.version} ${e.template}`,
        requests: e.requests,
        tokens: e.tokens,
        statuses: Object.entries(e.statuses)
          .map(([status, n]) => `${status}: ${n}`)
          .join(", "),
      }))
      .sort((a, b) => b.requests - a.requests),
  };
} finally {
  await world.close();
}

process.stdout.write(
  `Rate limit: ${result.export}, Lite (${limit} requests per ${windowMs} ms window, time scale ${timeScale}), load average ${result.loadAverageBefore.toFixed(1)} before and ${result.loadAverageAfter.toFixed(1)} after\n\n`,
);
process.stdout.write(
  `${markdownTable(
    [
      ["requests", "requests"],
      ["mean/window", "mean"],
      ["max/window", "maxPerWindow"],
      ["limit", "limit"],
      ["mean / limit", "share"],
      ["windows full / ≥ half / < half / empty", "full"],
      ["429s", "rateLimited"],
      ["load s", "load"],
      ["requests span s", "api"],
      ["minimum s", "minimum"],
      ["load / minimum", "wall"],
      ["span / minimum", "apiRatio"],
    ],
    [
      {
        ...result,
        mean: result.meanPerWindow.toFixed(1),
        share: result.shareOfLimit.toFixed(3),
        full: `${result.fullWindows} / ${result.halfFullWindows} / ${result.lowWindows} / ${result.emptyWindows} of ${result.windows}`,
        load: result.loadSeconds.toFixed(1),
        api: result.apiSeconds.toFixed(1),
        minimum: result.minimumSeconds.toFixed(1),
        wall: result.wallRatio.toFixed(2),
        apiRatio: result.apiRatio.toFixed(2),
      },
    ],
  )}\n\n`,
);
process.stdout.write(`Requests of the load by endpoint\n\n`);
process.stdout.write(
  `${markdownTable(
    [
      ["endpoint", "endpoint"],
      ["requests", "requests"],
      ["tokens", "tokens"],
      ["statuses", "statuses"],
    ],
    result.endpoints,
  )}\n\n`,
);
process.stdout.write(`Wrote ${await writeResult("rate-limit", result)}\n`);
