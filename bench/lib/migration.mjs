// One measured migration through the reference pipeline into a sandbox: discovery with its
// estimate, the plan, the load and the verification. The sandbox's metrics count requests,
// tokens and 429s, and the ledger's id map gives the records per destination kind.
import { Ledger } from "@ferry/core";
import { tokenCost } from "@ferry/dest-pipedrive";

import { discover, migrate, verifyRun } from "../../examples/flashlead-to-pipedrive/dist/index.js";
import { confirmPlan } from "./world.mjs";

/** The create endpoint of each destination kind, as the sandbox's metrics name it. */
export const createEndpoints = {
  organization: ["POST", "v2", "/organizations"],
  person: ["POST", "v2", "/persons"],
  deal: ["POST", "v2", "/deals"],
  lead: ["POST", "v1", "/leads"],
  note: ["POST", "v1", "/notes"],
  activity: ["POST", "v2", "/activities"],
  file: ["POST", "v1", "/files"],
};

/** Templates of the endpoints that read or change the account's schema rather than records. */
const schemaTemplates = [
  "/users",
  "/pipelines",
  "/stages",
  "/leadLabels",
  "/activityTypes",
  "/organizationFields",
  "/personFields",
  "/dealFields",
  "/leadFields",
  "/activityFields",
];

const isSchema = (endpoint) =>
  schemaTemplates.some((template) => endpoint.template.startsWith(template));

/** Returns the record kind an endpoint's template belongs to, such as `person` for `/persons/{id}`. */
const kindOf = (endpoint) => {
  const path = endpoint.template.replace(/^\/(api\/)?(v1|v2)/, "");
  const entry = Object.entries(createEndpoints).find(([, [, , template]]) =>
    path.startsWith(template),
  );
  return entry?.[0] ?? "other";
};

const createCost = (kind) => {
  const [method, version, template] = createEndpoints[kind];
  return tokenCost(method, version === "v1" ? `/v1${template}` : `/api/v2${template}`) ?? 0;
};

/** Splits the sandbox's endpoint metrics into schema writes, schema reads and record kinds. */
export const splitMetrics = (metrics) => {
  const parts = { schemaWrites: 0, schemaReads: 0, byKind: {} };
  for (const endpoint of metrics.endpoints) {
    if (isSchema(endpoint)) {
      if (endpoint.method === "GET") parts.schemaReads += endpoint.tokens;
      else parts.schemaWrites += endpoint.tokens;
      continue;
    }
    const kind = kindOf(endpoint);
    parts.byKind[kind] ??= { tokens: 0, requests: 0 };
    const entry = parts.byKind[kind];
    entry.tokens += endpoint.tokens;
    entry.requests += endpoint.requests;
  }
  return parts;
};

const countBy = (items, key) => {
  const counts = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
};

const recordsByKind = (stateDir) => {
  const ledger = Ledger.open(stateDir);
  try {
    const counts = {};
    for (const entry of ledger.idMapEntries()) {
      counts[entry.destKind] = (counts[entry.destKind] ?? 0) + 1;
    }
    return counts;
  } finally {
    ledger.close();
  }
};

/**
 * Runs discovery, the plan, the migration and the verification in `world`, and returns the
 * estimate, the metrics of the load and of the verification, the records per kind and the
 * wall times. `onLoadStart` and `onLoadEnd` run just before and after the load.
 */
export const measuredMigration = async (world, { dailyBudget, onLoadStart, onLoadEnd } = {}) => {
  const discovered = await discover(world.exportDir, {
    ...world.options,
    dailyBudget: dailyBudget ?? 30_000,
  });
  await confirmPlan(world);

  world.sandbox.control.resetMetrics();
  onLoadStart?.();
  const loadStarted = process.hrtime.bigint();
  const migrated = await migrate(world.planPath, world.options);
  const loadSeconds = Number(process.hrtime.bigint() - loadStarted) / 1e9;
  onLoadEnd?.();
  const load = world.sandbox.control.metrics();

  world.sandbox.control.resetMetrics();
  const verifyStarted = process.hrtime.bigint();
  const verification = await verifyRun(world.options);
  const verifySeconds = Number(process.hrtime.bigint() - verifyStarted) / 1e9;
  const verify = world.sandbox.control.metrics();

  const records = recordsByKind(world.stateDir);
  const rejected = migrated.summary.phases.reduce((sum, p) => sum + p.counts.rejected, 0);
  const queued = migrated.summary.phases.reduce((sum, p) => sum + p.counts.queued, 0);
  return {
    estimate: discovered.estimate,
    summary: migrated.summary,
    records,
    rejected,
    queued,
    load,
    verify,
    verification: {
      records: verification.records,
      differences: verification.differences.length,
      differencesByField: countBy(verification.differences, (d) => `${d.kind}.${d.field}`),
    },
    loadSeconds,
    verifySeconds,
  };
};

/**
 * Computes the token account of a measured migration: tokens per record per kind, schema
 * setup, verification, and the ratio of the load to its minimum (one create per loaded record at its
 * endpoint's cost, plus the schema writes).
 */
export const tokenAccount = (run) => {
  const split = splitMetrics(run.load);
  const kinds = Object.keys(run.records).map((kind) => {
    const records = run.records[kind];
    const spent = split.byKind[kind] ?? { tokens: 0, requests: 0 };
    return {
      kind,
      records,
      createCost: createCost(kind),
      tokens: spent.tokens,
      tokensPerRecord: spent.tokens / records,
      requestsPerRecord: spent.requests / records,
    };
  });
  const creates = kinds.reduce((sum, row) => sum + row.records * row.createCost, 0);
  const minimum = creates + split.schemaWrites;
  const other = split.byKind.other?.tokens ?? 0;
  return {
    kinds,
    schemaWrites: split.schemaWrites,
    schemaReads: split.schemaReads,
    otherTokens: other,
    loadTokens: run.load.tokens,
    minimum,
    loadRatio: run.load.tokens / minimum,
    verifyTokens: run.verify.tokens,
    verifyShare: run.verify.tokens / run.load.tokens,
    totalRatio: (run.load.tokens + run.verify.tokens) / minimum,
  };
};
