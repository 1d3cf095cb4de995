// Crash harness: `ferry migrate` in a child process (`node examples/flashlead-to-pipedrive/bin/
// ferry.js` over the built packages) is killed with SIGKILL at seeded points and started again,
// over and over, until the migration ends. The harness then compares the sandbox record by record
// with a migration that was never killed, and the ledger's id map with the sandbox.
//
// Run `npm run build` first. Options: --leads=<n> (default 150), --kills=<n> (default 150),
// --seed=<n> (default 1), --time-scale=<x> (default 20), --max-writes=<n> (default 8). Four
// kills in five land after 1 to --max-writes writes, the others within the child's first 9
// requests. When a child ends the migration before --kills kills, the loop stops there. It
// prints each kill and a summary, and writes JSON to bench/results/crash-harness-<date>.json.
// The exit code is 1 when the final state differs from the expected one, or when the last run
// exits with another code than the run without kills.
//
// Do not rebuild the packages while it runs. A child that starts while tsup rewrites a `dist`
// folder fails to import (ERR_MODULE_NOT_FOUND) and exits with 1, which ends the loop with the
// migration unfinished, so the records it had not yet written count as missing.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { Ledger, recordApproval } from "@ferry/core";
import { startSandbox } from "@ferry/dest-pipedrive/sandbox";
import { loadPlan, planHash, writePlan } from "@ferry/mapping";
import { generateExport } from "@ferry/source-flashlead/generator";

import { confirm, propose } from "../examples/flashlead-to-pipedrive/dist/index.js";
import { numberOption } from "./lib/options.mjs";
import { markdownTable, repoRoot, writeResult } from "./lib/results.mjs";

const leads = numberOption("leads", 150);
const targetKills = numberOption("kills", 150);
const seed = numberOption("seed", 1);
const timeScale = numberOption("time-scale", 20);
const maxWrites = numberOption("max-writes", 8);
const ferryBin = join(repoRoot, "examples/flashlead-to-pipedrive/bin/ferry.js");

/** A seeded pseudo-random generator of numbers in [0, 1) (mulberry32). */
const seededRandom = (start) => {
  let state = start >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
};

const envOf = (sandbox) => ({
  PATH: process.env.PATH,
  PIPEDRIVE_BASE_URL: sandbox.url,
  PIPEDRIVE_API_TOKEN: sandbox.adminToken,
  PIPEDRIVE_PLAN: "premium",
  FERRY_TIME_SCALE: String(timeScale),
});

const writeMethods = new Set(["POST", "PATCH", "PUT", "DELETE"]);
const counts = (sandbox) => {
  let requests = 0;
  let writes = 0;
  for (const endpoint of sandbox.control.metrics().endpoints) {
    requests += endpoint.requests;
    if (writeMethods.has(endpoint.method)) writes += endpoint.requests;
  }
  return { requests, writes };
};

/** Runs `ferry migrate` once; kills it at `killAt` (`{ requests }` or `{ writes }`) if given. */
const runChild = (sandbox, planPath, stateDir, killAt) =>
  new Promise((resolve, reject) => {
    const start = counts(sandbox);
    const child = spawn(process.execPath, [ferryBin, "migrate", planPath, "--state", stateDir], {
      env: envOf(sandbox),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    let killed = false;
    const watch =
      killAt === undefined
        ? undefined
        : setInterval(() => {
            const now = counts(sandbox);
            const reached =
              killAt.requests !== undefined
                ? now.requests - start.requests >= killAt.requests
                : now.writes - start.writes >= killAt.writes;
            if (!killed && reached) {
              killed = true;
              child.kill("SIGKILL");
            }
          }, 2);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (watch !== undefined) clearInterval(watch);
      const now = counts(sandbox);
      resolve({
        killed: signal === "SIGKILL",
        code,
        output,
        requests: now.requests - start.requests,
        writes: now.writes - start.writes,
      });
    });
  });

// --- Canonical records: the same reduction as the reliability tests' CanonicalState.ts. ---

const recordCollections = ["organizations", "persons", "deals", "leads", "notes", "activities"];
const volatileKeys = new Set([
  "id",
  "update_time",
  "marked_as_done_time",
  "cc_email",
  "next_activity_id",
  "picture_id",
]);
const userKeys = new Set([
  "owner_id",
  "user_id",
  "creator_id",
  "creator_user_id",
  "last_update_user_id",
]);
const linkKeys = {
  org_id: "organizations",
  organization_id: "organizations",
  person_id: "persons",
  deal_id: "deals",
  lead_id: "leads",
  activity_id: "activities",
};
const htmlMarker = /<!-- ferry-source-id:([^ ]+) -->/;
const writtenRecently = (value) => {
  if (typeof value !== "string") return false;
  const time = Date.parse(value.includes("T") ? value : `${value.replace(" ", "T")}Z`);
  return Number.isFinite(time) && Math.abs(Date.now() - time) < 86_400_000;
};

