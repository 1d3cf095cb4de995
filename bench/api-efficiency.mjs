// Benchmark of the Pipedrive token spend of whole migrations: the bundled sample export and a
// generated export of 10,000 leads go through the reference pipeline into
// a sandbox on 127.0.0.1, then get verified. It reports tokens per record per kind, the tokens
// of schema setup and of verification, and the ratio of the tokens spent to the minimum: one
// create per record the plan loads, at its endpoint's cost, plus the schema writes.
//
// Run `npm run build` first: this script imports the built packages. The sandbox's metrics are
// the token count. Options: --leads=<n> (the generated size), --time-scale=<factor>
// (default 20). The sandbox plays Premium with 10 seats, so the daily budget never interrupts.
import { measuredMigration, tokenAccount } from "./lib/migration.mjs";
import { numberOption } from "./lib/options.mjs";
import { markdownTable, writeResult } from "./lib/results.mjs";
import { openWorld, sampleExport } from "./lib/world.mjs";

const leads = numberOption("leads", 10_000);
const timeScale = numberOption("time-scale", 20);
const exports = [
  { name: "sample export", copyFrom: sampleExport },
  { name: `${leads} leads`, leads },
];

const runs = [];
for (const spec of exports) {
  process.stderr.write(`api-efficiency: ${spec.name}\n`);
  const world = await openWorld({ ...spec, plan: "premium", seats: 10, timeScale });
  try {
    const run = await measuredMigration(world);
    runs.push({ export: spec.name, ...run, account: tokenAccount(run) });
  } finally {
    await world.close();
  }
}

const kindColumns = [
  ["kind", "kind"],
  ["records", "records"],
  ["create cost", "createCost"],
  ["tokens", "tokens"],
  ["tokens/record", "tokensPerRecord"],
  ["requests/record", "requestsPerRecord"],
];
for (const run of runs) {
  process.stdout.write(`Tokens per record, ${run.export}\n\n`);
  process.stdout.write(`${markdownTable(kindColumns, run.account.kinds)}\n\n`);
}

/** One summary line per figure, one column per export. */
const figures = [
  ["load tokens", (run) => run.account.loadTokens],
  ["schema setup (writes)", (run) => run.account.schemaWrites],
  ["schema reads (describe)", (run) => run.account.schemaReads],
  ["minimum (creates + schema writes)", (run) => run.account.minimum],
  ["load / minimum", (run) => run.account.loadRatio.toFixed(3)],
  ["verification tokens", (run) => run.account.verifyTokens],
  ["verification / load", (run) => `${(run.account.verifyShare * 100).toFixed(1)} %`],
  ["(load + verification) / minimum", (run) => run.account.totalRatio.toFixed(3)],
  ["429s", (run) => run.load.rateLimited + run.verify.rateLimited],
  ["rows rejected / queued", (run) => `${run.rejected} / ${run.queued}`],
  ["verification differences", (run) => run.verification.differences],
  ["load wall time", (run) => `${run.loadSeconds.toFixed(1)} s`],
];
const summary = figures.map(([figure, value]) =>
  Object.fromEntries([["figure", figure], ...runs.map((run, i) => [`run${i}`, value(run)])]),
);
process.stdout.write(`Summary, Premium sandbox, time scale ${timeScale}\n\n`);
process.stdout.write(
  `${markdownTable(
    [["figure", "figure"], ...runs.map((run, i) => [run.export, `run${i}`])],
    summary,
  )}\n\n`,
);
process.stdout.write(
  `Wrote ${await writeResult("api-efficiency", { timeScale, plan: "premium", seats: 10, runs })}\n`,
);
