/**
 * The dry run's record phases: what each kind would do (create, update, leave alone, reject or
 * queue), counted from the plan and the id map without writing anything. A page of planned
 * records is looked up with one query per table and link kind.
 */
import type { Effect } from "effect";

import type { Ledger } from "../ledger/Ledger.js";
import type { LedgerError } from "../ledger/LedgerError.js";
import type { PlannedLinks } from "../ledger/LedgerRows.js";
import { refKey } from "../ledger/RefLookups.js";
import type { RecordRef } from "../SourceRecord.js";
import { withLedger } from "./LedgerEffect.js";
import { linkTargetKind } from "./LinkResolution.js";
import type { PhaseCounts } from "./MigrationOptions.js";
import { FIRST_RECORD_PHASE, recordPhaseKinds } from "./RecordPhases.js";
import type { RunContext } from "./RunContext.js";

const PAGE_SIZE = 500;

/** Facts the ledger stores about the link targets of one page, by target kind and `refKey`. */
interface TargetFacts {
  readonly mapped: (kind: string, key: string) => boolean;
  readonly queued: (kind: string, key: string) => boolean;
  readonly planned: (kind: string, key: string) => boolean;
}

/** Groups the link targets of a page by their destination kind, each target once. */
const targetsByKind = (page: ReadonlyArray<PlannedLinks>): Map<string, Map<string, RecordRef>> => {
  const byKind = new Map<string, Map<string, RecordRef>>();
  for (const row of page) {
    for (const [key, target] of Object.entries(row.links)) {
      const kind = linkTargetKind(key, row.linkKinds);
      let targets = byKind.get(kind);
      if (targets === undefined) {
        targets = new Map();
        byKind.set(kind, targets);
      }
      targets.set(refKey(target), target);
    }
  }
  return byKind;
};

/** Looks up the link targets of a page: in the id map, then the unmapped ones in the queue and the plan. */
const lookUpTargets = (ledger: Ledger, runId: number, page: ReadonlyArray<PlannedLinks>) => {
  const mapped = new Map<string, ReadonlyMap<string, string>>();
  const queued = new Map<string, ReadonlySet<string>>();
  const planned = new Map<string, ReadonlySet<string>>();

  for (const [kind, targets] of targetsByKind(page)) {
    const inMap = ledger.refs.idMapHashes(kind, [...targets.values()]);
    const unmapped = [...targets].filter(([key]) => !inMap.has(key)).map(([, ref]) => ref);
    mapped.set(kind, inMap);
    queued.set(kind, ledger.refs.queued(runId, kind, unmapped));
    planned.set(kind, ledger.refs.planned(runId, kind, unmapped));
  }

  const facts: TargetFacts = {
    mapped: (kind, key) => mapped.get(kind)?.has(key) ?? false,
    queued: (kind, key) => queued.get(kind)?.has(key) ?? false,
    planned: (kind, key) => planned.get(kind)?.has(key) ?? false,
  };
  return facts;
};

/**
 * Tells what a dry run expects of a record's links, link by link in order: a target in the id
 * map or in the plan resolves, a queued target queues the record, and a target the plan lacks
 * rejects it. A target that its own links would reject is not followed, so the counts are an
 * estimate.
 */
const linkOutcome = (row: PlannedLinks, facts: TargetFacts): "resolved" | "rejected" | "queued" => {
  for (const [key, target] of Object.entries(row.links)) {
    const kind = linkTargetKind(key, row.linkKinds);
    const targetKey = refKey(target);
    if (facts.mapped(kind, targetKey)) continue;
    if (facts.queued(kind, targetKey)) return "queued";
    if (!facts.planned(kind, targetKey)) return "rejected";
  }
  return "resolved";
};

/** Counts what the pending records of one kind would do. */
const countKind = (ledger: Ledger, runId: number, kind: string): PhaseCounts => {
  const counts = { read: 0, loaded: 0, updated: 0, unchanged: 0, rejected: 0, queued: 0 };
  counts.queued = ledger.countPlanQueued(runId, kind);
  counts.read = counts.queued;

  let page = ledger.planned.linkPage(runId, kind, "pending", 0, PAGE_SIZE);
  while (page.length > 0) {
    const facts = lookUpTargets(ledger, runId, page);
    const existing = ledger.refs.idMapHashes(
      kind,
      page.map((row) => row.ref),
    );
    for (const row of page) {
      const link = linkOutcome(row, facts);
      const hash = existing.get(refKey(row.ref));
      counts.read += 1;
      if (link === "rejected") counts.rejected += 1;
      else if (link === "queued") counts.queued += 1;
      else if (hash === undefined) counts.loaded += 1;
      else if (hash === row.hash) counts.unchanged += 1;
      else counts.updated += 1;
    }
    const afterSeq = page.at(-1)?.seq ?? 0;
    page = ledger.planned.linkPage(runId, kind, "pending", afterSeq, PAGE_SIZE);
  }
  return counts;
};

/** Counts what a run would do per kind without writing anything, and checkpoints the counts. */
export const dryRunPhases = (
  context: RunContext,
): Effect.Effect<
  ReadonlyArray<{ readonly phase: string; readonly counts: PhaseCounts }>,
  LedgerError
> =>
  withLedger(context.ledger, (l) => {
    const phases: Array<{ phase: string; counts: PhaseCounts }> = [];
    for (const [index, kind] of recordPhaseKinds(context).entries()) {
      const counts = countKind(l, context.runId, kind);
      if (counts.read === 0) continue;
      l.setCheckpoint(context.runId, kind, FIRST_RECORD_PHASE + index, "done", { ...counts });
      phases.push({ phase: kind, counts });
    }
    return phases;
  });
