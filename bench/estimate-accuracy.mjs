// Benchmark of the estimate that discovery prints: the tokens and days it predicts for an
// export against what the migration and its verification spent in the sandbox, in total and
// by part. It reads the newest api-efficiency result under bench/results/, or with --run (or
// when there is none) migrates the sample export itself. Days are counted at the budget of a
// one-seat Lite account, 30,000 tokens a day.
//
// Run `npm run build` first: this script imports the built packages.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

import { measuredMigration, tokenAccount } from "./lib/migration.mjs";
import { flag } from "./lib/options.mjs";
import { markdownTable, resultsDir, writeResult } from "./lib/results.mjs";
import { openWorld, sampleExport } from "./lib/world.mjs";

const dailyBudget = 30_000;

const newestApiResult = async () => {
  const names = (await readdir(resultsDir).catch(() => []))
    .filter((name) => name.startsWith("api-efficiency-") && name.endsWith(".json"))
    .sort();
  const newest = names.at(-1);
  if (newest === undefined) return undefined;
  return { file: newest, ...JSON.parse(await readFile(join(resultsDir, newest), "utf8")) };
};

const ownRun = async () => {
  const world = await openWorld({
    copyFrom: sampleExport,
    plan: "premium",
    seats: 10,
    timeScale: 20,
  });
  try {
    const run = await measuredMigration(world, { dailyBudget });
    return {
      file: "this run",
      runs: [{ export: "sample export", ...run, account: tokenAccount(run) }],
    };
  } finally {
    await world.close();
  }
};

const from = (flag("run") ? undefined : await newestApiResult()) ?? (await ownRun());

const tokensOf = (account, kinds) =>
  account.kinds.filter((row) => kinds.includes(row.kind)).reduce((sum, row) => sum + row.tokens, 0);

/** Pairs each part of the estimate with what the run spent on it. */
const compareParts = (run) => {
  const parts = run.estimate.parts;
  const a = run.account;
  const pairs = [
    ["organizations", parts.organizations, tokensOf(a, ["organization"])],
    ["persons", parts.persons, tokensOf(a, ["person"])],
    ["leads", parts.leads, tokensOf(a, ["lead"])],
    ["deals", parts.deals, tokensOf(a, ["deal"])],
    ["notes", parts.notes, tokensOf(a, ["note"])],
    ["activities", parts.activities, tokensOf(a, ["activity"])],
    ["files", parts.files, tokensOf(a, ["file"])],
    ["schema setup", parts["schema setup"], a.schemaWrites],
    ["schema reads", parts["schema reads"], a.schemaReads],
    ["verification", parts.verification, a.verifyTokens],
  ];
  return pairs.map(([part, estimated, spent]) => ({
    part,
    estimated,
    spent,
    ratio: spent === 0 ? "" : (estimated / spent).toFixed(2),
  }));
};

const rows = from.runs.map((run) => {
  const spent = run.load.tokens + run.verify.tokens;
  return {
    export: run.export,
    estimated: run.estimate.tokens,
    spent,
    ratio: run.estimate.tokens / spent,
    estimatedDays: run.estimate.days,
    days: Math.max(1, Math.ceil(spent / dailyBudget)),
    parts: compareParts(run),
  };
});

process.stdout.write(
  `Estimate against spend (source: ${from.file}), days at ${dailyBudget} tokens\n\n`,
);
process.stdout.write(
  `${markdownTable(
    [
      ["export", "export"],
      ["estimated tokens", "estimated"],
      ["spent tokens", "spent"],
      ["estimate / spent", "ratio"],
      ["estimated days", "estimatedDays"],
      ["days at spend", "days"],
    ],
    rows,
  )}\n\n`,
);
for (const row of rows) {
  process.stdout.write(`By part, ${row.export}\n\n`);
  process.stdout.write(
    `${markdownTable(
      [
        ["part", "part"],
        ["estimated", "estimated"],
        ["spent", "spent"],
        ["estimate / spent", "ratio"],
      ],
      row.parts,
    )}\n\n`,
  );
}
process.stdout.write(
  `Wrote ${await writeResult("estimate-accuracy", { source: from.file, dailyBudget, rows })}\n`,
);
