/**
 * The order of rollbacks. A rollback undoes writes newest first, so no later run that is still
 * in place may have reused, updated or linked to the records of the runs it covers. Deleting
 * such records would leave the later runs' records pointing at records that are gone.
 */
import type { Ledger } from "../ledger/Ledger.js";
import { refKey } from "../ledger/RefLookups.js";
import type { RecordRef } from "../SourceRecord.js";
import { linkTargetKind } from "./LinkResolution.js";
import type { LaterRunDependency } from "./RunnerErrors.js";

/** Planned records read per page while looking for links. */
const PAGE = 500;

/** Statuses of planned records that are in the destination after their run. */
const WRITTEN = ["created", "updated", "unchanged"] as const;

/** Tells whether a finished rollback covered a run. */
const rolledBack = (ledger: Ledger, runId: number) =>
  ledger.rollbacks.covering(runId).some((rollback) => rollback.status === "finished");

/**
 * Returns the runs after the first of `runIds` that are not in it, not dry runs and not rolled
 * back by a finished rollback, oldest first.
 */
export const laterRuns = (ledger: Ledger, runIds: ReadonlyArray<number>): ReadonlyArray<number> => {
  const first = Math.min(...runIds);
  return ledger
    .runs()
    .filter(
      (run) =>
        run.id > first && !runIds.includes(run.id) && !run.dryRun && !rolledBack(ledger, run.id),
    )
    .map((run) => run.id);
};

/** Counts the records of a run that link to a record one of the `earlier` runs created. */
const countLinked = (ledger: Ledger, runId: number, earlier: ReadonlySet<number>): number => {
  let linked = 0;
  for (const kind of ledger.planned.kinds(runId)) {
    for (const status of WRITTEN) {
      let after = 0;
      for (;;) {
        const page = ledger.planned.linkPage(runId, kind, status, after, PAGE);
        const last = page.at(-1);
        if (last === undefined) break;
        after = last.seq;
        const targets = new Map<string, Array<RecordRef>>();
        const rows = page.map((row) =>
          Object.entries(row.links).map(([key, ref]) => {
            const target = linkTargetKind(key, row.linkKinds);
            const refs = targets.get(target) ?? [];
            refs.push(ref);
            targets.set(target, refs);
            return { kind: target, key: refKey(ref) };
          }),
        );
        const creators = new Map(
          [...targets].map(([target, refs]) => [target, ledger.refs.idMapCreators(target, refs)]),
        );
        for (const links of rows) {
          const created = links.some((link) => {
            const creator = creators.get(link.kind)?.get(link.key);
            return creator !== undefined && earlier.has(creator);
          });
          if (created) linked += 1;
        }
      }
    }
  }
  return linked;
};

/**
 * Returns the later runs, not rolled back, that built on records the runs of `runIds` wrote,
 * newest first: records they left unchanged or updated, and records of theirs that link to
 * records those runs created.
 */
export const laterDependencies = (
  ledger: Ledger,
  runIds: ReadonlyArray<number>,
): ReadonlyArray<LaterRunDependency> =>
  laterRuns(ledger, runIds)
    .flatMap((runId) => {
      const earlier = runIds.filter((id) => id < runId);
      const { reused, updated } = ledger.planned.builtOn(runId, earlier);
      const linked = countLinked(ledger, runId, new Set(earlier));
      return reused + updated + linked === 0 ? [] : [{ runId, reused, updated, linked }];
    })
    .reverse();