const canonicalState = (state) => {
  const rows = (name) => state.collections[name];
  const fields = rows("fields").filter((field) => field.is_deleted !== true);
  const fieldByCode = new Map(fields.map((field) => [String(field.field_code), field]));
  const markerCodes = new Set(
    fields.filter((f) => f.field_name === "Ferry source id").map((f) => String(f.field_code)),
  );
  const markerOf = (row) => {
    for (const text of [row.content, row.note]) {
      const match = typeof text === "string" ? htmlMarker.exec(text) : null;
      if (match) return decodeURIComponent(match[1]);
    }
    for (const [code, value] of Object.entries(row.custom_fields ?? row.custom ?? {})) {
      if (markerCodes.has(code) && typeof value === "string") return value;
    }
    return undefined;
  };
  const users = new Map(rows("users").map((user) => [user.id, user.email]));
  const labels = new Map(rows("leadLabels").map((label) => [label.id, label.name]));
  const pipelines = new Map(rows("pipelines").map((p) => [p.id, p.name]));
  const stages = new Map(
    rows("stages").map((s) => [s.id, `${pipelines.get(s.pipeline_id)}/${s.name}`]),
  );
  const markers = new Map(
    recordCollections.map((name) => [name, new Map(rows(name).map((r) => [r.id, markerOf(r)]))]),
  );
  const option = (field, value) => {
    const options = field?.options;
    if (!Array.isArray(options)) return value;
    const label = (id) => options.find((o) => o.id === Number(id))?.label ?? id;
    if (Array.isArray(value)) return value.map(label).map(String).sort();
    return typeof value === "number" || /^\d+$/.test(String(value)) ? label(value) : value;
  };
  const canonical = (collection, key, value) => {
    if (value === null || value === undefined) return value;
    if (key.endsWith("_time") && writtenRecently(value)) return "time of the write";
    if (userKeys.has(key)) return users.get(value) ?? `user ${value}`;
    if (linkKeys[key] !== undefined)
      return markers.get(linkKeys[key]).get(value) ?? `missing ${value}`;
    if (key === "stage_id") return stages.get(value);
    if (key === "pipeline_id") return pipelines.get(value);
    if (key === "label_ids" && collection === "leads")
      return value.map((id) => labels.get(id)).sort();
    if (key === "participants") {
      return value.map((p) => ({ ...p, person_id: markers.get("persons").get(p.person_id) }));
    }
    if (key === "custom_fields" || key === "custom") {
      return Object.fromEntries(
        Object.entries(value)
          .filter(([code]) => !markerCodes.has(code))
          .map(([code, v]) => [
            fieldByCode.get(code)?.field_name ?? code,
            option(fieldByCode.get(code), v),
          ])
          .sort(([a], [b]) => a.localeCompare(b)),
      );
    }
    return value;
  };

  const records = new Map();
  const duplicates = [];
  const unmarked = [];
  for (const collection of recordCollections) {
    for (const row of rows(collection)) {
      if (row.is_deleted === true || row.active_flag === false) continue;
      const marker = markerOf(row);
      if (marker === undefined) {
        unmarked.push(`${collection} ${row.id}`);
        continue;
      }
      const key = `${collection} ${marker}`;
      const entries = Object.entries(row)
        .filter(([name]) => !volatileKeys.has(name))
        .map(([name, value]) => [name, canonical(collection, name, value)])
        .sort(([a], [b]) => a.localeCompare(b));
      if (records.has(key)) duplicates.push(key);
      records.set(key, JSON.stringify(Object.fromEntries(entries)));
    }
  }
  const customFields = fields
    .filter((f) => f.is_custom_field === true)
    .map((f) => `${f.entity}/${f.field_name}`)
    .sort();
  return { records, duplicates, unmarked, customFields };
};

/** Differences between the final state and the expected one, and id map entries that are wrong. */
const differences = (actual, expected, idMap, state) => {
  const missing = [...expected.records.keys()].filter((key) => !actual.records.has(key));
  const extra = [...actual.records.keys()].filter((key) => !expected.records.has(key));
  const changed = [...expected.records.keys()].filter(
    (key) => actual.records.has(key) && actual.records.get(key) !== expected.records.get(key),
  );
  const collectionOf = {
    organization: "organizations",
    person: "persons",
    deal: "deals",
    lead: "leads",
    note: "notes",
    activity: "activities",
  };
  const live = new Set();
  for (const collection of recordCollections) {
    for (const row of state.collections[collection]) {
      if (row.is_deleted !== true && row.active_flag !== false) live.add(`${collection} ${row.id}`);
    }
  }
  const mapped = new Set(idMap.map((e) => `${collectionOf[e.destKind] ?? e.destKind} ${e.destId}`));
  const idMapDangling = [...mapped].filter((key) => !live.has(key));
  const idMapMissing = [...live].filter((key) => !mapped.has(key));
  const fieldsDiffer =
    JSON.stringify(actual.customFields) === JSON.stringify(expected.customFields)
      ? []
      : ["custom fields"];
  return {
    missing,
    extra,
    changed,
    duplicates: actual.duplicates,
    unmarked: actual.unmarked,
    idMapDangling,
    idMapMissing,
    fieldsDiffer,
  };
};

