/**
 * Selection of a sample run's records: a stratified sample of every destination kind, so that
 * every kind and every stage (or status) is represented, closed over the records they link to,
 * so that every sampled record arrives with its parents.
 */
import type { Ledger } from "../ledger/Ledger.js";
import type { PlannedRow } from "../ledger/LedgerRows.js";
import type { RecordRef } from "../SourceRecord.js";
import { linkTargetKind } from "./LinkResolution.js";

const keyOf = (kind: string, ref: RecordRef) => `${kind}\u0000${ref.kind}\u0000${ref.sourceId}`;

/**
 * Selects about `size` planned records of a run and deselects the others. Each kind gets a
 * share of `size` proportional to its count, with at least one record and one per stratum.
 * The parents of selected records are added on top. Returns the number of records selected.
 */
export const selectSample = (ledger: Ledger, runId: number, size: number): number => {
  const counts = ledger.planned.kindCounts(runId);
  const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
  const chosen = new Map<string, { kind: string; ref: RecordRef }>();
  const pending: Array<PlannedRow> = [];

  for (const [kind, count] of counts) {
    const share = Math.max(1, Math.round((size * count) / Math.max(1, total)));
    for (const row of ledger.planned.stratifiedSample(runId, kind, share)) {
      chosen.set(keyOf(kind, row.ref), { kind, ref: row.ref });
      pending.push(row);
    }
  }

  // Parents: follow links until every selected record's targets are selected too.
  while (pending.length > 0) {
    const row = pending.pop() as PlannedRow;
    for (const [key, target] of Object.entries(row.links)) {
      const kind = linkTargetKind(key, row.linkKinds);
      const id = keyOf(kind, target);
      if (chosen.has(id)) continue;
      const parent = ledger.planned.get(runId, kind, target);
      if (parent === undefined) continue;
      chosen.set(id, { kind, ref: target });
      pending.push(parent);
    }
  }

  const refs = new Set(
    [...chosen.values()].map((item) => `${item.ref.kind}\u0000${item.ref.sourceId}`),
  );
  ledger.transaction(() => {
    ledger.planned.select(runId, [...chosen.values()]);
    ledger.selectPlanQueued(runId, (ref) => refs.has(`${ref.kind}\u0000${ref.sourceId}`));
  });
  return chosen.size;
};
