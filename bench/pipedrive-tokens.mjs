// Benchmark of the Pipedrive destination's token spend. It starts a sandbox at the Lite limit
// with a time scale and writes N records of each kind through the built destination. It reports
// the tokens per record of each kind, as the sandbox charged them, beside the create cost of one
// record, and the 429s per 1,000 writes.
//
// Run `npm run build` first: this script imports the built packages. Options: --n=<records per
// kind> (default 300), --time-scale=<factor> (default 50). Results go to bench/results/.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { EnsureActivityType, EnsureLabel, EnsurePipeline } from "@ferry/core";
import { makePipedriveDestination, tokenCost } from "@ferry/dest-pipedrive";
import { startSandbox } from "@ferry/dest-pipedrive/sandbox";
import { Effect } from "effect";

const option = (name, fallback) => {
  const flag = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  return flag === undefined ? fallback : Number(flag.slice(name.length + 3));
};
const perKind = option("n", 300);
const timeScale = option("time-scale", 50);
const batchSize = 100;

const createPaths = {
  organization: ["POST", "/api/v2/organizations"],
  person: ["POST", "/api/v2/persons"],
  deal: ["POST", "/api/v2/deals"],
  lead: ["POST", "/api/v1/leads"],
  note: ["POST", "/api/v1/notes"],
  activity: ["POST", "/api/v2/activities"],
  file: ["POST", "/api/v1/files"],
};

/** Builds record `index` of a kind, linked to records written before it. */
const recordOf = (kind, index, ids, filePath) => {
  const ref = { kind: `bench-${kind}`, sourceId: String(index) };
  const pick = (list) => list[index % list.length];
  const base = { kind, ref, custom: {}, links: {} };
  switch (kind) {
    case "organization":
      return { ...base, fields: { name: `Org ${index}` } };
    case "person":
      return {
        ...base,
        fields: {
          name: `Person ${index}`,
          emails: [{ value: `p${index}@example.test`, label: "work", primary: true }],
        },
        links: { org_id: pick(ids.organization) },
      };
    case "deal":
      return {
        ...base,
        fields: {
          title: `Deal ${index}`,
          value: 100 + index,
          currency: "EUR",
          pipeline: "Bench",
          stage: "Open",
        },
        links: { person_id: pick(ids.person) },
      };
    case "lead":
      return {
        ...base,
        fields: { title: `Lead ${index}`, labels: ["Bench"] },
        links: { person_id: pick(ids.person) },
      };
    case "note":
      return {
        ...base,
        fields: { content: `<p>Note ${index}</p>`, add_time: "2024-01-02T03:04:05Z" },
        links: { deal_id: pick(ids.deal) },
      };
    case "activity":
      return {
        ...base,
        fields: { subject: `Call ${index}`, type: "Bench call", done: true },
        links: { deal_id: pick(ids.deal) },
      };
    default:
      return {
        ...base,
        fields: { path: filePath, name: `file-${index}.txt` },
        links: { deal_id: pick(ids.deal) },
      };
  }
};

const sandbox = await startSandbox({ plan: "lite", seats: 2, timeScale });
const folder = await mkdtemp(join(tmpdir(), "ferry-bench-"));
const filePath = join(folder, "attachment.txt");
await writeFile(filePath, "benchmark attachment\n");

try {
  const destination = await Effect.runPromise(
    makePipedriveDestination({
      baseUrl: sandbox.url,
      apiToken: sandbox.adminToken,
      plan: "lite",
      seats: 2,
      timeScale,
    }),
  );
  await Effect.runPromise(
    destination.applySchema([
      EnsurePipeline.make({ name: "Bench", stages: [{ name: "Open", probability: 50 }] }),
      EnsureLabel.make({ kind: "lead", name: "Bench" }),
      EnsureActivityType.make({ name: "Bench call" }),
    ]),
  );
  await Effect.runPromise(destination.describe());

  const ids = {};
  const rows = [];
  for (const kind of Object.keys(createPaths)) {
    sandbox.control.resetMetrics();
    const before = destination.stats();
    ids[kind] = [];
    const started = process.hrtime.bigint();
    for (let start = 0; start < perKind; start += batchSize) {
      const batch = [];
      for (let index = start; index < Math.min(perKind, start + batchSize); index++) {
        batch.push(recordOf(kind, index, ids, filePath));
      }
      const results = await Effect.runPromise(destination.write(kind, batch));
      for (const result of results) {
        if (result._tag !== "Written")
          throw new Error(`${kind} ${result.ref.sourceId}: ${result.message}`);
        ids[kind].push(result.id);
      }
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const metrics = sandbox.control.metrics();
    const after = destination.stats();
    const [method, path] = createPaths[kind];
    rows.push({
      kind,
      records: perKind,
      createCost: tokenCost(method, path),
      tokensPerRecord: metrics.tokens / perKind,
      clientTokensPerRecord: (after.tokensSpent - before.tokensSpent) / perKind,
      requestsPerRecord: metrics.requests / perKind,
      rateLimitedPer1000: (metrics.rateLimited / metrics.requests) * 1000,
      recordsPerSecond: Math.round(perKind / seconds),
    });
  }

  console.log(`Pipedrive sandbox, Lite plan, time scale ${timeScale}, ${perKind} records per kind`);
  console.table(rows);

  const resultsDir = fileURLToPath(new URL("./results/", import.meta.url));
  await mkdir(resultsDir, { recursive: true });
  const file = join(
    resultsDir,
    `pipedrive-tokens-${new Date().toISOString().replaceAll(":", "-").replace(".", "-")}.json`,
  );
  const machine = {
    node: process.version,
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? "unknown",
  };
  await writeFile(
    file,
    `${JSON.stringify({ plan: "lite", timeScale, perKind, machine, rows }, null, 2)}\n`,
  );
  console.log(`Wrote ${file}`);
} finally {
  await sandbox.close();
  await rm(folder, { recursive: true, force: true });
}