// --- The run. ---

const root = mkdtempSync(join(tmpdir(), "ferry-crash-harness-"));
const exportDir = join(root, "export");
const planPath = join(root, "plan.yaml");
await generateExport({ folder: exportDir, leads, seed: 7 });

const proposer = await startSandbox({ plan: "premium", timeScale });
const proposeOptions = { stateDir: join(root, "proposal"), env: envOf(proposer) };
await propose(exportDir, planPath, proposeOptions);
const draft = await loadPlan(planPath);
await writePlan(planPath, {
  ...draft,
  owners: draft.owners.map((owner) =>
    owner.action === "queue"
      ? { ...owner, action: "map", user: "admin@ferry-sandbox.test", reason: "harness: the admin" }
      : owner,
  ),
});
await confirm(planPath, "crash harness", proposeOptions);
await proposer.close();
const hash = planHash(await loadPlan(planPath));
const approve = (stateDir) =>
  recordApproval({
    stateDir,
    planHash: hash,
    approvedBy: "crash harness",
    approvedAt: new Date().toISOString(),
  });

const baselineSandbox = await startSandbox({ plan: "premium", timeScale });
const baselineDir = join(root, "baseline");
await approve(baselineDir);
const baselineStarted = Date.now();
const baselineRun = await runChild(baselineSandbox, planPath, baselineDir, undefined);
const baselineSeconds = (Date.now() - baselineStarted) / 1000;
// Exit code 1 means the run finished with rejected or queued rows, so it is still a baseline
// for the killed runs. A generated export without `messy` has no such rows.
if (baselineRun.code !== 0 && baselineRun.code !== 1) {
  throw new Error(`the baseline run failed:\n${baselineRun.output}`);
}
const expected = canonicalState(baselineSandbox.control.snapshot());
const baselineWrites = counts(baselineSandbox).writes;
await baselineSandbox.close();

const sandbox = await startSandbox({ plan: "premium", timeScale });
const stateDir = join(root, "crash");
await approve(stateDir);
const random = seededRandom(seed);
const kills = [];
const started = Date.now();
let finished;
while (finished === undefined) {
  const killAt =
    kills.length >= targetKills
      ? undefined
      : random() < 0.2
        ? { requests: 1 + Math.floor(random() * 9) }
        : { writes: 1 + Math.floor(random() * maxWrites) };
  const end = await runChild(sandbox, planPath, stateDir, killAt);
  if (end.killed) {
    kills.push({ at: killAt, requests: end.requests, writes: end.writes });
    process.stdout.write(
      `kill ${kills.length}: after ${end.requests} requests, ${end.writes} writes (${JSON.stringify(killAt)})\n`,
    );
  } else {
    finished = end;
  }
}
const seconds = (Date.now() - started) / 1000;

const state = sandbox.control.snapshot();
const ledger = Ledger.open(stateDir);
const idMap = ledger.idMapEntries();
ledger.close();
const found = differences(canonicalState(state), expected, idMap, state);
const totalDifferences = Object.values(found).reduce((sum, list) => sum + list.length, 0);
await sandbox.close();
// A failed run keeps its folder (export, plan, ledgers and reports) for inspection.
const failed = totalDifferences > 0 || finished.code !== baselineRun.code;
if (failed) console.log(`Kept the run's folder: ${root}`);
else rmSync(root, { recursive: true, force: true });

const summary = {
  leads,
  seed,
  timeScale,
  records: expected.records.size,
  baselineWrites,
  baselineSeconds,
  kills: kills.length,
  resumes: kills.length,
  lastExitCode: finished.code,
  baselineExitCode: baselineRun.code,
  seconds,
  writesSent: counts(sandbox).writes,
  differences: totalDifferences,
};
console.log(
  markdownTable(
    [
      ["leads", "leads"],
      ["records", "records"],
      ["kills", "kills"],
      ["resumes", "resumes"],
      ["last exit code", "lastExitCode"],
      ["exit code without kills", "baselineExitCode"],
      ["writes sent", "writesSent"],
      ["writes without kills", "baselineWrites"],
      ["seconds", "seconds"],
      ["differences", "differences"],
    ],
    [summary],
  ),
);
if (finished.code !== baselineRun.code) {
  console.log(
    `The last run exited with ${finished.code}, not ${baselineRun.code} as the run without kills did, so the migration did not finish and the differences include what it had not yet written:\n${finished.output.slice(-4_000)}`,
  );
}
if (totalDifferences > 0) console.log(JSON.stringify(found, null, 2));
const file = await writeResult("crash-harness", {
  summary,
  differences: found,
  kills,
  lastOutput: finished.output.slice(-20_000),
});
console.log(`\nWritten to ${file}`);
if (failed) process.exitCode = 1;
